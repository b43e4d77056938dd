package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// twoChannelAlert fans out an alert to n supporters on both channels.
func twoChannelAlert(t *testing.T, e *env, c store.Campaign, first, n int, a store.Alert) (store.Alert, []store.Batch) {
	t.Helper()
	var rows []store.SupporterUpsert
	for i := first; i < first+n; i++ {
		rows = append(rows, person(i, active(store.ChannelEmail), active(store.ChannelSMS)))
	}
	e.upsert(c.ID, rows...)
	a.CampaignID, a.Template, a.Channels = c.ID, "t", store.AllChannels()
	a = e.alert(a)
	if err := e.s.StartAlert(e.ctx, a.ID, at(0)); err != nil {
		t.Fatalf("StartAlert: %v", err)
	}
	return a, e.fanout(a.ID, 1000)
}

func testAlertCountsAndList(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	a, batches := twoChannelAlert(t, e, c, 0, 4, store.Alert{})
	cs := e.claim(batches[0], 2, at(time.Minute), time.Time{})
	e.record(store.Result{DeliveryID: cs[0].Delivery.ID, Status: store.DeliverySent, At: at(time.Minute)})
	counts, err := e.s.AlertCounts(e.ctx, a.ID)
	want := map[store.Channel]map[store.DeliveryStatus]int64{
		store.ChannelEmail: {store.DeliverySent: 1, store.DeliverySending: 1, store.DeliveryQueued: 2},
		store.ChannelSMS:   {store.DeliveryQueued: 4},
	}
	if diff := cmp.Diff(want, counts); err != nil || diff != "" {
		t.Errorf("AlertCounts: %v (-want +got):\n%s", err, diff)
	}
	empty := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if counts, err := e.s.AlertCounts(e.ctx, empty.ID); err != nil || len(counts) != 0 {
		t.Errorf("AlertCounts of an alert without deliveries = %v, %v; want empty", counts, err)
	}
	if _, err := e.s.AlertCounts(e.ctx, a.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AlertCounts(unknown): %v, want ErrNotFound", err)
	}
	testListDeliveries(t, e, a.ID)
}

