package worker_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/worker"
)

// clock is a settable clock for Settings.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// nextAt returns the first instant after t at hh:mm UTC.
func nextAt(t time.Time, hh, mm int) time.Time {
	next := time.Date(t.Year(), t.Month(), t.Day(), hh, mm, 0, 0, time.UTC)
	if !next.After(t) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

const (
	saoPauloPhone = "+5511987654321"
	kolkataPhone  = "+919876543210"
)

// quietCampaign creates a campaign with two SMS supporters: one in Sao Paulo
// (UTC-3 all year) and one in Kolkata (UTC+05:30).
func (h *harness) quietCampaign(slug string) {
	h.t.Helper()
	body := fmt.Sprintf(`{"slug":%q,"name":"Quiet","locale":"en","timezone":"Europe/London","sms":{"from":"+15005550006"}}`, slug)
	if code := h.call("POST", "/v1/campaigns", "application/json", body, nil); code != http.StatusCreated {
		h.t.Fatalf("create campaign: %d", code)
	}
	csv := "phone,name,locale,timezone,channels,confirmed\n" +
		saoPauloPhone + ",Ana,pt-BR,America/Sao_Paulo,sms,true\n" +
		kolkataPhone + ",Ravi,en-IN,Asia/Kolkata,sms,true\n"
	if code := h.call("POST", "/v1/campaigns/"+slug+"/supporters/import", "text/csv", csv, nil); code != http.StatusOK {
		h.t.Fatalf("import: %d", code)
	}
}

// smsByPhone returns the alert's SMS deliveries by phone number.
func (h *harness) smsByPhone(alertID int64) map[string]store.Delivery {
	h.t.Helper()
	out := map[string]store.Delivery{}
	for id, d := range h.deliveries(alertID)[store.ChannelSMS] {
		s, err := h.st.SupporterByID(context.Background(), id)
		if err != nil {
			h.t.Fatal(err)
		}
		out[s.Phone] = d
	}
	return out
}

// TestQuietHours: at 02:30 UTC it is 23:30 in Sao Paulo, inside 21:00-08:00,
// and 08:00 in Kolkata, just outside. The SMS to Kolkata goes at once; the one to
// Sao Paulo waits, queued without spending an attempt, until 08:00 there
// (11:00 UTC), and goes then. An urgent alert goes to both at once; an alert
// that expires before 08:00 in Sao Paulo ends expired there and is never sent.
func TestQuietHours(t *testing.T) {
	for _, tc := range []struct {
		name        string
		extra       string // more alert fields
		wantHeld    bool
		wantExpired bool
	}{
		{name: "held until 08:00 local", wantHeld: true},
		{name: "urgent goes at once", extra: `,"urgent":true`},
		{name: "expires before the morning", extra: `,"expires_at":%q`, wantExpired: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			start := nextAt(time.Now(), 2, 30)
			clk := &clock{now: start}
			h.set.Now, h.set.QuietHours = clk.Now, quiet.Window{Start: 21 * time.Hour, End: 8 * time.Hour}
			h.quietCampaign("quiet")
			sp, kol := saoPauloPhone, kolkataPhone
			h.startWorker()
			extra := tc.extra
			if tc.wantExpired {
				extra = fmt.Sprintf(extra, start.Add(2*time.Hour).Format(time.RFC3339))
			}
			a := h.postAlert("quiet", `{"template":"mobilization","channels":["sms"],"data":{"title":"Vigil"}`+extra+`}`)

			morning := start.Add(8*time.Hour + 30*time.Minute) // 08:00 in Sao Paulo
			var ds map[string]store.Delivery
			poll.Until(t, 10*time.Second, func() bool {
				ds = h.smsByPhone(a.ID)
				return len(ds) == 2 && ds[kol].Status == store.DeliverySent && ds[sp].Status != store.DeliverySending &&
					(ds[sp].Status != store.DeliveryQueued || ds[sp].ErrorCode == "quiet_hours")
			}, func() string { return fmt.Sprintf("deliveries: %+v", ds) })
			got := ds[sp]
			switch {
			case tc.wantHeld:
				if got.Status != store.DeliveryQueued || !got.NextAttemptAt.Equal(morning) || got.Attempts != 0 {
					t.Fatalf("Sao Paulo: %s, next %s, %d attempts; want queued until %s, no attempt",
						got.Status, got.NextAttemptAt.UTC(), got.Attempts, morning)
				}
			case tc.wantExpired:
				if got.Status != store.DeliveryExpired {
					t.Fatalf("Sao Paulo: %s, want expired", got.Status)
				}
			default:
				if got.Status != store.DeliverySent || !got.SentAt.Equal(start) {
					t.Fatalf("Sao Paulo: %s at %s, want sent at once", got.Status, got.SentAt)
				}
			}
			if !tc.wantHeld {
				if n := h.tw.Count(); n != map[bool]int{true: 1, false: 2}[tc.wantExpired] {
					t.Errorf("Twilio received %d messages", n)
				}
				return
			}
			if n := h.tw.Count(); n != 1 {
				t.Fatalf("Twilio received %d messages while one waits, want 1", n)
			}
			// Morning comes: the batch runs again (its asynq retry is hours away in
			// real time, so the test runs it itself) and sends the held message.
			clk.Set(morning)
			task, err := worker.NewDeliverTask(store.Batch{AlertID: a.ID, Channel: store.ChannelSMS, FirstID: min(ds[sp].ID, ds[kol].ID), LastID: max(ds[sp].ID, ds[kol].ID)})
			if err != nil {
				t.Fatal(err)
			}
			if err := h.w.DeliverHandler().ProcessTask(context.Background(), task); err != nil {
				t.Fatalf("deliver in the morning: %v", err)
			}
			got = h.smsByPhone(a.ID)[sp]
			if got.Status != store.DeliverySent || !got.SentAt.Equal(morning) || got.Attempts != 1 {
				t.Errorf("Sao Paulo in the morning: %s at %s after %d attempts; want sent at %s, 1 attempt", got.Status, got.SentAt, got.Attempts, morning)
			}
			if n := h.tw.Count(); n != 2 {
				t.Errorf("Twilio received %d messages, want 2", n)
			}
		})
	}
}
