package api_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/store"
)

const (
	webhookBase  = "https://muster.example.org"
	webhookToken = "0123456789abcdef0123456789abcdef"
)

// twilioEnv is an API that takes Twilio's webhooks.
func twilioEnv(t *testing.T) *env {
	return newEnv(t, func(o *envOptions) {
		o.cfg.BaseURL, o.cfg.TwilioAuthToken = webhookBase, webhookToken
	})
}

// twilio posts form to path signed as Twilio signs it for signedURL.
func (e *env) twilio(path string, form url.Values, signedURL string) response {
	e.t.Helper()
	return e.do(request{method: "POST", path: path, contentType: "application/x-www-form-urlencoded",
		body: form.Encode(), header: map[string]string{"X-Twilio-Signature": sms.Sign(webhookToken, signedURL, form)}})
}

func TestTwilioSignatures(t *testing.T) {
	e := twilioEnv(t)
	form := url.Values{"MessageSid": {"SM1"}, "MessageStatus": {"delivered"}}
	const path = "/webhooks/twilio/status"
	changed := url.Values{"MessageSid": {"SM2"}, "MessageStatus": {"delivered"}}
	tests := []struct {
		name string
		req  request
		want int
	}{
		{"signed by Twilio", request{body: form.Encode(), header: map[string]string{"X-Twilio-Signature": sms.Sign(webhookToken, webhookBase+path, form)}}, 204},
		{"no signature", request{body: form.Encode()}, 403},
		{"a wrong signature", request{body: form.Encode(), header: map[string]string{"X-Twilio-Signature": sms.Sign("another-token-0123456789abcdef012", webhookBase+path, form)}}, 403},
		{"a changed parameter", request{body: changed.Encode(), header: map[string]string{"X-Twilio-Signature": sms.Sign(webhookToken, webhookBase+path, form)}}, 403},
		{"the http form of the https URL", request{body: form.Encode(), header: map[string]string{"X-Twilio-Signature": sms.Sign(webhookToken, "http://muster.example.org"+path, form)}}, 403},
		{"another path", request{body: form.Encode(), header: map[string]string{"X-Twilio-Signature": sms.Sign(webhookToken, webhookBase+"/webhooks/twilio/inbound", form)}}, 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.method, tc.req.path, tc.req.contentType = "POST", path, "application/x-www-form-urlencoded"
			if res := e.do(tc.req); res.status != tc.want {
				t.Errorf("status %d, want %d: %s", res.status, tc.want, res.body)
			}
		})
	}
	unconfigured := newEnv(t)
	if res := unconfigured.twilio(path, form, "http://127.0.0.1"+path); res.status != 403 {
		t.Errorf("without a Twilio auth token: %d, want 403", res.status)
	}
}

