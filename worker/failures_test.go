package worker_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/worker"
)

// A configuration error (here Twilio refusing the account's credentials) stops
// the alert's SMS after the first chunks instead of trying every recipient;
// email goes on.
func TestConfigFailureStopsChannel(t *testing.T) {
	const n = 300
	h := newHarness(t)
	h.campaign("cfg", n)
	h.token = "ffffffffffffffffffffffffffffffff" // not the account's token
	h.startWorker()

	a := h.waitAlert(h.postAlert("cfg", mobilization).ID, 60*time.Second)
	if a.Blocked["sms"] == "" {
		t.Errorf("alert not flagged: blocked = %v", a.Blocked)
	}
	if got, most := h.tw.Requests(), h.set.SMSConcurrency*h.set.ChunkSize; got == 0 || got > most {
		t.Errorf("Twilio got %d requests, want 1..%d (the first chunks only)", got, most)
	}
	if h.tw.Count() != 0 || a.Counts["sms"]["failed"] != n {
		t.Errorf("sms: %d accepted, counts %v; want none accepted and %d failed", h.tw.Count(), a.Counts["sms"], n)
	}
	if a.Counts["email"]["sent"] != n || h.smtp.Count() != n {
		t.Errorf("email: counts %v, server got %d; want %d sent", a.Counts["email"], h.smtp.Count(), n)
	}
	for _, d := range h.deliveries(a.ID)[store.ChannelSMS] {
		if d.ErrorClass != "config" || d.ErrorCode == "" {
			t.Fatalf("sms delivery %d: class %q code %q, want config with a code", d.ID, d.ErrorClass, d.ErrorCode)
		}
	}
}

// Redis is transport: flushed mid-alert, it loses tasks but no message, and
// the reconciler's re-drives double none.
func TestRedisFlushedMidAlert(t *testing.T) {
	const n = 300
	h := newHarness(t)
	h.rates = map[string]int{"email": 100, "sms": 100} // so the alert takes seconds
	h.campaign("flush", n)
	h.startWorker()

	a := h.postAlert("flush", mobilization)
	poll.Until(t, 30*time.Second, func() bool { return h.smtp.Count() >= n/5 },
		func() string { return fmt.Sprintf("only %d emails sent", h.smtp.Count()) })
	if err := h.rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}

	a = h.waitAlert(a.ID, 60*time.Second)
	if a.Status != "completed" {
		t.Fatalf("alert %s, want completed", a.Status)
	}
	for i := range n {
		if e, s := h.smtp.CountTo(email(i)), h.tw.CountTo(phone(i)); e != 1 || s != 1 {
			t.Errorf("supporter %d got %d emails and %d SMS, want 1 and 1", i, e, s)
		}
	}
	if a.Counts["email"]["sent"] != n || a.Counts["sms"]["sent"] != n {
		t.Errorf("counts %v, want %d sent on each channel", a.Counts, n)
	}
}

// Messages that cannot go out before the alert's expiry end expired, and the
// last retries are not attempted past it.
func TestExpiryEndsRetries(t *testing.T) {
	const n = 20
	h := newHarness(t)
	h.set.RetryBudget = 1000 // only expiry can stop these retries
	h.campaign("exp", n)
	for i := range n {
		h.smtp.Fail(email(i), 451, "4.3.0", "Try again later", -1)
	}
	h.startWorker()

	expires := time.Now().Add(1500 * time.Millisecond).UTC().Format(time.RFC3339Nano)
	a := h.postAlert("exp", fmt.Sprintf(`{"template":"mobilization","channels":["email"],"expires_at":%q,
		"data":{"title":"Now","starts_at":"2022-10-08T13:00:00Z","place":"Here"}}`, expires))
	a = h.waitAlert(a.ID, 30*time.Second)
	// Sends in flight at the expiry finish (and fail) after the alert ends.
	poll.Until(t, 10*time.Second, func() bool {
		a = h.alert(a.ID)
		return a.Counts["email"]["sending"] == 0 && a.Counts["email"]["queued"] == 0
	}, func() string { return fmt.Sprintf("counts %v", a.Counts) })
	if a.Status != "expired" || a.Counts["email"]["expired"] != n || h.smtp.Count() != 0 {
		t.Fatalf("alert %s, counts %v, %d received; want expired, %d expired, none received",
			a.Status, a.Counts, h.smtp.Count(), n)
	}
	for _, d := range h.deliveries(a.ID)[store.ChannelEmail] {
		// Each try failed; a last claim may have found the alert expired and sent nothing.
		if d.Failures < 2 || d.Attempts-d.Failures > 1 {
			t.Errorf("delivery %d: %d attempts, %d failures; want failed retries until expiry", d.ID, d.Attempts, d.Failures)
		}
	}
}

