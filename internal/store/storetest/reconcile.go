package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

func testStalledFanouts(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	e.upsert(c.ID, person(1, active(store.ChannelEmail)))
	// The store's own clock stamps an alert's creation: now is after it.
	now := time.Now().Truncate(time.Millisecond).Add(time.Hour)
	mk := func(sendAt time.Time) store.Alert {
		return e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels(), SendAt: sendAt})
	}
	due1, due2 := mk(now.Add(-time.Hour)), mk(now)
	mk(now.Add(time.Millisecond)) // not due yet
	done := mk(now.Add(-time.Hour))
	e.fanout(done.ID, 10)
	cancelled := mk(now.Add(-time.Hour))
	if _, err := e.s.CancelAlert(e.ctx, cancelled.ID, now.Add(-time.Hour)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	busy := mk(now.Add(-time.Hour))
	if _, err := e.s.FanoutPage(e.ctx, busy.ID, 1, now); err != nil { // touched at now
		t.Fatalf("FanoutPage: %v", err)
	}
	got, err := e.s.StalledFanouts(e.ctx, now, now, 10)
	if err != nil {
		t.Fatalf("StalledFanouts: %v", err)
	}
	if diff := cmp.Diff([]int64{due1.ID, due2.ID}, alertIDs(got)); diff != "" {
		t.Errorf("StalledFanouts (-want +got):\n%s", diff)
	}
	if got, _ := e.s.StalledFanouts(e.ctx, now, now, 1); len(got) != 1 {
		t.Errorf("StalledFanouts with limit 1 returned %d", len(got))
	}
}

func alertIDs(as []store.Alert) []int64 {
	var ids []int64
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}

// testStalledBatches builds one alert whose email deliveries are, in id order:
// queued due, queued due, sent, queued not yet due, sending stale, sending fresh,
// queued due; its SMS deliveries are all queued due; and a cancelled alert's
// queued deliveries, which are skipped.
func testStalledBatches(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	m := time.Minute
	a, batches := twoChannelAlert(t, e, c, 0, 7, store.Alert{})
	mail, sms := batches[0], batches[1]
	ids := func(b store.Batch, i int) int64 { return b.FirstID + int64(i) }
	claim := func(i int, now time.Time) {
		b := mail
		b.FirstID, b.LastID = ids(mail, i), ids(mail, i)
		if n := len(e.claim(b, 1, now, time.Time{})); n != 1 {
			t.Fatalf("claimed %d, want 1", n)
		}
	}
	claim(2, at(m))
	e.record(store.Result{DeliveryID: ids(mail, 2), Status: store.DeliverySent, At: at(m)})
	claim(3, at(m))
	e.record(store.Result{DeliveryID: ids(mail, 3), Status: store.DeliveryQueued, NextAttemptAt: at(30 * m), At: at(m)})
	claim(4, at(m))
	claim(5, at(20*m))
	cancelled, _ := twoChannelAlert(t, e, c, 10, 2, store.Alert{})
	if _, err := e.s.CancelAlert(e.ctx, cancelled.ID, at(m)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	tests := []struct {
		name        string
		size, limit int
		want        []store.Batch
	}{
		{"size 3", 3, 10, []store.Batch{
			{AlertID: a.ID, Channel: store.ChannelEmail, FirstID: ids(mail, 0), LastID: ids(mail, 4)},
			{AlertID: a.ID, Channel: store.ChannelEmail, FirstID: ids(mail, 6), LastID: ids(mail, 6)},
			{AlertID: a.ID, Channel: store.ChannelSMS, FirstID: ids(sms, 0), LastID: ids(sms, 2)},
			{AlertID: a.ID, Channel: store.ChannelSMS, FirstID: ids(sms, 3), LastID: ids(sms, 5)},
			{AlertID: a.ID, Channel: store.ChannelSMS, FirstID: ids(sms, 6), LastID: ids(sms, 6)},
		}},
		{"limit 2", 100, 2, []store.Batch{
			{AlertID: a.ID, Channel: store.ChannelEmail, FirstID: ids(mail, 0), LastID: ids(mail, 6)},
			{AlertID: a.ID, Channel: store.ChannelSMS, FirstID: ids(sms, 0), LastID: ids(sms, 6)},
		}},
		{"limit 1", 2, 1, []store.Batch{
			{AlertID: a.ID, Channel: store.ChannelEmail, FirstID: ids(mail, 0), LastID: ids(mail, 1)},
		}},
	}
	for _, tc := range tests {
		got, err := e.s.StalledBatches(e.ctx, at(10*m), at(10*m), tc.size, tc.limit)
		if diff := cmp.Diff(tc.want, got); err != nil || diff != "" {
			t.Errorf("%s: StalledBatches: %v (-want +got):\n%s", tc.name, err, diff)
		}
	}
}

func testUnfinishedAlerts(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	a1, _ := twoChannelAlert(t, e, c, 0, 1, store.Alert{})
	a2, _ := twoChannelAlert(t, e, c, 1, 1, store.Alert{})
	notFannedOut := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if err := e.s.StartAlert(e.ctx, notFannedOut.ID, at(0)); err != nil {
		t.Fatalf("StartAlert: %v", err)
	}
	a3, _ := twoChannelAlert(t, e, c, 2, 1, store.Alert{})
	if _, err := e.s.CancelAlert(e.ctx, a3.ID, at(0)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()}) // scheduled
	ids, err := e.s.UnfinishedAlerts(e.ctx, 10)
	if diff := cmp.Diff([]int64{a1.ID, a2.ID}, ids); err != nil || diff != "" {
		t.Errorf("UnfinishedAlerts: %v (-want +got):\n%s", err, diff)
	}
	if ids, _ := e.s.UnfinishedAlerts(e.ctx, 1); len(ids) != 1 {
		t.Errorf("UnfinishedAlerts with limit 1 returned %v", ids)
	}
}

// testStalledSending finds the sending deliveries whose claimer went quiet, on
// every channel of the alerts in progress, and nothing else: queued rows are
// all due later than dueBefore here.
func testStalledSending(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	m := time.Minute
	claimAt := func(b store.Batch, now time.Time) store.Delivery {
		t.Helper()
		b.LastID = b.FirstID
		cs := e.claim(b, 1, now, time.Time{})
		if len(cs) != 1 {
			t.Fatalf("claimed %d, want 1", len(cs))
		}
		return cs[0].Delivery
	}
	a, batches := twoChannelAlert(t, e, c, 0, 3, store.Alert{})
	staleSMS := claimAt(batches[1], at(m))
	claimAt(batches[0], at(20*m)) // fresh
	sent := claimAt(store.Batch{AlertID: a.ID, Channel: store.ChannelEmail, FirstID: batches[0].FirstID + 1,
		LastID: batches[0].LastID}, at(m))
	e.record(store.Result{DeliveryID: sent.ID, Status: store.DeliverySent, At: at(2 * m)})
	cancelled, cbatches := twoChannelAlert(t, e, c, 10, 2, store.Alert{})
	claimAt(cbatches[0], at(m))
	if _, err := e.s.CancelAlert(e.ctx, cancelled.ID, at(2*m)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	got, err := e.s.StalledBatches(e.ctx, at(-time.Hour), at(10*m), 10, 10)
	want := []store.Batch{{AlertID: a.ID, Channel: store.ChannelSMS, FirstID: staleSMS.ID, LastID: staleSMS.ID}}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("StalledBatches: %v (-want +got):\n%s", err, diff)
	}
}
