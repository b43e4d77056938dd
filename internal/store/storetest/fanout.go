package storetest

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// key names one delivery: supporter and channel.
type key struct {
	SupporterID int64
	Channel     store.Channel
}

func keysOf(ds []store.Delivery) []key {
	ks := make([]key, len(ds))
	for i, d := range ds {
		ks[i] = key{d.SupporterID, d.Channel}
	}
	return sortKeys(ks)
}

func sortKeys(ks []key) []key {
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].SupporterID != ks[j].SupporterID {
			return ks[i].SupporterID < ks[j].SupporterID
		}
		return ks[i].Channel < ks[j].Channel
	})
	return ks
}

// checkCovered fails unless every delivery is in exactly one batch of its channel.
func checkCovered(t *testing.T, ds []store.Delivery, batches []store.Batch) {
	t.Helper()
	for _, d := range ds {
		n := 0
		for _, b := range batches {
			if b.AlertID == d.AlertID && b.Channel == d.Channel && b.FirstID <= d.ID && d.ID <= b.LastID {
				n++
			}
		}
		if n != 1 {
			t.Errorf("delivery %d (%s) is in %d batches, want 1", d.ID, d.Channel, n)
		}
	}
}

func testFanoutAudience(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, other := e.campaign("c"), e.campaign("other")
	email, sms := store.ChannelEmail, store.ChannelSMS
	both := []store.Channel{email, sms}
	rows := []store.SupporterUpsert{
		person(0, active(email), active(sms)),
		person(1, active(email), pending(sms)),
		person(2, active(sms)),
		person(3, active(email)),
		person(4, active(email), active(sms)),
	}
	profile := []struct{ country, locale, tags string }{
		{"GB", "en", ""}, {"BR", "es-AR", "embassy"}, {"AR", "ES", "march"}, {"GB", "esp", "embassy"}, {"BR", "pt-BR", "march,embassy"},
	}
	for i, p := range profile {
		rows[i].Supporter.Country, rows[i].Supporter.Locale = p.country, p.locale
		if p.tags != "" {
			rows[i].Supporter.Tags = splitComma(p.tags)
		}
	}
	sups := e.upsert(c.ID, rows...)
	e.upsert(other.ID, person(5, active(email), active(sms)))
	tests := []struct {
		name     string
		audience store.Audience
		channels []store.Channel
		want     string // supporter index and channel initial
	}{
		{"everyone", store.Audience{}, both, "0e 0s 1e 2s 3e 4e 4s"},
		{"email", store.Audience{}, []store.Channel{email}, "0e 1e 3e 4e"},
		{"countries", store.Audience{Countries: []string{"GB", "br"}}, both, "0e 0s 1e 3e 4e 4s"},
		{"locales", store.Audience{Locales: []string{"es"}}, both, "1e 2s"},
		{"tags", store.Audience{Tags: []string{"EMBASSY", "march"}}, both, "1e 2s 3e 4e 4s"},
		{"filters combine", store.Audience{Countries: []string{"BR"}, Tags: []string{"embassy"}, Locales: []string{"pt", "es"}}, []store.Channel{sms}, "4s"},
		{"nobody", store.Audience{Countries: []string{"FR"}}, both, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Audience: tc.audience, Channels: tc.channels})
			batches := e.fanout(a.ID, 2)
			ds := e.deliveries(a.ID, store.DeliveryFilter{})
			var got []string
			for _, d := range ds {
				for i, s := range sups {
					if s.ID == d.SupporterID {
						got = append(got, fmt.Sprintf("%d%c", i, d.Channel[0]))
					}
				}
				if d.Status != store.DeliveryQueued || !d.NextAttemptAt.Equal(at(0)) || d.Attempts != 0 {
					t.Errorf("new delivery %+v, want queued, due at %v, no attempt", d, at(0))
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(splitSpace(tc.want), got); diff != "" {
				t.Errorf("deliveries (-want +got):\n%s", diff)
			}
			checkCovered(t, ds, batches)
			if got := e.alertByID(a.ID); !got.FanoutDone || got.AudienceSize != int64(countSupporters(ds)) {
				t.Errorf("alert after fan-out: done %v, audience %d; want done, %d", got.FanoutDone, got.AudienceSize, countSupporters(ds))
			}
		})
	}
}

func countSupporters(ds []store.Delivery) int {
	seen := map[int64]bool{}
	for _, d := range ds {
		seen[d.SupporterID] = true
	}
	return len(seen)
}

// resumedFixture subscribes 1,234 supporters: some unsubscribed from email,
// some pending on SMS, some outside the alert's countries. It returns the
// campaign and the deliveries an alert to GB and BR on both channels must make.
func resumedFixture(t *testing.T, e *env) (store.Campaign, []key) {
	t.Helper()
	c := e.campaign("c")
	var rows []store.SupporterUpsert
	for i := range 1234 {
		sms := active(store.ChannelSMS)
		if i%10 == 3 {
			sms = pending(store.ChannelSMS)
		}
		r := person(i, active(store.ChannelEmail), sms)
		if i%11 == 0 {
			r.Supporter.Country = "FR"
		} else if i%2 == 0 {
			r.Supporter.Country = "BR"
		}
		rows = append(rows, r)
	}
	var sups []store.Supporter
	for i := 0; i < len(rows); i += 500 {
		sups = append(sups, e.upsert(c.ID, rows[i:min(i+500, len(rows))]...)...)
	}
	var leaving []store.Supporter
	var want []key
	for i, s := range sups {
		if i%7 == 0 {
			leaving = append(leaving, s)
		}
		if i%11 == 0 {
			continue
		}
		if i%7 != 0 {
			want = append(want, key{s.ID, store.ChannelEmail})
		}
		if i%10 != 3 {
			want = append(want, key{s.ID, store.ChannelSMS})
		}
	}
	e.unsubscribe(c.ID, store.ChannelEmail, leaving...)
	return c, sortKeys(want)
}

