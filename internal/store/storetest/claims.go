package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// singleBatch fans out an email alert to n supporters as one batch.
func singleBatch(t *testing.T, e *env, n int) (store.Campaign, []store.Supporter, store.Batch) {
	t.Helper()
	c := e.campaign("c")
	var rows []store.SupporterUpsert
	for i := range n {
		rows = append(rows, person(i, active(store.ChannelEmail), active(store.ChannelSMS)))
	}
	var sups []store.Supporter
	for i := 0; i < n; i += 500 {
		sups = append(sups, e.upsert(c.ID, rows[i:min(i+500, n)]...)...)
	}
	a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: []store.Channel{store.ChannelEmail}})
	batches := e.fanout(a.ID, n)
	if len(batches) != 1 {
		t.Fatalf("fan-out made %d batches, want 1", len(batches))
	}
	return c, sups, batches[0]
}

func testClaimConcurrent(t *testing.T, open Opener) {
	e := newEnv(t, open)
	_, _, b := singleBatch(t, e, 300)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				cs, err := e.s.ClaimDeliveries(e.ctx, b, 7, at(time.Minute), at(0))
				if err != nil {
					t.Errorf("ClaimDeliveries: %v", err)
					return
				}
				if len(cs) == 0 {
					return
				}
				mu.Lock()
				for _, c := range cs {
					seen[c.Delivery.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 300 {
		t.Errorf("%d deliveries claimed, want 300", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("delivery %d claimed %d times", id, n)
		}
	}
}

func testClaimDeliveries(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, sups, b := singleBatch(t, e, 5)
	e.unsubscribe(c.ID, store.ChannelEmail, sups[0])
	got := e.claim(b, 2, at(time.Minute), time.Time{})
	ds := e.deliveries(b.AlertID, store.DeliveryFilter{})
	want := make([]store.Claim, 2)
	for i := range want {
		d := ds[i]
		d.Status, d.Attempts, d.UpdatedAt = store.DeliverySending, 1, at(time.Minute)
		sup := sups[i]
		sup.Tags, sup.Subscriptions = nil, nil
		want[i] = store.Claim{Delivery: d, Supporter: sup, SubscriptionStatus: store.SubActive}
	}
	want[0].SubscriptionStatus = store.SubUnsubscribed
	if diff := cmp.Diff(want, got, ignoreClock()); diff != "" {
		t.Errorf("ClaimDeliveries (-want +got):\n%s", diff)
	}
	// A retry is not due before its time; the one still sending is not taken.
	e.record(store.Result{DeliveryID: got[1].Delivery.ID, Status: store.DeliveryQueued,
		NextAttemptAt: at(10 * time.Minute), At: at(2 * time.Minute)})
	if ids := claimedIDs(e.claim(b, 10, at(5*time.Minute), time.Time{})); !cmp.Equal(ids, []int64{ds[2].ID, ds[3].ID, ds[4].ID}) {
		t.Errorf("claim at +5m took %v, want the three never claimed", ids)
	}
	retried := e.claim(b, 10, at(10*time.Minute), time.Time{})
	if len(retried) != 1 || retried[0].Delivery.ID != ds[1].ID || retried[0].Delivery.Attempts != 2 || retried[0].Delivery.Ambiguous {
		t.Errorf("claim at +10m = %+v, want delivery %d on its second attempt, not ambiguous", retried, ds[1].ID)
	}
	sms := store.Batch{AlertID: b.AlertID, Channel: store.ChannelSMS, FirstID: b.FirstID, LastID: b.LastID}
	if cs := e.claim(sms, 10, at(time.Hour), time.Time{}); len(cs) != 0 {
		t.Errorf("claim on another channel took %d deliveries", len(cs))
	}
}

func claimedIDs(cs []store.Claim) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.Delivery.ID)
	}
	return ids
}

// testClaimStale re-claims a delivery whose claimer went quiet, in id order
// with the queued ones after it.
func testClaimStale(t *testing.T, open Opener) {
	e := newEnv(t, open)
	_, _, b := singleBatch(t, e, 3)
	first := e.claim(b, 1, at(time.Minute), time.Time{})
	if len(first) != 1 || first[0].Delivery.ID != b.FirstID {
		t.Fatalf("claimed %+v, want delivery %d", first, b.FirstID)
	}
	// Nothing queued is due before at(0); a claim updated at staleBefore is not stale.
	if cs := e.claim(b, 10, at(-time.Second), at(time.Minute)); len(cs) != 0 {
		t.Errorf("claimed %d deliveries, want none", len(cs))
	}
	again := e.claim(b, 2, at(3*time.Minute), at(time.Minute+time.Millisecond))
	ds := e.deliveries(b.AlertID, store.DeliveryFilter{})
	want := []store.Delivery{ds[0], ds[1]}
	if diff := cmp.Diff(want, deliveriesOf(again)); diff != "" {
		t.Errorf("re-claim (-want +got):\n%s", diff)
	}
	if d := want[0]; !d.Ambiguous || d.Attempts != 2 || d.Status != store.DeliverySending || !d.UpdatedAt.Equal(at(3*time.Minute)) {
		t.Errorf("stale delivery re-claimed as %+v, want ambiguous, second attempt, sending since +3m", d)
	}
	if d := want[1]; d.Ambiguous || d.Attempts != 1 {
		t.Errorf("queued delivery claimed as %+v, want a first attempt, not ambiguous", d)
	}
}

func deliveriesOf(cs []store.Claim) []store.Delivery {
	var ds []store.Delivery
	for _, c := range cs {
		ds = append(ds, c.Delivery)
	}
	return ds
}