func testListDeliveries(t *testing.T, e *env, alertID int64) {
	all := e.deliveries(alertID, store.DeliveryFilter{})
	tests := []struct {
		name string
		f    store.DeliveryFilter
		want int
	}{
		{"all", store.DeliveryFilter{}, 8},
		{"channel", store.DeliveryFilter{Channel: store.ChannelSMS}, 4},
		{"status", store.DeliveryFilter{Status: store.DeliveryQueued}, 6},
		{"both", store.DeliveryFilter{Channel: store.ChannelEmail, Status: store.DeliverySent}, 1},
	}
	for _, tc := range tests {
		var got []store.Delivery
		p := store.Page{Limit: 3}
		for {
			ds, next, err := e.s.ListDeliveries(e.ctx, alertID, tc.f, p)
			if err != nil || len(ds) > 3 {
				t.Fatalf("%s: ListDeliveries = %d rows, %v", tc.name, len(ds), err)
			}
			got = append(got, ds...)
			if p.Cursor = next; next == "" {
				break
			}
		}
		var want []store.Delivery
		for _, d := range all {
			if (tc.f.Channel == "" || d.Channel == tc.f.Channel) && (tc.f.Status == "" || d.Status == tc.f.Status) {
				want = append(want, d)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" || len(got) != tc.want {
			t.Errorf("%s: %d deliveries, want %d (-want +got):\n%s", tc.name, len(got), tc.want, diff)
		}
	}
	if _, _, err := e.s.ListDeliveries(e.ctx, alertID, store.DeliveryFilter{}, store.Page{Cursor: "x"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("ListDeliveries with a bad cursor: %v, want ErrBadCursor", err)
	}
}

func testStartAlert(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	steps := []struct {
		now     time.Time
		status  store.AlertStatus
		updated time.Time
	}{
		{at(time.Minute), store.AlertSending, at(time.Minute)},
		{at(2 * time.Minute), store.AlertSending, at(2 * time.Minute)},
	}
	for _, s := range steps {
		if err := e.s.StartAlert(e.ctx, a.ID, s.now); err != nil {
			t.Fatalf("StartAlert: %v", err)
		}
		if got := e.alertByID(a.ID); got.Status != s.status || !got.UpdatedAt.Equal(s.updated) {
			t.Errorf("after StartAlert at %v: %s updated %v; want %s updated %v", s.now, got.Status, got.UpdatedAt, s.status, s.updated)
		}
	}
	if _, err := e.s.CancelAlert(e.ctx, a.ID, at(3*time.Minute)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	if err := e.s.StartAlert(e.ctx, a.ID, at(4*time.Minute)); err != nil {
		t.Fatalf("StartAlert on a cancelled alert: %v", err)
	}
	if got := e.alertByID(a.ID); got.Status != store.AlertCancelled || !got.UpdatedAt.Equal(at(3*time.Minute)) {
		t.Errorf("StartAlert changed a cancelled alert: %s updated %v", got.Status, got.UpdatedAt)
	}
	if err := e.s.StartAlert(e.ctx, a.ID+100, at(0)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StartAlert(unknown): %v, want ErrNotFound", err)
	}
}

func testCancelAlert(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	a, batches := twoChannelAlert(t, e, c, 0, 3, store.Alert{})
	cs := e.claim(batches[0], 2, at(time.Minute), time.Time{})
	e.record(store.Result{DeliveryID: cs[0].Delivery.ID, Status: store.DeliverySent, At: at(time.Minute)})
	got, err := e.s.CancelAlert(e.ctx, a.ID, at(2*time.Minute))
	if err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	if got.Status != store.AlertCancelled || !got.CompletedAt.Equal(at(2*time.Minute)) || !got.UpdatedAt.Equal(at(2*time.Minute)) {
		t.Errorf("cancelled alert = %s, completed %v, updated %v", got.Status, got.CompletedAt, got.UpdatedAt)
	}
	counts, _ := e.s.AlertCounts(e.ctx, a.ID)
	want := map[store.Channel]map[store.DeliveryStatus]int64{
		store.ChannelEmail: {store.DeliverySent: 1, store.DeliverySending: 1, store.DeliveryCancelled: 1},
		store.ChannelSMS:   {store.DeliveryCancelled: 3},
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counts after cancel (-want +got):\n%s", diff)
	}
	again, err := e.s.CancelAlert(e.ctx, a.ID, at(time.Hour))
	if err != nil || !cmp.Equal(got, again) {
		t.Errorf("CancelAlert again = %+v, %v; want it unchanged", again, err)
	}
	scheduled := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if got, err := e.s.CancelAlert(e.ctx, scheduled.ID, at(0)); err != nil || got.Status != store.AlertCancelled {
		t.Errorf("CancelAlert(scheduled) = %s, %v; want cancelled", got.Status, err)
	}
	if _, err := e.s.CancelAlert(e.ctx, a.ID+100, at(0)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CancelAlert(unknown): %v, want ErrNotFound", err)
	}
}

func testExpireAlerts(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	expiring, batches := twoChannelAlert(t, e, c, 0, 2, store.Alert{ExpiresAt: at(10 * time.Minute)})
	e.claim(batches[0], 1, at(time.Minute), time.Time{})
	never, _ := twoChannelAlert(t, e, c, 2, 1, store.Alert{})
	later, _ := twoChannelAlert(t, e, c, 3, 1, store.Alert{ExpiresAt: at(20 * time.Minute)})
	cancelled := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels(), ExpiresAt: at(5 * time.Minute)})
	if _, err := e.s.CancelAlert(e.ctx, cancelled.ID, at(0)); err != nil {
		t.Fatalf("CancelAlert: %v", err)
	}
	scheduled := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels(), ExpiresAt: at(10 * time.Minute)})
	ids, err := e.s.ExpireAlerts(e.ctx, at(10*time.Minute))
	if diff := cmp.Diff([]int64{expiring.ID, scheduled.ID}, ids); err != nil || diff != "" {
		t.Errorf("ExpireAlerts: %v (-want +got):\n%s", err, diff)
	}
	got := e.alertByID(expiring.ID)
	if got.Status != store.AlertExpired || !got.CompletedAt.Equal(at(10*time.Minute)) {
		t.Errorf("expired alert: %s completed %v", got.Status, got.CompletedAt)
	}
	counts, _ := e.s.AlertCounts(e.ctx, expiring.ID)
	want := map[store.Channel]map[store.DeliveryStatus]int64{
		store.ChannelEmail: {store.DeliverySending: 1, store.DeliveryExpired: 1},
		store.ChannelSMS:   {store.DeliveryExpired: 2},
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("counts after expiry (-want +got):\n%s", diff)
	}
	for _, id := range []int64{never.ID, later.ID} {
		if s := e.alertByID(id).Status; s != store.AlertSending {
			t.Errorf("alert %d is %s, want still sending", id, s)
		}
	}
	if ids, err := e.s.ExpireAlerts(e.ctx, at(10*time.Minute)); err != nil || len(ids) != 0 {
		t.Errorf("ExpireAlerts again = %v, %v; want none", ids, err)
	}
}

