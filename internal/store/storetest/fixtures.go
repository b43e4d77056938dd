package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/muster-org/muster/internal/store"
)

// at returns the suite's reference time plus d: times the tests pass in are
// whole milliseconds in UTC, as the store gives them back.
func at(d time.Duration) time.Time {
	return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC).Add(d)
}

// ignoreClock ignores the timestamps the store takes from its own clock.
func ignoreClock() cmp.Option {
	return cmp.Options{
		cmpopts.IgnoreFields(store.Supporter{}, "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(store.Subscription{}, "CreatedAt", "UpdatedAt", "ConfirmedAt"),
		cmpopts.IgnoreFields(store.Campaign{}, "CreatedAt", "UpdatedAt"),
		cmpopts.IgnoreFields(store.APIKey{}, "CreatedAt", "RevokedAt", "LastUsedAt"),
		cmpopts.IgnoreFields(store.Alert{}, "CreatedAt", "UpdatedAt"),
	}
}

// env is one test's store.
type env struct {
	t   *testing.T
	s   *store.Store
	ctx context.Context
}

func newEnv(t *testing.T, open Opener) *env {
	t.Helper()
	return &env{t: t, s: open(t), ctx: t.Context()}
}

func (e *env) campaign(slug string) store.Campaign {
	e.t.Helper()
	c, err := e.s.CreateCampaign(e.ctx, store.Campaign{Slug: slug, Name: "Campaign " + slug, Locale: "en"})
	if err != nil {
		e.t.Fatalf("CreateCampaign(%q): %v", slug, err)
	}
	return c
}

// upsert upserts rows that must all apply, and returns their supporters.
func (e *env) upsert(campaignID int64, rows ...store.SupporterUpsert) []store.Supporter {
	e.t.Helper()
	res, err := e.s.UpsertSupporters(e.ctx, campaignID, rows)
	if err != nil {
		e.t.Fatalf("UpsertSupporters: %v", err)
	}
	sups := make([]store.Supporter, len(res))
	for i, r := range res {
		if r.Err != nil {
			e.t.Fatalf("UpsertSupporters row %d: %v", i, r.Err)
		}
		sups[i] = r.Supporter
	}
	return sups
}

// person is supporter number i, with an email and a phone of their own.
func person(i int, subs ...store.SubscriptionInput) store.SupporterUpsert {
	return store.SupporterUpsert{
		Supporter: store.Supporter{
			Email: fmt.Sprintf("p%d@example.org", i), Phone: fmt.Sprintf("+4477009%05d", i),
			Name: fmt.Sprintf("Person %d", i), Locale: "en", Country: "GB", Timezone: "Europe/London",
		},
		Subscriptions: subs,
	}
}

func active(ch store.Channel) store.SubscriptionInput {
	return store.SubscriptionInput{Channel: ch, Status: store.SubActive, Source: "import", ConsentText: "yes"}
}

func pending(ch store.Channel) store.SubscriptionInput {
	return store.SubscriptionInput{Channel: ch, Status: store.SubPending, Source: "form", ConsentText: "yes"}
}

func (e *env) alert(a store.Alert) store.Alert {
	e.t.Helper()
	if a.SendAt.IsZero() {
		a.SendAt = at(0)
	}
	got, _, err := e.s.CreateAlert(e.ctx, a)
	if err != nil {
		e.t.Fatalf("CreateAlert: %v", err)
	}
	return got
}

// fanout fans the alert out to the end, at at(0), and returns its batches.
func (e *env) fanout(alertID int64, page int) []store.Batch {
	e.t.Helper()
	var batches []store.Batch
	for range 100000 {
		res, err := e.s.FanoutPage(e.ctx, alertID, page, at(0))
		if err != nil {
			e.t.Fatalf("FanoutPage: %v", err)
		}
		batches = append(batches, res.Batches...)
		if res.Done {
			return batches
		}
	}
	e.t.Fatal("FanoutPage never said Done")
	return nil
}

func (e *env) claim(b store.Batch, limit int, now, staleBefore time.Time) []store.Claim {
	e.t.Helper()
	cs, err := e.s.ClaimDeliveries(e.ctx, b, limit, now, staleBefore)
	if err != nil {
		e.t.Fatalf("ClaimDeliveries(%+v): %v", b, err)
	}
	return cs
}

func (e *env) record(rs ...store.Result) {
	e.t.Helper()
	if err := e.s.RecordResults(e.ctx, rs); err != nil {
		e.t.Fatalf("RecordResults: %v", err)
	}
}

// deliveries lists every delivery of the alert, through every page.
func (e *env) deliveries(alertID int64, f store.DeliveryFilter) []store.Delivery {
	e.t.Helper()
	var all []store.Delivery
	p := store.Page{Limit: 1000}
	for {
		ds, next, err := e.s.ListDeliveries(e.ctx, alertID, f, p)
		if err != nil {
			e.t.Fatalf("ListDeliveries: %v", err)
		}
		all = append(all, ds...)
		if next == "" {
			return all
		}
		p.Cursor = next
	}
}

func (e *env) alertByID(id int64) store.Alert {
	e.t.Helper()
	a, err := e.s.AlertByID(e.ctx, id)
	if err != nil {
		e.t.Fatalf("AlertByID(%d): %v", id, err)
	}
	return a
}

// sendAll claims every due delivery of the batches at now and records it sent.
func (e *env) sendAll(batches []store.Batch, now time.Time) {
	e.t.Helper()
	for _, b := range batches {
		var rs []store.Result
		for _, c := range e.claim(b, 1000, now, time.Time{}) {
			rs = append(rs, store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliverySent, ProviderID: "p", At: now})
		}
		e.record(rs...)
	}
}

// unsubscribe ends the supporters' subscriptions on ch, on every campaign, the
// only way the store offers: a delivery whose result carries a suppression.
func (e *env) unsubscribe(campaignID int64, ch store.Channel, sups ...store.Supporter) {
	e.t.Helper()
	rows := make([]store.SupporterUpsert, len(sups))
	for i, s := range sups {
		rows[i] = store.SupporterUpsert{Supporter: store.Supporter{Email: s.Email, Phone: s.Phone, Tags: []string{"leaving"}}}
	}
	e.upsert(campaignID, rows...)
	a := e.alert(store.Alert{CampaignID: campaignID, Template: "bye", Channels: []store.Channel{ch},
		Audience: store.Audience{Tags: []string{"leaving"}}})
	for _, b := range e.fanout(a.ID, 1000) {
		var rs []store.Result
		for _, c := range e.claim(b, 1000, at(0), time.Time{}) {
			rs = append(rs, store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliveryFailed, At: at(0),
				Suppress: &store.Suppression{SupporterID: c.Supporter.ID, Channel: ch,
					Status: store.SubUnsubscribed, Reason: "STOP"}})
		}
		e.record(rs...)
	}
	if _, err := e.s.CancelAlert(e.ctx, a.ID, at(0)); err != nil {
		e.t.Fatalf("CancelAlert: %v", err)
	}
}

func splitComma(s string) []string { return strings.Split(s, ",") }

// splitSpace splits on spaces; "" gives nil.
func splitSpace(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}
