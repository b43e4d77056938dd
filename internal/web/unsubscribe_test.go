package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

func TestUnsubscribeShow(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org", Locale: "fr"}, activeEmail())
	res := e.get("/unsubscribe/"+e.signer.Unsubscribe(ana.ID, e.camp.ID, "email", testNow), nil).want(t, http.StatusOK)
	got := struct {
		H1              string
		Forms, Buttons  int
		Form            string
		RevealsAddress  bool
		StatusAfterShow store.SubscriptionStatus
	}{
		res.h1(), strings.Count(res.body, "<form"), strings.Count(res.body, "<button"),
		regexp.MustCompile(`<form[^>]*>`).FindString(res.body), strings.Contains(res.body, "ana@"),
		e.subscription(ana.ID, store.ChannelEmail).Status,
	}
	want := struct {
		H1              string
		Forms, Buttons  int
		Form            string
		RevealsAddress  bool
		StatusAfterShow store.SubscriptionStatus
	}{"Se désinscrire de Free Assange", 1, 1, `<form method="post">`, false, store.SubActive}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unsubscribe page (-want +got):\n%s", diff)
	}
}

// TestUnsubscribeOneClick posts as mail providers do (RFC 8058): no cookie, no
// Origin, maybe a body, maybe from another site; again and again.
func TestUnsubscribeOneClick(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
	path := "/unsubscribe/" + e.signer.Unsubscribe(ana.ID, e.camp.ID, "email", testNow)
	posts := []request{
		{method: http.MethodPost, path: path, body: "List-Unsubscribe=One-Click"},
		{method: http.MethodPost, path: path, body: "List-Unsubscribe=One-Click"},
		{method: http.MethodPost, path: path},
		{method: http.MethodPost, path: path, header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://mail.example"}},
	}
	for i, p := range posts {
		res := e.do(p).want(t, http.StatusOK)
		if got := res.h1(); got != "You're unsubscribed" {
			t.Errorf("post %d: heading %q", i, got)
		}
		if strings.Contains(res.body, "ana@") {
			t.Errorf("post %d: page reveals the address", i)
		}
	}
	sub := e.subscription(ana.ID, store.ChannelEmail)
	if sub.Status != store.SubUnsubscribed || sub.Reason != "unsubscribe_link" {
		t.Errorf("subscription %s (%s), want unsubscribed (unsubscribe_link)", sub.Status, sub.Reason)
	}
}

func TestUnsubscribeSMS(t *testing.T) {
	e := newEnv(t)
	sup := e.seedSupporter(store.Supporter{Email: "ana@example.org", Phone: "+447400123456", Locale: "pt-BR"}, activeEmail(),
		store.SubscriptionInput{Channel: store.ChannelSMS, Status: store.SubActive, Source: "import", ConsentText: "yes"})
	res := e.post("/unsubscribe/"+e.signer.Unsubscribe(sup.ID, e.camp.ID, "sms", testNow), nil, nil).want(t, http.StatusOK)
	if !strings.Contains(res.body, "Você não vai mais receber os alertas de Free Assange por SMS.") {
		t.Errorf("page does not say SMS, in Portuguese:\n%s", res.body)
	}
	got := []store.SubscriptionStatus{e.subscription(sup.ID, store.ChannelEmail).Status, e.subscription(sup.ID, store.ChannelSMS).Status}
	if diff := cmp.Diff([]store.SubscriptionStatus{store.SubActive, store.SubUnsubscribed}, got); diff != "" {
		t.Errorf("email, sms statuses (-want +got):\n%s", diff)
	}
}

func TestUnsubscribeInvalid(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
	good := e.signer.Unsubscribe(ana.ID, e.camp.ID, "email", testNow)
	for name, tok := range map[string]string{
		"edited by hand":  editToken(good),
		"a confirm token": e.signer.Confirm(ana.ID, e.camp.ID, testNow, week),
		"truncated":       good[:len(good)-2],
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			res := e.do(request{method: method, path: "/unsubscribe/" + tok, body: "List-Unsubscribe=One-Click"})
			res.want(t, http.StatusBadRequest)
			if res.h1() != "This link is not valid" {
				t.Errorf("%s, %s: heading %q", name, method, res.h1())
			}
		}
	}
	if got := e.subscription(ana.ID, store.ChannelEmail).Status; got != store.SubActive {
		t.Errorf("status %s, want still active", got)
	}
}

// TestUnsubscribeErased: a supporter erased since is out already; the link says so.
func TestUnsubscribeErased(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
	if err := e.st.EraseSupporter(t.Context(), ana.ID, testNow); err != nil {
		t.Fatal(err)
	}
	res := e.post("/unsubscribe/"+e.signer.Unsubscribe(ana.ID, e.camp.ID, "email", testNow), nil, nil).want(t, http.StatusOK)
	if res.h1() != "You're unsubscribed" {
		t.Errorf("heading %q", res.h1())
	}
}
