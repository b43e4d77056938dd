package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

func testRecordResults(t *testing.T, open Opener) {
	m := time.Minute
	tests := []struct {
		name string
		// run records results of the claimed delivery d; claim claims it again.
		run  func(e *env, d store.Delivery, claim func(time.Time))
		want func(d store.Delivery) store.Delivery
	}{
		{"sent", func(e *env, d store.Delivery, _ func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliverySent, ProviderID: "<m1@example.org>",
				ErrorCode: "x", At: at(2 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.ProviderID, d.SentAt, d.UpdatedAt = store.DeliverySent, "<m1@example.org>", at(2*m), at(2*m)
			return d
		}},
		{"failed, counted", func(e *env, d store.Delivery, _ func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliveryFailed, ErrorCode: "550 5.1.1",
				ErrorClass: "recipient", ErrorMessage: "no such user", CountFailure: true, At: at(2 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.ErrorCode, d.ErrorClass, d.ErrorMessage = store.DeliveryFailed, "550 5.1.1", "recipient", "no such user"
			d.Failures, d.UpdatedAt = 1, at(2*m)
			return d
		}},
		{"retry", func(e *env, d store.Delivery, _ func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliveryQueued, ProviderID: "dropped",
				ErrorCode: "421", ErrorClass: "transient", ErrorMessage: "busy", CountFailure: true,
				NextAttemptAt: at(5 * m), At: at(2 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.ErrorCode, d.ErrorClass, d.ErrorMessage = store.DeliveryQueued, "421", "transient", "busy"
			d.Failures, d.NextAttemptAt, d.UpdatedAt = 1, at(5*m), at(2*m)
			return d
		}},
		{"rate limited: retried, not counted", func(e *env, d store.Delivery, _ func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliveryQueued, ErrorClass: "rate_limited",
				NextAttemptAt: at(3 * m), At: at(2 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.ErrorClass, d.NextAttemptAt, d.UpdatedAt = store.DeliveryQueued, "rate_limited", at(3*m), at(2*m)
			return d
		}},
		{"held for quiet hours: the attempt is given back", func(e *env, d store.Delivery, _ func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliveryQueued, ErrorCode: "quiet_hours",
				ErrorMessage: "held", NextAttemptAt: at(9 * m), Unclaimed: true, At: at(2 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.ErrorCode, d.ErrorMessage, d.NextAttemptAt = store.DeliveryQueued, "quiet_hours", "held", at(9*m)
			d.Attempts, d.UpdatedAt = 0, at(2*m)
			return d
		}},
		{"retried then sent: the error is cleared", func(e *env, d store.Delivery, claim func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliveryQueued, ErrorCode: "421",
				ErrorClass: "transient", CountFailure: true, NextAttemptAt: at(5 * m), At: at(2 * m)})
			claim(at(5 * m))
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliverySent, ProviderID: "p2", At: at(6 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.ProviderID, d.Attempts, d.Failures = store.DeliverySent, "p2", 2, 1
			d.NextAttemptAt, d.SentAt, d.UpdatedAt = at(5*m), at(6*m), at(6*m)
			return d
		}},
		{"only a sending delivery changes", func(e *env, d store.Delivery, _ func(time.Time)) {
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliverySuppressed, At: at(2 * m)})
			e.record(store.Result{DeliveryID: d.ID, Status: store.DeliverySent, ProviderID: "late", At: at(3 * m)})
		}, func(d store.Delivery) store.Delivery {
			d.Status, d.UpdatedAt = store.DeliverySuppressed, at(2*m)
			return d
		}},
		{"a bad status writes nothing", func(e *env, d store.Delivery, _ func(time.Time)) {
			err := e.s.RecordResults(e.ctx, []store.Result{
				{DeliveryID: d.ID, Status: store.DeliveryExpired, At: at(2 * m)},
				{DeliveryID: d.ID, Status: store.DeliveryDelivered, At: at(2 * m)},
			})
			if err == nil {
				e.t.Error("RecordResults with status delivered succeeded")
			}
		}, func(d store.Delivery) store.Delivery { return d }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, open)
			_, _, b := singleBatch(t, e, 1)
			d := e.claim(b, 1, at(m), time.Time{})[0].Delivery
			tc.run(e, d, func(now time.Time) {
				if n := len(e.claim(b, 1, now, time.Time{})); n != 1 {
					t.Fatalf("claimed %d, want 1", n)
				}
			})
			got := e.deliveries(b.AlertID, store.DeliveryFilter{})
			if diff := cmp.Diff([]store.Delivery{tc.want(d)}, got); diff != "" {
				t.Errorf("delivery (-want +got):\n%s", diff)
			}
		})
	}
}

