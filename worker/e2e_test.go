package worker_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// failures injected into the providers, by supporter index.
type injected struct {
	emailTransient, emailRateLimited, emailRecipient  map[int]bool
	smsTransient, smsRateLimited, smsInvalid, smsStop map[int]bool
}

func indexes(from, n int) map[int]bool {
	m := map[int]bool{}
	for i := from; i < from+n; i++ {
		m[i] = true
	}
	return m
}

func (h *harness) inject() injected {
	in := injected{
		emailTransient: indexes(0, 20), emailRateLimited: indexes(100, 10), emailRecipient: indexes(200, 10),
		smsTransient: indexes(300, 20), smsRateLimited: indexes(400, 10), smsInvalid: indexes(500, 5), smsStop: indexes(600, 5),
	}
	for i := range in.emailTransient {
		h.smtp.Fail(email(i), 451, "4.3.0", "Mailbox temporarily unavailable", 2)
	}
	for i := range in.emailRateLimited {
		h.smtp.Fail(email(i), 421, "4.7.0", "Too many messages, slow down", 1)
	}
	for i := range in.emailRecipient {
		h.smtp.Fail(email(i), 550, "5.1.1", "No such user", -1)
	}
	for i := range in.smsTransient {
		h.tw.FailRaw(phone(i), http.StatusServiceUnavailable, "text/html", "<html><body>503 Service Unavailable</body></html>", 1)
	}
	for i := range in.smsRateLimited {
		h.tw.Fail(phone(i), http.StatusTooManyRequests, 20429, "Too Many Requests", 2)
	}
	for i := range in.smsInvalid {
		h.tw.Fail(phone(i), http.StatusBadRequest, 21211, "The 'To' number is not a valid phone number.", -1)
	}
	for i := range in.smsStop {
		h.tw.Fail(phone(i), http.StatusBadRequest, 21610, "Attempt to send to unsubscribed recipient", -1)
	}
	return in
}

// TestEndToEnd sends one alert to 1,000 supporters on both channels through
// the API, the workers, a real SMTP server and the Twilio stand-in, with every
// class of failure injected.
func TestEndToEnd(t *testing.T) {
	const n = 1000
	h := newHarness(t)
	h.campaign("e2e", n)
	in := h.inject()
	h.startWorker()

	a := h.postAlert("e2e", mobilization)
	a = h.waitAlert(a.ID, 60*time.Second)
	if a.Status != "completed" || a.AudienceSize != n {
		t.Fatalf("alert %s with audience %d, want completed with %d", a.Status, a.AudienceSize, n)
	}

	// Exactly one message per supporter and channel, none for recipients refused.
	for i := range n {
		if want, got := b2i(!in.emailRecipient[i]), h.smtp.CountTo(email(i)); got != want {
			t.Errorf("supporter %d got %d emails, want %d", i, got, want)
		}
		if want, got := b2i(!in.smsInvalid[i] && !in.smsStop[i]), h.tw.CountTo(phone(i)); got != want {
			t.Errorf("supporter %d got %d SMS, want %d", i, got, want)
		}
	}
	// The API's counts match what the servers received.
	wantCounts := map[string]map[string]int64{
		"email": {"sent": int64(h.smtp.Count()), "failed": 10},
		"sms":   {"sent": int64(h.tw.Count()), "failed": 10},
	}
	for ch, want := range wantCounts {
		for status, n := range want {
			if got := a.Counts[ch][status]; got != n {
				t.Errorf("counts[%s][%s] = %d, want %d (all: %v)", ch, status, got, n, a.Counts)
			}
		}
	}
	h.checkDeliveries(a.ID, in)
}

func (h *harness) checkDeliveries(alertID int64, in injected) {
	ds := h.deliveries(alertID)
	sups := h.supporters()
	byIndex := func(ch store.Channel, i int) store.Delivery { return ds[ch][sups[i].ID] }
	type want struct {
		status             store.DeliveryStatus
		class              string
		attempts, failures int
	}
	cases := []struct {
		name string
		ch   store.Channel
		set  map[int]bool
		want want
	}{
		{"email transient: retried, then sent", store.ChannelEmail, in.emailTransient, want{store.DeliverySent, "", 3, 2}},
		{"email rate limited: waited, budget untouched", store.ChannelEmail, in.emailRateLimited, want{store.DeliverySent, "", 2, 0}},
		{"email recipient: tried once", store.ChannelEmail, in.emailRecipient, want{store.DeliveryFailed, "recipient", 1, 0}},
		{"sms transient: retried, then sent", store.ChannelSMS, in.smsTransient, want{store.DeliverySent, "", 2, 1}},
		{"sms rate limited: waited, budget untouched", store.ChannelSMS, in.smsRateLimited, want{store.DeliverySent, "", 3, 0}},
		{"sms invalid number: tried once", store.ChannelSMS, in.smsInvalid, want{store.DeliveryFailed, "recipient", 1, 0}},
		{"sms STOP: tried once", store.ChannelSMS, in.smsStop, want{store.DeliveryFailed, "recipient", 1, 0}},
	}
	for _, c := range cases {
		for i := range c.set {
			d := byIndex(c.ch, i)
			got := want{d.Status, d.ErrorClass, d.Attempts, d.Failures}
			if got != c.want {
				h.t.Errorf("%s: supporter %d: %+v, want %+v", c.name, i, got, c.want)
			}
		}
	}
	h.checkSuppressed(sups, in)
}

// supporters lists the campaign's supporters in import order.
func (h *harness) supporters() []store.Supporter {
	sups, _, err := h.st.ListSupporters(context.Background(), 1, store.SupporterFilter{}, store.Page{Limit: 1000})
	if err != nil {
		h.t.Fatal(err)
	}
	return sups
}

// checkSuppressed: refused addresses are suppressed; a STOP unsubscribes.
func (h *harness) checkSuppressed(sups []store.Supporter, in injected) {
	status := func(i int, ch store.Channel) store.SubscriptionStatus {
		for _, s := range sups[i].Subscriptions {
			if s.Channel == ch {
				return s.Status
			}
		}
		return ""
	}
	for i := range sups {
		want := map[store.Channel]store.SubscriptionStatus{store.ChannelEmail: store.SubActive, store.ChannelSMS: store.SubActive}
		switch {
		case in.emailRecipient[i]:
			want[store.ChannelEmail] = store.SubSuppressed
		case in.smsInvalid[i]:
			want[store.ChannelSMS] = store.SubSuppressed
		case in.smsStop[i]:
			want[store.ChannelSMS] = store.SubUnsubscribed
		}
		for ch, w := range want {
			if got := status(i, ch); got != w {
				h.t.Errorf("supporter %d %s subscription %q, want %q", i, ch, got, w)
			}
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
