package web_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// consentEN is the consent label of the English join page of Free Assange.
const consentEN = "I agree to receive Free Assange's mobilization alerts on the channels I chose above. I can unsubscribe at any time."

// subView is what the tests compare of a subscription.
type subView struct {
	Channel                        store.Channel
	Status                         store.SubscriptionStatus
	Source, ConsentText, ConsentIP string
	Reason                         string
}

func subViews(subs []store.Subscription) []subView {
	out := make([]subView, len(subs))
	for i, s := range subs {
		out[i] = subView{s.Channel, s.Status, s.Source, s.ConsentText, s.ConsentIP, s.Reason}
	}
	return out
}

func TestJoinShowsConsentLabel(t *testing.T) {
	e := newEnv(t)
	res := e.get("/c/free-assange", nil).want(t, http.StatusOK)
	if !strings.Contains(res.body, `<label for="consent">`+html.EscapeString(consentEN)+`</label>`) {
		t.Errorf("consent label %q not on the page:\n%s", consentEN, res.body)
	}
}

// TestJoinConsentAnyValue: the consent box means yes whatever it sends.
func TestJoinConsentAnyValue(t *testing.T) {
	e := newEnv(t)
	for i, v := range []string{"yes", "on", "1", ""} {
		email := fmt.Sprintf("p%d@example.org", i)
		form := joinForm("email", email)
		form["consent"] = []string{v}
		e.post("/c/free-assange", form, nil).want(t, http.StatusOK)
		e.supporter(email)
	}
}

func TestJoinValid(t *testing.T) {
	e := newEnv(t)
	res := e.post("/c/free-assange", joinForm("channels", "email,sms", "phone", "+55 11 98765-4321"), nil).want(t, http.StatusOK)
	for _, want := range []string{"Check your inbox", "Alerts by SMS", "reply YES to that text", "text START to +15005550006"} {
		if !strings.Contains(htmlText(res.body), want) {
			t.Errorf("page lacks %q:\n%s", want, res.body)
		}
	}
	sup := e.supporter("ana@example.org")
	got := struct{ Name, Phone, Locale, Country string }{sup.Name, sup.Phone, sup.Locale, sup.Country}
	want := struct{ Name, Phone, Locale, Country string }{"Ana", "+5511987654321", "en", "BR"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("supporter (-want +got):\n%s", diff)
	}
	wantSubs := []subView{
		{store.ChannelEmail, store.SubPending, "form", consentEN, "127.0.0.1", ""},
		{store.ChannelSMS, store.SubPending, "form", consentEN, "127.0.0.1", ""},
	}
	if diff := cmp.Diff(wantSubs, subViews(sup.Subscriptions)); diff != "" {
		t.Errorf("subscriptions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]confirmCall{{sup.ID, e.camp.ID}}, e.confirm.got()); diff != "" {
		t.Errorf("confirmations enqueued (-want +got):\n%s", diff)
	}
	if strings.Contains(e.logs.String(), "ana@example.org") || strings.Contains(e.logs.String(), "98765") {
		t.Errorf("logs hold an address or a number:\n%s", e.logs)
	}
}

// summaryEntry is one line of the error summary.
type summaryEntry struct{ Target, Message string }

// errorSummary returns the error summary's lines, and checks that each field
// it links to is marked invalid and described by its error message.
func errorSummary(t *testing.T, body string) []summaryEntry {
	t.Helper()
	m := regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`).FindString(body)
	var out []summaryEntry
	for _, li := range regexp.MustCompile(`<li><a href="#([^"]+)">([^<]*)</a></li>`).FindAllStringSubmatch(m, -1) {
		out = append(out, summaryEntry{li[1], htmlText(li[2])})
		checkFieldError(t, body, li[1], htmlText(li[2]))
	}
	return out
}

