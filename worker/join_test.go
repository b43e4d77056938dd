package worker_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/ratelimit"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/web"
	"github.com/muster-org/muster/worker"
)

// pages serves the public pages on the harness's store and Redis, as
// `muster run` does beside the API.
func (h *harness) pages() *httptest.Server {
	h.t.Helper()
	if h.tokens == nil {
		h.withTokens()
	}
	client := asynq.NewClient(h.redis)
	h.t.Cleanup(func() { _ = client.Close() })
	handler, err := web.New(web.Config{BaseURL: h.set.BaseURL}, h.st, h.tokens, worker.NewQueue(client),
		ratelimit.NewThrottle(h.rdb, 600, 100), quietLogger())
	if err != nil {
		h.t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	h.t.Cleanup(srv.Close)
	return srv
}

// join posts the public join form of a campaign, anonymously, as a script can.
func (h *harness) join(pages *httptest.Server, slug string, fields url.Values) {
	h.t.Helper()
	fields.Set("consent", "yes")
	res, err := http.PostForm(pages.URL+"/c/"+slug, fields)
	if err != nil {
		h.t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		h.t.Fatalf("join %s: %d", slug, res.StatusCode)
	}
}

// smsSub returns the SMS subscription of the supporter with that number.
func (h *harness) smsSub(slug, phone string) store.Subscription {
	h.t.Helper()
	ctx := context.Background()
	sup, err := h.st.SupporterByPhone(ctx, phone)
	if err != nil {
		h.t.Fatal(err)
	}
	c, err := h.st.CampaignBySlug(ctx, slug)
	if err != nil {
		h.t.Fatal(err)
	}
	sub, err := h.st.Subscription(ctx, sup.ID, c.ID, store.ChannelSMS)
	if err != nil {
		h.t.Fatal(err)
	}
	return sub
}

// refused is how many requests the Twilio stand-in refused.
func (h *harness) refused() int { return h.tw.Requests() - h.tw.Count() }

// smsAlert is an urgent SMS alert, so that quiet hours do not hold it.
const smsAlert = `{"template":"mobilization","channels":["sms"],"data":{"title":"Vigil"},"urgent":true}`

// TestJoinCannotLiftStop is the way in from outside: a signed STOP, then an
// anonymous join with that number. The next SMS alert must not reach it, and
// nothing is texted to it at all (Twilio refuses a number that texted STOP,
// as the stand-in does here); its START brings it back.
func TestJoinCannotLiftStop(t *testing.T) {
	h := newHarness(t)
	h.campaign("stop", 1)
	pages := h.pages()
	h.startWorker()
	number := phone(0)
	h.inbound(number, "STOP")
	h.tw.Fail(number, http.StatusBadRequest, 21610, "Attempt to send to unsubscribed recipient", -1)
	h.join(pages, "stop", url.Values{"channels": {"sms"}, "phone": {number}})
	a := h.postAlert("stop", smsAlert)
	got := h.waitAlert(a.ID, 20*time.Second)
	if sub := h.smsSub("stop", number); sub.Status != store.SubUnsubscribed || sub.Reason != store.ReasonSMSStop {
		t.Errorf("after the join the subscription is %s (%s), want still stopped", sub.Status, sub.Reason)
	}
	if got.AudienceSize != 0 || h.refused() != 0 {
		t.Fatalf("the alert reached %d supporters and Twilio refused %d texts to the stopped number", got.AudienceSize, h.refused())
	}
	h.inbound(number, "START")
	h.tw.Fail(number, 0, 0, "", 0) // Twilio lets the number through again after its START
	a = h.postAlert("stop", smsAlert)
	if got := h.waitAlert(a.ID, 20*time.Second); got.Counts["sms"]["sent"] != 1 || h.tw.CountTo(number) != 1 {
		t.Errorf("after START: counts %v, %d texts; want the alert sent", got.Counts, h.tw.CountTo(number))
	}
}

// TestJoinCannotLiftCarrierStop: a number Twilio refused with 21610 (it had
// texted STOP to our sender) stays stopped through a join; its own YES
// brings it back.
func TestJoinCannotLiftCarrierStop(t *testing.T) {
	h := newHarness(t)
	h.campaign("carrier", 1)
	pages := h.pages()
	h.startWorker()
	number := phone(0)
	h.tw.Fail(number, http.StatusBadRequest, 21610, "Attempt to send to unsubscribed recipient", -1)
	a := h.postAlert("carrier", smsAlert)
	if got := h.waitAlert(a.ID, 20*time.Second); got.Counts["sms"]["failed"] != 1 {
		t.Fatalf("counts %v, want the text failed", got.Counts)
	}
	refused := h.refused()
	h.join(pages, "carrier", url.Values{"channels": {"sms"}, "phone": {number}})
	a = h.postAlert("carrier", smsAlert)
	got := h.waitAlert(a.ID, 20*time.Second)
	if sub := h.smsSub("carrier", number); sub.Status != store.SubUnsubscribed || sub.Reason != store.ReasonCarrierStop {
		t.Errorf("after the join the subscription is %s (%s), want still stopped by the carrier", sub.Status, sub.Reason)
	}
	if got.AudienceSize != 0 || h.refused() != refused {
		t.Fatalf("after the join the alert reached %d, and %d more texts were refused", got.AudienceSize, h.refused()-refused)
	}
	h.tw.Fail(number, 0, 0, "", 0)
	h.inbound(number, "YES")
	a = h.postAlert("carrier", smsAlert)
	if got := h.waitAlert(a.ID, 20*time.Second); got.Counts["sms"]["sent"] != 1 || h.tw.CountTo(number) != 1 {
		t.Errorf("after YES: counts %v, %d texts; want the alert sent", got.Counts, h.tw.CountTo(number))
	}
}

// TestJoinSMSAskedFirst: in a campaign that does not ask for a reply YES
// (sms.confirm_by_reply off), a number typed into the form is asked first,
// and gets alerts only after its YES.
func TestJoinSMSAskedFirst(t *testing.T) {
	h := newHarness(t)
	h.campaign("ask", 0)
	pages := h.pages()
	h.startWorker()
	const ana = "+5511987654321"
	h.join(pages, "ask", url.Values{"channels": {"sms"}, "phone": {ana}, "locale": {"pt-BR"}})
	poll.Until(t, 10*time.Second, func() bool { return h.tw.CountTo(ana) == 1 }, func() string { return "no question texted" })
	if q := h.tw.Messages()[0].Body; !strings.Contains(q, "responda SIM") {
		t.Errorf("the question is %q, want it in Portuguese asking for SIM", q)
	}
	a := h.postAlert("ask", smsAlert)
	if got := h.waitAlert(a.ID, 10*time.Second); got.AudienceSize != 0 {
		t.Fatalf("an alert reached %d numbers that had not answered", got.AudienceSize)
	}
	h.inbound(ana, "SIM")
	a = h.postAlert("ask", smsAlert)
	if got := h.waitAlert(a.ID, 10*time.Second); got.Counts["sms"]["sent"] != 1 || h.tw.CountTo(ana) != 2 {
		t.Errorf("after SIM: counts %v, %d texts; want the alert sent", got.Counts, h.tw.CountTo(ana))
	}
}

// countingLimiter counts the permits the real shared limiter hands out, by key.
type countingLimiter struct {
	inner *ratelimit.Limiter
	mu    sync.Mutex
	given map[string]int
}

func (l *countingLimiter) Take(ctx context.Context, key string, n int) (int, time.Duration, error) {
	got, wait, err := l.inner.Take(ctx, key, n)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.given[key] += got
	return got, wait, err
}

func (l *countingLimiter) count(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.given[key]
}

// TestConfirmationsTakePermits: the confirmation email and text go through
// the providers' shared rates like every alert: one permit each.
func TestConfirmationsTakePermits(t *testing.T) {
	h := newHarness(t)
	h.campaign("permits", 0)
	pages := h.pages()
	h.rates["email"], h.rates["sms"] = 50, 50
	lim := &countingLimiter{inner: ratelimit.New(h.rdb, h.rates), given: map[string]int{}}
	h.limiter = lim
	h.startWorker()
	const ana = "+5511987654321"
	h.join(pages, "permits", url.Values{"channels": {"email", "sms"}, "email": {"ana@example.org"}, "phone": {ana}})
	h.smtp.WaitCount(t, 1, 10*time.Second)
	if n := lim.count("email"); n != 1 {
		t.Errorf("%d email permits taken for the confirmation email, want 1", n)
	}
	h.tw.WaitCount(t, 1, 10*time.Second)
	if n := lim.count("sms"); n != 1 {
		t.Errorf("%d SMS permits taken for the question, want 1", n)
	}
}