// sentSMS seeds a campaign whose alert sent an SMS to each supporter, with
// provider ids SM0, SM1...
func sentSMS(e *env, sups ...store.Supporter) (store.Campaign, []store.Supporter) {
	e.t.Helper()
	ctx := context.Background()
	c := e.seedCampaign("free-assange")
	var out []store.Supporter
	for _, s := range sups {
		out = append(out, e.seedSupporter(c, s))
	}
	a, _, err := e.st.CreateAlert(ctx, store.Alert{CampaignID: c.ID, Template: "mobilization", Channels: []store.Channel{store.ChannelSMS}, SendAt: testNow})
	if err != nil {
		e.t.Fatal(err)
	}
	res, err := e.st.FanoutPage(ctx, a.ID, 100, testNow)
	if err != nil {
		e.t.Fatal(err)
	}
	claims, err := e.st.ClaimDeliveries(ctx, res.Batches[0], 100, testNow, time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	var rs []store.Result
	for i, cl := range claims {
		rs = append(rs, store.Result{DeliveryID: cl.Delivery.ID, Status: store.DeliverySent, ProviderID: "SM" + string(rune('0'+i)), At: testNow})
	}
	if err := e.st.RecordResults(ctx, rs); err != nil {
		e.t.Fatal(err)
	}
	return c, out
}

func TestTwilioStatus(t *testing.T) {
	e := twilioEnv(t)
	c, sups := sentSMS(e,
		store.Supporter{Phone: "+447700900001", Name: "A"},
		store.Supporter{Phone: "+447700900002", Name: "B"},
		store.Supporter{Phone: "+447700900003", Name: "C"},
		store.Supporter{Phone: "+447700900004", Name: "D"},
		store.Supporter{Phone: "+447700900005", Name: "E"})
	const path = "/webhooks/twilio/status"
	post := func(sid, status, code string) {
		t.Helper()
		form := url.Values{"MessageSid": {sid}, "MessageStatus": {status}, "AccountSid": {"AC1"}}
		if code != "" {
			form.Set("ErrorCode", code)
		}
		if res := e.twilio(path, form, webhookBase+path); res.status != 204 {
			t.Fatalf("%s %s: %d %s", sid, status, res.status, res.body)
		}
	}
	post("SM0", "sent", "")
	post("SM0", "delivered", "")
	post("SM0", "sent", "") // late
	post("SM1", "undelivered", "30006")
	post("SM2", "failed", "30007")
	post("SM3", "undelivered", "30003") // handset off: temporary
	post("SM4", "undelivered", "30005") // unknown number
	post("SMunknown", "delivered", "")

	byPhone := map[string]store.Delivery{}
	ds, _, err := e.st.ListDeliveries(context.Background(), 1, store.DeliveryFilter{}, store.Page{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		for _, s := range sups {
			if s.ID == d.SupporterID {
				byPhone[s.Phone] = d
			}
		}
	}
	if d := byPhone["+447700900001"]; d.Status != store.DeliveryDelivered {
		t.Errorf("SM0: %s, want delivered (a late sent does not undo it)", d.Status)
	}
	if d := byPhone["+447700900002"]; d.Status != store.DeliveryFailed || d.ErrorCode != "30006" || d.ErrorClass != "recipient" {
		t.Errorf("SM1: %+v", d)
	}
	if sub, _ := e.st.Subscription(context.Background(), sups[1].ID, c.ID, store.ChannelSMS); sub.Status != store.SubSuppressed {
		t.Errorf("the landline's subscription is %s, want suppressed", sub.Status)
	}
	if d := byPhone["+447700900004"]; d.Status != store.DeliveryFailed || d.ErrorCode != "30003" || d.ErrorClass != "transient" {
		t.Errorf("SM3: %+v", d)
	}
	if sub, _ := e.st.Subscription(context.Background(), sups[3].ID, c.ID, store.ChannelSMS); sub.Status != store.SubActive {
		t.Errorf("the unreachable handset's subscription is %s, want active (30003 is temporary)", sub.Status)
	}
	if sub, _ := e.st.Subscription(context.Background(), sups[4].ID, c.ID, store.ChannelSMS); sub.Status != store.SubSuppressed {
		t.Errorf("the unknown number's subscription is %s, want suppressed", sub.Status)
	}
	if got, _ := e.st.CampaignByID(context.Background(), c.ID); !strings.HasPrefix(got.SMSWarning, "30007") {
		t.Errorf("campaign SMS warning = %q, want the carrier filtering", got.SMSWarning)
	}
}

func TestTwilioInbound(t *testing.T) {
	e := twilioEnv(t)
	c := e.seedCampaign("free-assange")
	if _, err := e.st.UpdateCampaign(context.Background(), withContact(c, "info@example.org")); err != nil {
		t.Fatal(err)
	}
	ana := e.seedSupporter(c, store.Supporter{Phone: "+5511987654321", Name: "Ana", Locale: "pt-BR"})
	const path = "/webhooks/twilio/inbound"
	inbound := func(from, body string, extra ...string) string {
		t.Helper()
		form := url.Values{"From": {from}, "To": {"+15005550006"}, "Body": {body}, "MessageSid": {"SMin"}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		res := e.twilio(path, form, webhookBase+path)
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/xml") {
			t.Fatalf("%q: %d %s %s", body, res.status, res.header.Get("Content-Type"), res.body)
		}
		return string(res.body)
	}
	status := func() store.SubscriptionStatus {
		sub, err := e.st.Subscription(context.Background(), ana.ID, c.ID, store.ChannelSMS)
		if err != nil {
			t.Fatal(err)
		}
		return sub.Status
	}
	if got := inbound(ana.Phone, "  Sair! "); !strings.Contains(got, "<Message>Seu cadastro em Free Assange foi cancelado") {
		t.Errorf("SAIR answered %s", got)
	}
	if st := status(); st != store.SubUnsubscribed {
		t.Fatalf("after SAIR the subscription is %s", st)
	}
	if got := inbound(ana.Phone, "start"); !strings.Contains(got, "reativado") || status() != store.SubActive {
		t.Errorf("START answered %s; subscription %s", got, status())
	}
	if got := inbound(ana.Phone, "STOP", "OptOutType", "STOP"); strings.Contains(got, "<Message>") || status() != store.SubUnsubscribed {
		t.Errorf("STOP with Advanced Opt-Out answered %s (want no message); subscription %s", got, status())
	}
	if got := inbound(ana.Phone, "ajuda"); !strings.Contains(got, "info@example.org") {
		t.Errorf("AJUDA answered %s", got)
	}
	if got := inbound(ana.Phone, "see you at the chain!"); strings.Contains(got, "<Message>") {
		t.Errorf("an ordinary message was answered: %s", got)
	}
	if got := inbound("+447700900555", "ALTO"); !strings.Contains(got, "Te diste de baja") {
		t.Errorf("an unknown number's ALTO answered %s", got)
	}
	if ok, _ := e.st.Suppressed(context.Background(), store.ChannelSMS, "+447700900555"); !ok {
		t.Error("an unknown number that texted ALTO is not in the suppression list")
	}
}

func withContact(c store.Campaign, contact string) store.Campaign {
	c.Contact = contact
	return c
}
