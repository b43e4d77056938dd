package worker_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/token"
)

func (h *harness) withTokens() *token.Signer {
	h.t.Helper()
	s, err := token.NewSigner([]byte("0123456789abcdef0123456789abcdef-test"))
	if err != nil {
		h.t.Fatal(err)
	}
	h.tokens = s
	return s
}

// TestEmailsCarryUnsubscribe: every email names its supporter's own signed
// unsubscribe link, in the footer and as RFC 8058 one-click headers.
func TestEmailsCarryUnsubscribe(t *testing.T) {
	const n = 5
	h := newHarness(t)
	signer := h.withTokens()
	h.campaign("unsub", n)
	h.startWorker()
	a := h.postAlert("unsub", `{"template":"mobilization","channels":["email"],"data":{"title":"Vigil"}}`)
	h.waitAlert(a.ID, 20*time.Second)
	link := regexp.MustCompile(`https://muster\.example\.org/unsubscribe/([A-Za-z0-9_-]+)`)
	seen := map[int64]bool{}
	for _, m := range h.smtp.Messages() {
		lu := m.Header.Get("List-Unsubscribe")
		match := link.FindStringSubmatch(lu)
		if match == nil || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Fatalf("to %v: List-Unsubscribe %q, -Post %q", m.To, lu, m.Header.Get("List-Unsubscribe-Post"))
		}
		if !strings.Contains(string(m.Data), match[1]) {
			t.Errorf("to %v: the body does not show the link of the header", m.To)
		}
		c, err := signer.Verify(match[1], token.Unsubscribe, time.Now())
		if err != nil || c.Channel != "email" {
			t.Fatalf("to %v: token %v, %v", m.To, c, err)
		}
		sup, err := h.st.SupporterByID(context.Background(), c.SupporterID)
		if err != nil || !strings.EqualFold(sup.Email, m.To[0]) {
			t.Errorf("the link sent to %v unsubscribes supporter %d (%s)", m.To, c.SupporterID, sup.Email)
		}
		seen[c.SupporterID] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct unsubscribe links for %d supporters", len(seen), n)
	}
}

// TestStopMidAlert: a supporter who texts STOP while an alert to them is still
// queued receives nothing further.
func TestStopMidAlert(t *testing.T) {
	const n = 20
	h := newHarness(t)
	h.rates["sms"] = 4 // a few a second: the alert takes seconds
	h.campaign("stop", n)
	h.startWorker()
	a := h.postAlert("stop", `{"template":"mobilization","channels":["sms"],"data":{"title":"Vigil"},"urgent":true}`)
	poll.Until(t, 10*time.Second, func() bool { return h.tw.Count() >= 2 }, func() string { return "no SMS went out" })
	last := phone(n - 1)
	h.inbound(last, "STOP")
	got := h.waitAlert(a.ID, 30*time.Second)
	if h.tw.CountTo(last) != 0 {
		t.Errorf("the supporter who texted STOP received %d SMS", h.tw.CountTo(last))
	}
	if got.Counts["sms"]["suppressed"] < 1 || h.tw.Count() != n-int(got.Counts["sms"]["suppressed"]) {
		t.Errorf("counts %v, Twilio got %d of %d", got.Counts, h.tw.Count(), n)
	}
}