// Cancelling stops what has not been sent; what was sent stays counted.
func TestCancelStopsTheRest(t *testing.T) {
	const n = 300
	h := newHarness(t)
	h.rates = map[string]int{"email": 50}
	h.campaign("cancel", n)
	h.startWorker()

	a := h.postAlert("cancel", `{"template":"mobilization","channels":["email"],
		"data":{"title":"Now","starts_at":"2022-10-08T13:00:00Z","place":"Here"}}`)
	poll.Until(t, 30*time.Second, func() bool { return h.smtp.Count() >= 20 },
		func() string { return fmt.Sprintf("only %d emails sent", h.smtp.Count()) })
	if code := h.call("POST", fmt.Sprintf("/v1/alerts/%d/cancel", a.ID), "application/json", "", nil); code != http.StatusOK {
		t.Fatalf("cancel: %d", code)
	}
	// Wait until nothing is in flight any more.
	var counts map[store.Channel]map[store.DeliveryStatus]int64
	poll.Until(t, 30*time.Second, func() bool {
		var err error
		counts, err = h.st.AlertCounts(context.Background(), a.ID)
		return err == nil && counts[store.ChannelEmail][store.DeliverySending] == 0 &&
			counts[store.ChannelEmail][store.DeliveryQueued] == 0
	}, func() string { return fmt.Sprintf("counts %v", counts) })
	sent, cancelled := counts[store.ChannelEmail][store.DeliverySent], counts[store.ChannelEmail][store.DeliveryCancelled]
	if sent != int64(h.smtp.Count()) || sent+cancelled != n || cancelled == 0 {
		t.Fatalf("sent %d (server got %d), cancelled %d; want sent = received, and the rest (%d) cancelled",
			sent, h.smtp.Count(), cancelled, n)
	}
}

// An alert that expires while its audience is being walked stops there: the
// pages recorded so far end expired, the rest are never recorded.
func TestExpiryStopsTheFanout(t *testing.T) {
	const n = 100
	h := newHarness(t)
	h.set.BatchSize = 10
	start := time.Now()
	var calls atomic.Int64
	h.set.Now = func() time.Time { return start.Add(time.Duration(calls.Add(1)) * time.Second) }
	h.campaign("exp", n)
	a := h.postAlert("exp", fmt.Sprintf(`{"template":"mobilization","channels":["email"],"expires_at":%q}`,
		start.Add(20*time.Second).Format(time.RFC3339)))
	w := h.idleWorker()
	fanout, err := worker.NewFanoutTask(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.FanoutHandler().ProcessTask(context.Background(), fanout); err != nil {
		t.Fatal(err)
	}
	got := h.alert(a.ID)
	recorded := h.deliveries(a.ID)[store.ChannelEmail]
	if got.Status != "expired" || len(recorded) == 0 || len(recorded) >= n {
		t.Fatalf("alert %s with %d of %d deliveries recorded; want expired part way", got.Status, len(recorded), n)
	}
	for _, d := range recorded {
		if d.Status != store.DeliveryExpired {
			t.Fatalf("delivery %d is %s, want expired", d.ID, d.Status)
		}
	}
}