// checkFieldError checks that the control with id target has aria-invalid and
// is described by an element that says message.
func checkFieldError(t *testing.T, body, target, message string) {
	t.Helper()
	tag := regexp.MustCompile(`<(?:input|select) id="` + regexp.QuoteMeta(target) + `"[^>]*>`).FindString(body)
	if !strings.Contains(tag, `aria-invalid="true"`) {
		t.Errorf("#%s is not aria-invalid: %s", target, tag)
	}
	ids := regexp.MustCompile(`aria-describedby="([^"]*)"`).FindStringSubmatch(tag)
	if ids == nil {
		t.Errorf("#%s has no aria-describedby: %s", target, tag)
		return
	}
	for _, id := range strings.Fields(ids[1]) {
		desc := regexp.MustCompile(`<p [^>]*id="` + id + `">(.*?)</p>`).FindStringSubmatch(body)
		if desc != nil && strings.Contains(htmlText(desc[1]), message) {
			return
		}
	}
	t.Errorf("#%s (described by %q) is not described by %q", target, ids[1], message)
}

func TestJoinInvalid(t *testing.T) {
	tests := []struct {
		name       string
		path       string
		form       url.Values
		want       []summaryEntry
		wantValues map[string]string // input values the page keeps, by id
	}{
		{
			name: "invalid email", path: "/c/free-assange", form: joinForm("email", "ana@"),
			want:       []summaryEntry{{"email", "Enter an email address in the correct format, like name@example.org"}},
			wantValues: map[string]string{"email": "ana@", "name": "Ana"},
		},
		{
			name: "invalid email, in Spanish", path: "/c/free-assange?lang=es", form: joinForm("email", "ana@", "locale", "es"),
			want: []summaryEntry{{"email", "Escribe un correo electrónico con el formato correcto, como nombre@ejemplo.org"}},
		},
		{
			name: "no consent", path: "/c/free-assange", form: joinForm("consent", ""),
			want:       []summaryEntry{{"consent", "Tick the box to agree to receive alerts"}},
			wantValues: map[string]string{"email": "ana@example.org"},
		},
		{
			name: "no channel", path: "/c/free-assange", form: joinForm("channels", ""),
			want: []summaryEntry{{"channel-email", "Choose how you want to get alerts: by email, by SMS or both"}},
		},
		{
			name: "sms without a phone", path: "/c/free-assange", form: joinForm("channels", "sms"),
			want: []summaryEntry{{"phone", "Enter your mobile number to get alerts by SMS"}},
		},
		{
			name: "phone not valid in its chosen country", path: "/c/free-assange",
			form:       joinForm("channels", "email,sms", "phone", "(11) 98765-4321", "country", "GB"),
			want:       []summaryEntry{{"phone", "Enter a mobile number that is valid in the country you chose"}},
			wantValues: map[string]string{"phone": "(11) 98765-4321"},
		},
		{
			name: "national phone without a country", path: "/c/free-assange", form: joinForm("channels", "sms", "phone", "07400 123456"),
			want: []summaryEntry{{"phone", "Enter a mobile number with its country code, like +44 7400 123456, or choose your country"}},
		},
		{
			name: "unknown country", path: "/c/free-assange", form: joinForm("country", "XX"),
			want: []summaryEntry{{"country", "Choose a country from the list"}},
		},
		{
			name: "nothing at all", path: "/c/free-assange", form: url.Values{},
			want: []summaryEntry{
				{"email", "Enter your email address or your mobile number"},
				{"channel-email", "Choose how you want to get alerts: by email, by SMS or both"},
				{"consent", "Tick the box to agree to receive alerts"},
			},
		},
		{
			name: "name too long, email missing", path: "/c/free-assange", form: joinForm("name", strings.Repeat("a", 201), "email", ""),
			want: []summaryEntry{
				{"name", "Enter a name of 200 characters or fewer"},
				{"email", "Enter your email address to get alerts by email"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.post(tt.path, tt.form, nil).want(t, http.StatusUnprocessableEntity)
			if diff := cmp.Diff(tt.want, errorSummary(t, res.body)); diff != "" {
				t.Errorf("error summary (-want +got):\n%s", diff)
			}
			for id, want := range tt.wantValues {
				if got := inputValue(res.body, id); got != want {
					t.Errorf("#%s = %q, want %q kept", id, got, want)
				}
			}
			if !regexp.MustCompile(`<title>(Error|Error:) `).MatchString(res.body) {
				t.Errorf("title does not start with the error prefix")
			}
			if n := len(e.supporters()); n != 0 {
				t.Errorf("%d supporters stored", n)
			}
			if got := e.confirm.got(); len(got) != 0 {
				t.Errorf("confirmations enqueued: %v", got)
			}
		})
	}
}

func TestJoinHoneypot(t *testing.T) {
	e := newEnv(t)
	bot := e.post("/c/free-assange", joinForm("website", "https://spam.example"), nil).want(t, http.StatusOK)
	if n := len(e.supporters()); n != 0 {
		t.Fatalf("the honeypot stored %d supporters", n)
	}
	if got := e.confirm.got(); len(got) != 0 {
		t.Fatalf("the honeypot enqueued confirmations: %v", got)
	}
	person := e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	if diff := cmp.Diff(person.body, bot.body); diff != "" {
		t.Errorf("the bot's answer differs from a person's (-person +bot):\n%s", diff)
	}
}

// TestJoinSameAnswer: whoever the person is, the page says the same, and
// nobody is stored twice.
func TestJoinSameAnswer(t *testing.T) {
	e := newEnv(t)
	fresh := e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	again := e.post("/c/free-assange", joinForm("name", "Ana Maria"), nil).want(t, http.StatusOK)
	active := e.seedSupporter(store.Supporter{Email: "bo@example.org"}, activeEmail())
	subscribed := e.post("/c/free-assange", joinForm("email", "bo@example.org"), nil).want(t, http.StatusOK)
	e.seedSupporter(store.Supporter{Phone: "+447400123456"},
		store.SubscriptionInput{Channel: store.ChannelSMS, Status: store.SubActive, Source: "import", ConsentText: "yes"})
	conflict := e.post("/c/free-assange", joinForm("email", "bo@example.org", "phone", "+447400123456"), nil).want(t, http.StatusOK)
	for name, res := range map[string]response{"again": again, "already subscribed": subscribed, "email and phone of two people": conflict} {
		if diff := cmp.Diff(fresh.body, res.body); diff != "" {
			t.Errorf("%s: answer differs from a new person's (-new +got):\n%s", name, diff)
		}
	}
	if n := len(e.supporters()); n != 3 {
		t.Errorf("%d supporters, want 3 (Ana once, Bo, the phone)", n)
	}
	ana := e.supporter("ana@example.org")
	// Anyone can type Ana's address into the form: it never changes what is stored.
	if ana.Name != "Ana" || len(ana.Subscriptions) != 1 {
		t.Errorf("Ana = %+v, want one subscription and her name unchanged", ana)
	}
	if got := e.subscription(active.ID, store.ChannelEmail).Status; got != store.SubActive {
		t.Errorf("Bo's subscription is %s, want it left active", got)
	}
	want := []confirmCall{{ana.ID, e.camp.ID}, {ana.ID, e.camp.ID}} // the workers send it once
	if diff := cmp.Diff(want, e.confirm.got()); diff != "" {
		t.Errorf("confirmations enqueued (-want +got):\n%s", diff)
	}
	if strings.Contains(e.logs.String(), "bo@example.org") || strings.Contains(e.logs.String(), "+447400123456") {
		t.Errorf("logs hold an address or a number:\n%s", e.logs)
	}
}

// TestJoinAfterLeaving: a person who had unsubscribed and joins again on the
// page is pending again, still marked as having left until the link of the
// confirmation they get.
func TestJoinAfterLeaving(t *testing.T) {
	e := newEnv(t)
	sup := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
	if _, err := e.st.Unsubscribe(t.Context(), sup.ID, e.camp.ID, store.ChannelEmail, "unsubscribe_link", testNow); err != nil {
		t.Fatal(err)
	}
	e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	got := subViews([]store.Subscription{e.subscription(sup.ID, store.ChannelEmail)})
	want := []subView{{store.ChannelEmail, store.SubPending, "form", consentEN, "127.0.0.1", "unsubscribe_link"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subscription (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]confirmCall{{sup.ID, e.camp.ID}}, e.confirm.got()); diff != "" {
		t.Errorf("confirmations enqueued (-want +got):\n%s", diff)
	}
}

func TestJoinEnqueueFails(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.confirmErr = errors.New("redis: connection refused") })
	e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	sup := e.supporter("ana@example.org")
	if got := e.subscription(sup.ID, store.ChannelEmail).Status; got != store.SubPending {
		t.Errorf("subscription is %s, want pending", got)
	}
	if !strings.Contains(e.logs.String(), "confirmation not enqueued") {
		t.Errorf("the failure was not logged:\n%s", e.logs)
	}
}