// testFanoutResumed stops a fan-out after four pages whose batches are lost
// (the worker died before enqueueing them), resumes it, and finds every
// delivery claimed once: through the resumed run's batches, and the lost ones
// through StalledBatches.
func testFanoutResumed(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, want := resumedFixture(t, e)
	a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels(),
		Audience: store.Audience{Countries: []string{"GB", "BR"}}})
	pageSupporters := 0
	for range 4 {
		res, err := e.s.FanoutPage(e.ctx, a.ID, 100, at(0))
		if err != nil || res.Done || res.Supporters != 100 {
			t.Fatalf("FanoutPage = %+v, %v; want a full page", res, err)
		}
		pageSupporters += res.Supporters
	}
	var batches []store.Batch
	for {
		res, err := e.s.FanoutPage(e.ctx, a.ID, 100, at(time.Second))
		if err != nil {
			t.Fatalf("FanoutPage: %v", err)
		}
		batches, pageSupporters = append(batches, res.Batches...), pageSupporters+res.Supporters
		if res.Done {
			break
		}
	}
	claimed := claimKeys(t, e, batches, at(time.Minute))
	lost, err := e.s.StalledBatches(e.ctx, at(time.Minute), at(0), 100, 1000)
	if err != nil {
		t.Fatalf("StalledBatches: %v", err)
	}
	claimed = append(claimed, claimKeys(t, e, lost, at(2*time.Minute))...)
	if diff := cmp.Diff(want, sortKeys(claimed)); diff != "" {
		t.Errorf("claimed deliveries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, keysOf(e.deliveries(a.ID, store.DeliveryFilter{}))); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	wantSupporters := countKeys(want)
	if got := e.alertByID(a.ID).AudienceSize; got != int64(wantSupporters) || pageSupporters != wantSupporters {
		t.Errorf("AudienceSize %d, supporters in pages %d; want %d", got, pageSupporters, wantSupporters)
	}
}

func countKeys(ks []key) int {
	seen := map[int64]bool{}
	for _, k := range ks {
		seen[k.SupporterID] = true
	}
	return len(seen)
}

// claimKeys claims every due delivery of the batches, records them sent, and returns them.
func claimKeys(t *testing.T, e *env, batches []store.Batch, now time.Time) []key {
	t.Helper()
	var ks []key
	for _, b := range batches {
		var rs []store.Result
		for _, c := range e.claim(b, 1000, now, time.Time{}) {
			ks = append(ks, key{c.Delivery.SupporterID, c.Delivery.Channel})
			rs = append(rs, store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliverySent, At: now})
		}
		e.record(rs...)
	}
	return ks
}

// testFanoutConcurrent runs the same fan-out from several goroutines, as two
// copies of one task would.
func testFanoutConcurrent(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	var rows []store.SupporterUpsert
	for i := range 300 {
		rows = append(rows, person(i, active(store.ChannelEmail), active(store.ChannelSMS)))
	}
	e.upsert(c.ID, rows...)
	a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	var mu sync.Mutex
	var batches []store.Batch
	supporters := 0
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				res, err := e.s.FanoutPage(e.ctx, a.ID, 17, at(0))
				if err != nil {
					t.Errorf("FanoutPage: %v", err)
					return
				}
				mu.Lock()
				batches, supporters = append(batches, res.Batches...), supporters+res.Supporters
				mu.Unlock()
				if res.Done {
					return
				}
			}
		})
	}
	wg.Wait()
	ds := e.deliveries(a.ID, store.DeliveryFilter{})
	if len(ds) != 600 || len(keysOf(ds)) != 600 || countSupporters(ds) != 300 {
		t.Errorf("%d deliveries for %d supporters, want 600 for 300", len(ds), countSupporters(ds))
	}
	checkCovered(t, ds, batches)
	if got := e.alertByID(a.ID).AudienceSize; got != 300 || supporters != 300 {
		t.Errorf("AudienceSize %d, supporters in pages %d; want 300", got, supporters)
	}
}

func testFanoutFinalAlert(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	e.upsert(c.ID, person(1, active(store.ChannelEmail)))
	done := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if n := len(e.fanout(done.ID, 10)); n != 1 {
		t.Fatalf("fan-out made %d batches, want 1", n)
	}
	cancelled := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if _, err := e.s.CancelAlert(e.ctx, cancelled.ID, at(0)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	for _, id := range []int64{done.ID, cancelled.ID} {
		res, err := e.s.FanoutPage(e.ctx, id, 10, at(time.Minute))
		if err != nil || !res.Done || len(res.Batches) != 0 || res.Supporters != 0 {
			t.Errorf("FanoutPage(alert %d) = %+v, %v; want Done and nothing else", id, res, err)
		}
	}
	if n := len(e.deliveries(cancelled.ID, store.DeliveryFilter{})); n != 0 {
		t.Errorf("a cancelled alert got %d deliveries", n)
	}
	if _, err := e.s.FanoutPage(e.ctx, cancelled.ID+100, 10, at(0)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FanoutPage(unknown): %v, want ErrNotFound", err)
	}
	if _, err := e.s.FanoutPage(e.ctx, done.ID, 0, at(0)); err == nil {
		t.Error("FanoutPage with limit 0 succeeded")
	}
}