// TestConfirmationEmail: the double opt-in email goes out in the supporter's
// language with a link that confirms them; one whose task was lost is sent by
// the reconciler.
func TestConfirmationEmail(t *testing.T) {
	h := newHarness(t)
	signer := h.withTokens()
	h.set.SendLease = time.Millisecond // every unsent confirmation is overdue at once
	body := `{"slug":"conf","name":"Vigil Coalition","locale":"en","timezone":"UTC","email":{"from":"Vigil <alerts@example.org>"}}`
	if code := h.call("POST", "/v1/campaigns", "application/json", body, nil); code != http.StatusCreated {
		t.Fatalf("campaign: %d", code)
	}
	for _, s := range []string{`{"email":"ana@example.org","name":"Ana","locale":"pt-BR"}`, `{"email":"bo@example.org","name":"Bo","locale":"en"}`} {
		if code := h.call("POST", "/v1/campaigns/conf/supporters", "application/json", s, nil); code != http.StatusCreated {
			t.Fatalf("supporter: %d", code)
		}
	}
	w := h.idleWorker()
	c, err := h.st.CampaignBySlug(context.Background(), "conf")
	if err != nil {
		t.Fatal(err)
	}
	// Ana's confirmation is enqueued as the join page does; Bo's is not, as if
	// its task had been lost.
	ana, err := h.st.SupporterByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Queue().EnqueueConfirmation(context.Background(), ana.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	h.startWorker()
	if err := h.w.Reconciler().Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.smtp.WaitCount(t, 2, 10*time.Second)
	link := regexp.MustCompile(`https://muster\.example\.org/confirm/([A-Za-z0-9_-]+)`)
	for _, m := range h.smtp.Messages() {
		match := link.FindStringSubmatch(string(m.Data))
		if match == nil {
			t.Fatalf("no confirmation link in the email to %v", m.To)
		}
		claims, err := signer.Verify(match[1], token.Confirm, time.Now())
		if err != nil {
			t.Fatalf("to %v: %v", m.To, err)
		}
		sup, _ := h.st.SupporterByID(context.Background(), claims.SupporterID)
		if sup.Email != m.To[0] || claims.CampaignID != c.ID {
			t.Errorf("the link sent to %v confirms %s on campaign %d", m.To, sup.Email, claims.CampaignID)
		}
		if sup.Locale == "pt-BR" && !strings.Contains(m.Header.Get("Subject"), "=?") && !strings.Contains(m.Header.Get("Subject"), "Confirme") {
			t.Errorf("Ana's confirmation is not in Portuguese: %q", m.Header.Get("Subject"))
		}
	}
	poll.Until(t, 5*time.Second, func() bool {
		left, err := h.st.UnsentConfirmations(context.Background(), time.Now().Add(time.Hour), 10)
		return err == nil && len(left) == 0
	}, func() string { return "confirmations still recorded as unsent" })
	if n := h.smtp.Count(); n != 2 {
		t.Errorf("%d emails, want one confirmation each", n)
	}
}

// TestSMSConfirmByReply: in a campaign that asks for it, an SMS subscription
// nobody attested waits, pending, and gets a text asking to reply; the reply
// SIM makes it active, and alerts reach it then.
func TestSMSConfirmByReply(t *testing.T) {
	h := newHarness(t)
	body := `{"slug":"yes","name":"Vigil","locale":"en","timezone":"UTC","sms":{"from":"+15005550006","confirm_by_reply":true}}`
	if code := h.call("POST", "/v1/campaigns", "application/json", body, nil); code != http.StatusCreated {
		t.Fatalf("campaign: %d", code)
	}
	const ana = "+5511987654321"
	sup := `{"phone":"` + ana + `","name":"Ana","locale":"pt-BR","channels":["sms"],"consent":{"text":"Quero alertas"}}`
	if code := h.call("POST", "/v1/campaigns/yes/supporters", "application/json", sup, nil); code != http.StatusCreated {
		t.Fatalf("supporter: %d", code)
	}
	h.startWorker()
	poll.Until(t, 10*time.Second, func() bool { return h.tw.CountTo(ana) == 1 }, func() string { return "no question texted" })
	if q := h.tw.Messages()[0].Body; !strings.Contains(q, "responda SIM") {
		t.Errorf("the question is %q, want it in Portuguese asking for SIM", q)
	}
	a := h.postAlert("yes", `{"template":"mobilization","channels":["sms"],"data":{"title":"Vigil"},"urgent":true}`)
	if got := h.waitAlert(a.ID, 10*time.Second); got.AudienceSize != 0 {
		t.Fatalf("an alert reached %d unconfirmed supporters", got.AudienceSize)
	}
	h.inbound(ana, "sim")
	a = h.postAlert("yes", `{"template":"mobilization","channels":["sms"],"data":{"title":"Vigil"},"urgent":true}`)
	if got := h.waitAlert(a.ID, 10*time.Second); got.Counts["sms"]["sent"] != 1 || h.tw.CountTo(ana) != 2 {
		t.Errorf("after SIM: counts %v, %d texts to Ana; want the alert sent", got.Counts, h.tw.CountTo(ana))
	}
}

// inbound posts a text from a number to the inbound webhook, signed as Twilio signs it.
func (h *harness) inbound(from, body string) {
	h.t.Helper()
	form := url.Values{"From": {from}, "To": {"+15005550006"}, "Body": {body}}
	req, err := http.NewRequest(http.MethodPost, h.api.URL+"/webhooks/twilio/inbound", strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sms.Sign(twilioToken, h.set.BaseURL+"/webhooks/twilio/inbound", form))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		h.t.Fatalf("inbound %q: %d", body, res.StatusCode)
	}
}