func TestJoinCrossSite(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{name: "Sec-Fetch-Site cross-site", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: http.StatusForbidden},
		{name: "Sec-Fetch-Site same-site", header: map[string]string{"Sec-Fetch-Site": "same-site"}, want: http.StatusForbidden},
		{name: "foreign Origin", header: map[string]string{"Origin": "https://evil.example"}, want: http.StatusForbidden},
		{name: "Sec-Fetch-Site same-origin", header: map[string]string{"Sec-Fetch-Site": "same-origin"}, want: http.StatusOK},
		{name: "no browser headers (a script)", want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res := e.post("/c/free-assange", joinForm(), tt.header).want(t, tt.want)
			stored := len(e.supporters()) > 0
			if stored != (tt.want == http.StatusOK) {
				t.Errorf("stored = %v with status %d", stored, res.status)
			}
			if tt.want == http.StatusForbidden && res.h1() != "This form was sent from another site" {
				t.Errorf("403 page heading %q", res.h1())
			}
		})
	}
}

// TestJoinThrottle: one address posting 10,000 times is mostly refused, while
// another address still gets through.
func TestJoinThrottle(t *testing.T) {
	e := newEnv(t)
	const posts, workers = 10_000, 16
	body := joinForm().Encode()
	var codes sync.Map // status -> *atomic.Int64
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
			for next.Add(1) <= posts {
				res, err := client.Post(e.url+"/c/free-assange", "application/x-www-form-urlencoded", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				_ = res.Body.Close()
				n, _ := codes.LoadOrStore(res.StatusCode, new(atomic.Int64))
				n.(*atomic.Int64).Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	count := func(code int) int64 {
		if n, ok := codes.Load(code); ok {
			return n.(*atomic.Int64).Load()
		}
		return 0
	}
	ok, refused := count(http.StatusOK), count(http.StatusTooManyRequests)
	t.Logf("%d posts in %v (%.0f/s): %d accepted, %d refused", posts, elapsed.Round(time.Millisecond),
		posts/elapsed.Seconds(), ok, refused)
	// A burst of 20, then one a second.
	if maxOK := 20 + int64(elapsed.Seconds()) + 2; ok < 20 || ok > maxOK {
		t.Errorf("%d posts accepted, want from 20 to %d", ok, maxOK)
	}
	if ok+refused != posts {
		t.Errorf("%d accepted + %d refused != %d: other statuses", ok, refused, posts)
	}
	res := e.do(request{method: http.MethodPost, path: "/c/free-assange", form: joinForm("email", "bo@example.org"),
		client: clientFrom("127.0.0.2")})
	res.want(t, http.StatusOK)
	if got := e.supporter("bo@example.org").Subscriptions[0].ConsentIP; got != "127.0.0.2" {
		t.Errorf("consent IP %q, want 127.0.0.2", got)
	}
	refusedPage := e.post("/c/free-assange?lang=fr", joinForm(), nil).want(t, http.StatusTooManyRequests)
	if refusedPage.h1() != "Trop de tentatives" || refusedPage.header.Get("Retry-After") == "" {
		t.Errorf("429 page: heading %q, Retry-After %q", refusedPage.h1(), refusedPage.header.Get("Retry-After"))
	}
}

// TestJoinThrottleDown: with Redis unreachable, joins still go through, and
// the outage is logged.
func TestJoinThrottleDown(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.redisDown = true })
	e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	e.supporter("ana@example.org")
	if !strings.Contains(e.logs.String(), "join throttle unavailable") {
		t.Errorf("the outage was not logged:\n%s", e.logs)
	}
}