// testRecordSuppression suppresses a supporter's SMS: every live SMS
// subscription ends, on every campaign; email and ended ones stay.
func testRecordSuppression(t *testing.T, open Opener) {
	e := newEnv(t, open)
	sms, email := store.ChannelSMS, store.ChannelEmail
	c3 := e.campaign("c3")
	sup := e.upsert(c3.ID, person(1, active(sms)))[0]
	e.unsubscribe(c3.ID, sms, sup)
	c1, c2 := e.campaign("c1"), e.campaign("c2")
	e.upsert(c1.ID, person(1, active(email), active(sms)))
	e.upsert(c2.ID, person(1, pending(sms)))
	a := e.alert(store.Alert{CampaignID: c1.ID, Template: "t", Channels: []store.Channel{sms}})
	c := e.claim(e.fanout(a.ID, 10)[0], 10, at(time.Minute), time.Time{})[0]
	e.record(store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliveryFailed, ErrorCode: "21211",
		ErrorClass: "recipient", At: at(2 * time.Minute),
		Suppress: &store.Suppression{SupporterID: sup.ID, Channel: sms, Status: store.SubSuppressed, Reason: "21211 invalid number"}})
	got, err := e.s.SupporterByID(e.ctx, sup.ID)
	if err != nil {
		t.Fatalf("SupporterByID: %v", err)
	}
	type sub struct {
		Campaign string
		Channel  store.Channel
		Status   store.SubscriptionStatus
		Reason   string
	}
	want := []sub{
		{"c3", sms, store.SubUnsubscribed, "STOP"},
		{"c1", email, store.SubActive, ""},
		{"c1", sms, store.SubSuppressed, "21211 invalid number"},
		{"c2", sms, store.SubSuppressed, "21211 invalid number"},
	}
	var subs []sub
	for _, s := range got.Subscriptions {
		subs = append(subs, sub{s.CampaignSlug, s.Channel, s.Status, s.Reason})
		if s.Status == store.SubSuppressed && !s.UpdatedAt.Equal(at(2*time.Minute)) {
			t.Errorf("suppressed subscription updated at %v, want %v", s.UpdatedAt, at(2*time.Minute))
		}
	}
	if diff := cmp.Diff(want, subs); diff != "" {
		t.Errorf("subscriptions (-want +got):\n%s", diff)
	}
}

func testFinishQueued(t *testing.T, open Opener) {
	e := newEnv(t, open)
	_, _, b := singleBatch(t, e, 5)
	cs := e.claim(b, 2, at(time.Minute), time.Time{})
	e.record(store.Result{DeliveryID: cs[0].Delivery.ID, Status: store.DeliveryQueued, NextAttemptAt: at(5 * time.Minute), At: at(time.Minute)})
	n, next, err := e.s.BatchPending(e.ctx, b)
	if err != nil || n != 5 || !next.Equal(at(0)) {
		t.Errorf("BatchPending = %d, %v, %v; want 5, %v", n, next, err, at(0))
	}
	if _, err := e.s.FinishQueued(e.ctx, b, store.Result{Status: store.DeliverySent}); err == nil {
		t.Error("FinishQueued as sent succeeded")
	}
	moved, err := e.s.FinishQueued(e.ctx, b, store.Result{Status: store.DeliveryFailed, ErrorCode: "auth",
		ErrorClass: "config", ErrorMessage: "bad credentials", At: at(2 * time.Minute)})
	if err != nil || moved != 4 {
		t.Errorf("FinishQueued = %d, %v; want 4", moved, err)
	}
	n, next, err = e.s.BatchPending(e.ctx, b)
	if err != nil || n != 1 || !next.IsZero() {
		t.Errorf("BatchPending = %d, %v, %v; want 1 (the one sending), zero time", n, next, err)
	}
	failed := e.deliveries(b.AlertID, store.DeliveryFilter{Status: store.DeliveryFailed})
	if len(failed) != 4 || failed[0].ErrorCode != "auth" || failed[0].ErrorClass != "config" ||
		failed[0].ErrorMessage != "bad credentials" || !failed[0].UpdatedAt.Equal(at(2*time.Minute)) {
		t.Errorf("failed deliveries = %+v, want 4 with the error", failed)
	}
}

