package api_test

import (
	"fmt"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/smstext"
	"github.com/muster-org/muster/internal/smtptest"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/twiliotest"
	"github.com/muster-org/muster/worker"
)

// previewOut is a preview response as tests read it.
type previewOut struct {
	Audience struct {
		Channels map[string]int64 `json:"channels"`
		Locales  []struct {
			Locale   string            `json:"locale"`
			Variants map[string]string `json:"variants"`
			Channels map[string]int64  `json:"channels"`
		} `json:"locales"`
	} `json:"audience"`
	Messages []struct {
		Channel  string `json:"channel"`
		Variant  string `json:"variant"`
		Audience int64  `json:"audience"`
		Sample   struct {
			Name     string `json:"name"`
			Locale   string `json:"locale"`
			Timezone string `json:"timezone"`
		} `json:"sample"`
		Subject  string `json:"subject"`
		Text     string `json:"text"`
		HTML     string `json:"html"`
		Calendar bool   `json:"calendar"`
		Body     string `json:"body"`
		Encoding string `json:"encoding"`
		Segments int    `json:"segments"`
		Units    int    `json:"units"`
	} `json:"messages"`
	Forecast struct {
		Start    time.Time `json:"start"`
		LastAt   time.Time `json:"last_at"`
		Channels []struct {
			Channel  string    `json:"channel"`
			Messages int64     `json:"messages"`
			Rate     int       `json:"rate"`
			Held     int64     `json:"held"`
			LastAt   time.Time `json:"last_at"`
			Expiring int64     `json:"expiring"`
		} `json:"channels"`
		Warnings []string `json:"warnings"`
	} `json:"forecast"`
	TestCopies []worker.TestCopy `json:"test_copies"`
}

// previewCampaign seeds a campaign whose audience spans languages and zones:
// testNow (09:00 UTC) is 06:00 in Sao Paulo, inside 21:00-08:00, and 09:00 in
// London, outside it.
func previewCampaign(e *env) (store.Campaign, store.Supporter) {
	c := e.seedCampaign("free-assange")
	ana := e.seedSupporter(c, store.Supporter{Email: "ana@example.org", Phone: "+5511987654321", Name: "Ana Souza",
		Locale: "pt-BR", Country: "BR", Timezone: "America/Sao_Paulo"})
	e.seedSupporter(c, store.Supporter{Email: "beto@example.org", Phone: "+5511987654322", Name: "Beto",
		Locale: "pt-BR", Country: "BR", Timezone: "America/Sao_Paulo"})
	e.seedSupporter(c, store.Supporter{Email: "eva@example.org", Name: "Eva", Locale: "es-AR", Country: "AR"})
	e.seedSupporter(c, store.Supporter{Phone: "+447700900123", Name: "Sam", Locale: "en-GB", Country: "GB", Timezone: "Europe/London"})
	return c, ana
}

const previewBody = `{"template": "mobilization", "channels": ["email", "sms"],
	"data": {"title": "Human chain", "starts_at": "2026-11-22T10:00:00Z", "place": "Parliament Square", "url": "https://example.org/c"}%s}`

func (e *env) preview(extra string) (response, previewOut) {
	e.t.Helper()
	res := e.do(request{method: "POST", path: "/v1/campaigns/free-assange/alerts/preview", key: e.org, body: fmt.Sprintf(previewBody, extra)})
	var p previewOut
	if res.status == 200 {
		mustUnmarshal(e.t, res.body, &p)
	} else {
		e.t.Logf("preview: %d %s", res.status, res.body)
	}
	return res, p
}