func TestJoinUnknownCampaign(t *testing.T) {
	e := newEnv(t)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		res := e.do(request{method: method, path: "/c/no-such-campaign", form: joinForm(),
			header: map[string]string{"Accept-Language": "pt-BR"}}).want(t, http.StatusNotFound)
		if res.h1() != "Não encontramos esta página" {
			t.Errorf("%s: 404 heading %q", method, res.h1())
		}
	}
}

func TestJoinTooLarge(t *testing.T) {
	e := newEnv(t)
	res := e.post("/c/free-assange", joinForm("name", strings.Repeat("a", 70_000)), nil).want(t, http.StatusRequestEntityTooLarge)
	if res.h1() != "The form you sent is too large" {
		t.Errorf("413 heading %q", res.h1())
	}
}

func TestJoinLanguage(t *testing.T) {
	tests := []struct {
		name, slug, query, accept string
		want, wantH1              string
	}{
		{name: "default", slug: "free-assange", want: "en", wantH1: "Join Free Assange"},
		{name: "?lang=", slug: "free-assange", query: "?lang=es", want: "es", wantH1: "Súmate a Free Assange"},
		{name: "Accept-Language", slug: "free-assange", accept: "pt-BR,pt;q=0.9,en;q=0.5", want: "pt", wantH1: "Participe de Free Assange"}, //nolint:misspell // Portuguese copy
		{name: "?lang= before Accept-Language", slug: "free-assange", query: "?lang=fr", accept: "es", want: "fr", wantH1: "Rejoignez Free Assange"},
		{name: "unknown ?lang= skipped", slug: "free-assange", query: "?lang=xx-!!", accept: "es-AR", want: "es", wantH1: "Súmate a Free Assange"},
		{name: "campaign's locale", slug: "liberte", accept: "de-DE,de", want: "fr", wantH1: "Rejoignez Liberté"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.seedCampaign("liberte", "Liberté", "fr-FR")
			res := e.get("/c/"+tt.slug+tt.query, map[string]string{"Accept-Language": tt.accept}).want(t, http.StatusOK)
			got := struct{ Lang, ContentLanguage, Locale, H1 string }{
				regexp.MustCompile(`<html lang="([^"]+)"`).FindStringSubmatch(res.body)[1],
				res.header.Get("Content-Language"),
				regexp.MustCompile(`name="locale" value="([^"]*)"`).FindStringSubmatch(res.body)[1],
				res.h1(),
			}
			want := struct{ Lang, ContentLanguage, Locale, H1 string }{tt.want, tt.want, tt.want, tt.wantH1}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
		})
	}
}