func testFinishAlert(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	a, batches := twoChannelAlert(t, e, c, 0, 2, store.Alert{})
	finish := func(id int64, want bool) {
		t.Helper()
		if got, err := e.s.FinishAlert(e.ctx, id, at(time.Hour)); err != nil || got != want {
			t.Errorf("FinishAlert(%d) = %v, %v; want %v", id, got, err, want)
		}
	}
	finish(a.ID, false) // deliveries are queued
	e.sendAll(batches[:1], at(time.Minute))
	finish(a.ID, false) // SMS still queued
	e.sendAll(batches[1:], at(time.Minute))
	finish(a.ID, true)
	if got := e.alertByID(a.ID); got.Status != store.AlertCompleted || !got.CompletedAt.Equal(at(time.Hour)) {
		t.Errorf("finished alert: %s completed %v", got.Status, got.CompletedAt)
	}
	finish(a.ID, false) // no longer sending

	withExpired, batches := twoChannelAlert(t, e, c, 2, 2, store.Alert{})
	e.sendAll(batches[:1], at(time.Minute))
	if _, err := e.s.FinishQueued(e.ctx, batches[1], store.Result{Status: store.DeliveryExpired, At: at(time.Minute)}); err != nil {
		t.Fatalf("FinishQueued: %v", err)
	}
	finish(withExpired.ID, true)
	if s := e.alertByID(withExpired.ID).Status; s != store.AlertExpired {
		t.Errorf("alert with expired deliveries finished as %s, want expired", s)
	}

	notFannedOut := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if err := e.s.StartAlert(e.ctx, notFannedOut.ID, at(0)); err != nil {
		t.Fatalf("StartAlert: %v", err)
	}
	finish(notFannedOut.ID, false)
	if _, err := e.s.FinishAlert(e.ctx, a.ID+100, at(0)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("FinishAlert(unknown): %v, want ErrNotFound", err)
	}
}

func testBlockChannel(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: store.AllChannels()})
	if err := e.s.BlockChannel(e.ctx, a.ID, store.ChannelSMS, "20003 authentication", at(time.Minute)); err != nil {
		t.Fatalf("BlockChannel: %v", err)
	}
	if err := e.s.BlockChannel(e.ctx, a.ID, store.ChannelEmail, "535 auth failed", at(2*time.Minute)); err != nil {
		t.Fatalf("BlockChannel: %v", err)
	}
	got := e.alertByID(a.ID)
	want := map[store.Channel]string{store.ChannelSMS: "20003 authentication", store.ChannelEmail: "535 auth failed"}
	if diff := cmp.Diff(want, got.Blocked); diff != "" || !got.UpdatedAt.Equal(at(2*time.Minute)) {
		t.Errorf("Blocked, updated %v (-want +got):\n%s", got.UpdatedAt, diff)
	}
	if err := e.s.BlockChannel(e.ctx, a.ID+100, store.ChannelSMS, "x", at(0)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("BlockChannel(unknown): %v, want ErrNotFound", err)
	}
	if err := e.s.BlockChannel(e.ctx, a.ID, "fax", "x", at(0)); err == nil {
		t.Error("BlockChannel(fax) succeeded")
	}
}