func TestPreview(t *testing.T) {
	e := newEnv(t, func(o *envOptions) {
		o.cfg.EmailRate, o.cfg.SMSRate = 100, 1
		o.cfg.QuietHours = quiet.Window{Start: 21 * time.Hour, End: 8 * time.Hour}
	})
	previewCampaign(e)
	before := e.stored()
	res, p := e.preview("")
	if res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	if diff := cmp.Diff(map[string]int64{"email": 3, "sms": 3}, p.Audience.Channels); diff != "" {
		t.Errorf("audience (-want +got):\n%s", diff)
	}
	type msg struct {
		Channel, Variant string
		Audience         int64
		Locale, Zone     string
	}
	var got []msg
	for _, m := range p.Messages {
		got = append(got, msg{m.Channel, m.Variant, m.Audience, m.Sample.Locale, m.Sample.Timezone})
		switch m.Channel {
		case "sms":
			info := smstext.Analyze(m.Body)
			if m.Encoding != string(info.Encoding) || m.Segments != info.Segments || m.Units != info.Units || m.Segments == 0 {
				t.Errorf("%s SMS: %s, %d segments, %d units; the body is %+v", m.Variant, m.Encoding, m.Segments, m.Units, info)
			}
			if !strings.HasSuffix(m.Body, "\n"+smstext.OptOut(m.Variant)) {
				t.Errorf("%s SMS does not end with the opt-out line: %q", m.Variant, m.Body)
			}
		case "email":
			if !m.Calendar || m.Subject == "" || !strings.Contains(m.Text, "Alex") || !strings.Contains(m.HTML, "Human chain") {
				t.Errorf("%s email: calendar %v, subject %q, text %q", m.Variant, m.Calendar, m.Subject, m.Text)
			}
		}
	}
	want := []msg{
		{"email", "es", 1, "es-AR", "Europe/London"},
		{"email", "pt", 2, "pt-BR", "America/Sao_Paulo"},
		{"sms", "en", 1, "en-GB", "Europe/London"},
		{"sms", "pt", 2, "pt-BR", "America/Sao_Paulo"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	// Two SMS wait until 08:00 in Sao Paulo (11:00 UTC), then go at one a second.
	fc := p.Forecast
	morning := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
	if len(fc.Channels) != 2 || fc.Channels[1].Channel != "sms" || fc.Channels[1].Held != 2 ||
		!fc.Channels[1].LastAt.Equal(morning.Add(2*time.Second)) || !fc.LastAt.Equal(fc.Channels[1].LastAt) {
		t.Errorf("forecast = %+v, want 2 SMS held until %s", fc, morning)
	}
	if len(fc.Warnings) != 1 || !strings.Contains(fc.Warnings[0], "after the event starts") {
		t.Errorf("warnings = %q, want one: the SMS go after the event starts", fc.Warnings)
	}
	if diff := cmp.Diff(before, e.stored()); diff != "" {
		t.Errorf("the preview stored or enqueued something (-before +after):\n%s", diff)
	}
	// An urgent alert is not held.
	_, p = e.preview(`, "urgent": true`)
	if sms := p.Forecast.Channels[1]; sms.Held != 0 || !sms.LastAt.Equal(testNow.Add(3*time.Second)) {
		t.Errorf("urgent SMS forecast = %+v, want none held", sms)
	}
}

func TestPreviewForOneSupporter(t *testing.T) {
	e := newEnv(t)
	_, ana := previewCampaign(e)
	_, p := e.preview(fmt.Sprintf(`, "supporter_id": %d`, ana.ID))
	if len(p.Messages) != 2 {
		t.Fatalf("messages = %+v, want Ana's email and SMS", p.Messages)
	}
	for _, m := range p.Messages {
		if m.Sample.Name != "Ana Souza" || m.Variant != "pt" || m.Audience != 2 {
			t.Errorf("%s: for %+v in %s to %d people; want Ana, pt, 2", m.Channel, m.Sample, m.Variant, m.Audience)
		}
	}
	if !strings.Contains(p.Messages[0].Text, "Ana") {
		t.Errorf("email text does not greet Ana:\n%s", p.Messages[0].Text)
	}
}

func TestPreviewEmptyAudience(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	_, p := e.preview("")
	if len(p.Messages) != 2 || p.Messages[0].Variant != "en" || p.Messages[0].Audience != 0 {
		t.Errorf("messages = %+v, want the campaign locale's variant on each channel", p.Messages)
	}
}

func TestPreviewRefuses(t *testing.T) {
	e := newEnv(t)
	previewCampaign(e)
	for _, tc := range []struct {
		extra, field string
	}{
		{`, "supporter_id": 999`, "supporter_id"},
		{`, "send_to": {"email": "me@example.org"}`, "send_to"},
		{`, "expires_at": "2020-01-01T00:00:00Z"`, "expires_at"},
	} {
		res, _ := e.preview(tc.extra)
		pr := e.problem(res)
		if res.status != 422 || len(pr.Errors) == 0 || pr.Errors[0].Field != tc.field {
			t.Errorf("%s: %d %+v, want 422 on %s", tc.extra, res.status, pr, tc.field)
		}
	}
}

// TestPreviewSendTo sends real test copies through the SMTP server and the
// Twilio stand-in, with the worker's own Tester.
func TestPreviewSendTo(t *testing.T) {
	smtp := smtptest.NewServer(t)
	tw := twiliotest.NewServer(t, "AC0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef")
	mcfg, err := mail.ParseURL(smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	pool, err := mail.NewPool(mcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pool.Close() })
	text, err := sms.NewClient(sms.Config{AccountSID: "AC0123456789abcdef0123456789abcdef",
		AuthToken: "0123456789abcdef0123456789abcdef", BaseURL: tw.URL()})
	if err != nil {
		t.Fatal(err)
	}
	tester := worker.NewTester(worker.Deps{Renderer: testRenderer(t), Email: pool, SMS: text,
		Settings: worker.Settings{BaseURL: "https://muster.example.org"}})
	e := newEnv(t, func(o *envOptions) { o.cfg = withTester(o.cfg, tester) })
	previewCampaign(e)
	_, p := e.preview(`, "send_to": {"email": "Organizer@Example.org", "phone": "+447911123456"}`)
	if len(p.TestCopies) != 2 || p.TestCopies[0].Status != "sent" || p.TestCopies[1].Status != "sent" {
		t.Fatalf("test copies = %+v, want both sent", p.TestCopies)
	}
	if strings.Contains(p.TestCopies[0].To, "organizer@") {
		t.Errorf("the answer shows the address unmasked: %+v", p.TestCopies[0])
	}
	msgs := smtp.Messages() // the preview answers once the copies are sent
	if len(msgs) != 1 {
		t.Fatalf("the SMTP server received %d messages, want 1", len(msgs))
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msgs[0].Header.Get("Subject"))
	if err != nil || msgs[0].To[0] != "organizer@example.org" || !strings.HasPrefix(subject, "[TEST] ") {
		t.Errorf("test email to %v, subject %q (%v)", msgs[0].To, subject, err)
	}
	sent := tw.Messages()
	if len(sent) != 1 || sent[0].To != "+447911123456" || !strings.HasPrefix(sent[0].Body, "[TEST] ") {
		t.Errorf("test SMS = %+v", sent)
	}
}

func withTester(c api.Config, t *worker.Tester) api.Config {
	c.Tester = t
	return c
}