// TestJoinLanguageSwitcher: plain links to the page in every language.
func TestJoinLanguageSwitcher(t *testing.T) {
	e := newEnv(t)
	res := e.get("/c/free-assange?lang=pt", nil).want(t, http.StatusOK)
	var got []string
	for _, m := range regexp.MustCompile(`<li><a href="([^"]+)" lang="[a-z]+" hreflang="[a-z]+"( aria-current="page")?>([^<]+)</a></li>`).FindAllStringSubmatch(res.body, -1) {
		got = append(got, m[1]+" "+m[3]+m[2])
	}
	want := []string{"?lang=en English", "?lang=es Español", `?lang=pt Português aria-current="page"`, "?lang=fr Français"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("switcher (-want +got):\n%s", diff)
	}
}

// TestJoinSMSConfirmByReply: in a campaign that asks for a reply YES, as in
// any other (TestJoinSMSWaitsForYes), an SMS joined on the page waits,
// pending, and its confirmation is asked for.
func TestJoinSMSConfirmByReply(t *testing.T) {
	e := newEnv(t)
	e.camp.SMSConfirmByReply = true
	if _, err := e.st.UpdateCampaign(context.Background(), e.camp); err != nil {
		t.Fatal(err)
	}
	res := e.post("/c/free-assange", joinForm("channels", "sms", "email", "", "phone", "+447400123456", "country", "GB"), nil).want(t, http.StatusOK)
	if !strings.Contains(res.body, "reply YES to that text") {
		t.Errorf("the page does not ask for the reply:\n%s", res.body)
	}
	sups := e.supporters()
	if len(sups) != 1 {
		t.Fatalf("%d supporters", len(sups))
	}
	if got := e.subscription(sups[0].ID, store.ChannelSMS).Status; got != store.SubPending {
		t.Errorf("SMS subscription %s, want pending until the reply", got)
	}
	if calls := e.confirm.got(); len(calls) != 1 {
		t.Errorf("confirmations asked: %v, want one", calls)
	}
}