// testDeferQueued moves to until the batch's queued deliveries due before it,
// and nothing else: not a sending one, not a retry due later, not one outside
// the batch.
func testDeferQueued(t *testing.T, open Opener) {
	e := newEnv(t, open)
	m := time.Minute
	_, _, b := singleBatch(t, e, 6)
	ds := e.deliveries(b.AlertID, store.DeliveryFilter{})
	e.claim(store.Batch{AlertID: b.AlertID, Channel: b.Channel, FirstID: ds[0].ID, LastID: ds[1].ID}, 2, at(m), time.Time{})
	e.record(store.Result{DeliveryID: ds[1].ID, Status: store.DeliveryQueued, NextAttemptAt: at(30 * m), At: at(m)})
	part := b
	part.LastID = ds[4].ID
	moved, err := e.s.DeferQueued(e.ctx, part, at(10*m))
	if err != nil || moved != 3 {
		t.Errorf("DeferQueued = %d, %v; want 3", moved, err)
	}
	type row struct {
		Status store.DeliveryStatus
		Next   time.Time
	}
	want := []row{
		{store.DeliverySending, at(0)}, {store.DeliveryQueued, at(30 * m)}, {store.DeliveryQueued, at(10 * m)},
		{store.DeliveryQueued, at(10 * m)}, {store.DeliveryQueued, at(10 * m)}, {store.DeliveryQueued, at(0)},
	}
	var got []row
	for _, d := range e.deliveries(b.AlertID, store.DeliveryFilter{}) {
		got = append(got, row{d.Status, d.NextAttemptAt})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries after DeferQueued (-want +got):\n%s", diff)
	}
	if moved, err := e.s.DeferQueued(e.ctx, part, at(10*m)); err != nil || moved != 0 {
		t.Errorf("DeferQueued again = %d, %v; want 0", moved, err)
	}
}

// testClaimAndRecordMany claims and records more deliveries at once than one
// statement of the store handles, with every kind of result, and a result
// given twice for one delivery: the first one counts, as if written in turn.
func testClaimAndRecordMany(t *testing.T, open Opener) {
	e := newEnv(t, open)
	m := time.Minute
	const n = 300
	_, sups, b := singleBatch(t, e, n)
	cs := e.claim(b, n, at(m), time.Time{})
	claimed := deliveriesOf(cs)
	if diff := cmp.Diff(e.deliveries(b.AlertID, store.DeliveryFilter{}), claimed); diff != "" {
		t.Errorf("claimed deliveries (-listed +claimed):\n%s", diff)
	}
	var rs []store.Result
	want := make([]store.Delivery, n)
	for i, c := range cs {
		if c.Supporter.ID != sups[i].ID || c.Supporter.Email != sups[i].Email || c.SubscriptionStatus != store.SubActive {
			t.Errorf("claim %d is for %+v (%s), want supporter %d, active", i, c.Supporter, c.SubscriptionStatus, sups[i].ID)
		}
		r, d := manyResult(i, c.Delivery)
		rs, want[i] = append(rs, r), d
	}
	rs = append(rs, store.Result{DeliveryID: cs[0].Delivery.ID, Status: store.DeliveryFailed, At: at(3 * m)})
	e.record(rs...)
	if diff := cmp.Diff(want, e.deliveries(b.AlertID, store.DeliveryFilter{})); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
}

// manyResult is the result of claimed delivery number i of testClaimAndRecordMany,
// in turn sent, failed and retried, and the delivery it makes.
func manyResult(i int, d store.Delivery) (store.Result, store.Delivery) {
	m := time.Minute
	d.UpdatedAt = at(2 * m)
	switch i % 3 {
	case 0:
		d.Status, d.ProviderID, d.SentAt = store.DeliverySent, fmt.Sprintf("<m%d@example.org>", i), at(2*m)
		return store.Result{DeliveryID: d.ID, Status: store.DeliverySent, ProviderID: d.ProviderID, At: at(2 * m)}, d
	case 1:
		d.Status, d.ErrorCode, d.ErrorClass, d.Failures = store.DeliveryFailed, "550", "recipient", 1
		return store.Result{DeliveryID: d.ID, Status: store.DeliveryFailed, ErrorCode: "550", ErrorClass: "recipient",
			CountFailure: true, At: at(2 * m)}, d
	default:
		d.Status, d.ErrorClass, d.NextAttemptAt = store.DeliveryQueued, "rate_limited", at(5*m)
		return store.Result{DeliveryID: d.ID, Status: store.DeliveryQueued, ErrorClass: "rate_limited",
			NextAttemptAt: at(5 * m), At: at(2 * m)}, d
	}
}
