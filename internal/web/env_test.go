package web_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/ratelimit"
	"github.com/muster-org/muster/internal/redistest"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
	"github.com/muster-org/muster/internal/web"
)

// testNow is the clock of every test: the pages' and the store's.
var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// testSecret signs the tokens of the tests.
func testSecret() []byte { return []byte("a web test secret of 32 bytes...") }

// env is the public pages on a fresh database and a flushed Redis database.
type env struct {
	t       *testing.T
	st      *store.Store
	signer  *token.Signer
	confirm *recordingConfirmer
	camp    store.Campaign
	url     string
	logs    *syncBuffer
}

// envOptions changes what newEnv builds.
type envOptions struct {
	perMinute, burst int   // the join throttle; default 60 a minute, bursts of 20
	confirmErr       error // what EnqueueConfirmation returns
	redisDown        bool  // the throttle fails as it does when Redis is unreachable
}

func newEnv(t *testing.T, opts ...func(*envOptions)) *env {
	t.Helper()
	o := envOptions{perMinute: 60, burst: 20}
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	signer, err := token.NewSigner(testSecret())
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, signer: signer, confirm: &recordingConfirmer{err: o.confirmErr}, logs: &syncBuffer{}}
	var throttle interface {
		Allow(ctx context.Context, key string) (bool, error)
	} = ratelimit.NewThrottle(redistest.Open(t, redistest.DBWeb), o.perMinute, o.burst)
	if o.redisDown {
		throttle = ratelimit.NewThrottle(redis.NewClient(&redis.Options{Addr: closedAddr(t), MaxRetries: -1}), o.perMinute, o.burst)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h, err := web.New(web.Config{Now: func() time.Time { return testNow }}, st, signer, e.confirm, throttle, log)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	e.camp = e.seedCampaign("free-assange", "Free Assange", "en")
	return e
}

// seedCampaign creates a campaign that can send on both channels.
func (e *env) seedCampaign(slug, name, locale string) store.Campaign {
	e.t.Helper()
	c, err := e.st.CreateCampaign(context.Background(), store.Campaign{
		Slug: slug, Name: name, Locale: locale, Timezone: "Europe/London",
		EmailFrom: name + " <alerts@example.org>", SMSFrom: "+15005550006",
	})
	if err != nil {
		e.t.Fatalf("seed campaign: %v", err)
	}
	return c
}

// seedSupporter stores a supporter of the campaign with the subscriptions given.
func (e *env) seedSupporter(s store.Supporter, subs ...store.SubscriptionInput) store.Supporter {
	e.t.Helper()
	res, err := e.st.UpsertSupporters(context.Background(), e.camp.ID, []store.SupporterUpsert{{Supporter: s, Subscriptions: subs}})
	if err != nil || res[0].Err != nil {
		e.t.Fatalf("seed supporter: %v %v", err, res)
	}
	return res[0].Supporter
}

// pendingEmail is a pending email subscription, as the join page makes them.
func pendingEmail() store.SubscriptionInput {
	return store.SubscriptionInput{Channel: store.ChannelEmail, Status: store.SubPending, Source: "form", ConsentText: "yes"}
}

// activeEmail is an active email subscription, as an organizer's import makes them.
func activeEmail() store.SubscriptionInput {
	return store.SubscriptionInput{Channel: store.ChannelEmail, Status: store.SubActive, Source: "import"}
}

// supporters returns the campaign's supporters with their subscriptions to it.
func (e *env) supporters() []store.Supporter {
	e.t.Helper()
	sups, _, err := e.st.ListSupporters(context.Background(), e.camp.ID, store.SupporterFilter{}, store.Page{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return sups
}

// supporter returns the campaign's supporter with that email, failing if none.
func (e *env) supporter(email string) store.Supporter {
	e.t.Helper()
	for _, s := range e.supporters() {
		if s.Email == email {
			return s
		}
	}
	e.t.Fatalf("no supporter %s", email)
	return store.Supporter{}
}

// subscription returns a subscription's status and reason.
func (e *env) subscription(supporterID int64, ch store.Channel) store.Subscription {
	e.t.Helper()
	sub, err := e.st.Subscription(context.Background(), supporterID, e.camp.ID, ch)
	if err != nil {
		e.t.Fatalf("subscription %d %s: %v", supporterID, ch, err)
	}
	return sub
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   string
}

// request is one HTTP request of a test.
type request struct {
	method, path string
	form         url.Values // posted as application/x-www-form-urlencoded
	body         string     // posted as is when form is nil
	header       map[string]string
	client       *http.Client // default http.DefaultClient
}

func (e *env) do(r request) response {
	e.t.Helper()
	body := r.body
	if r.form != nil {
		body = r.form.Encode()
	}
	req, err := http.NewRequest(r.method, e.url+r.path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if r.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	client := r.client
	if client == nil {
		client = http.DefaultClient
	}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read response: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (e *env) get(path string, header map[string]string) response {
	e.t.Helper()
	return e.do(request{method: http.MethodGet, path: path, header: header})
}

func (e *env) post(path string, form url.Values, header map[string]string) response {
	e.t.Helper()
	return e.do(request{method: http.MethodPost, path: path, form: form, header: header})
}

// joinForm is a valid join form, changed by the pairs given ("" deletes a field).
func joinForm(pairs ...string) url.Values {
	f := url.Values{
		"name": {"Ana"}, "email": {"ana@example.org"}, "locale": {"en"},
		"channels": {"email"}, "consent": {"yes"},
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		switch v := pairs[i+1]; {
		case v == "":
			f.Del(pairs[i])
		case pairs[i] == "channels":
			f[pairs[i]] = strings.Split(v, ",")
		default:
			f.Set(pairs[i], v)
		}
	}
	return f
}

// want fails the test unless res has status.
func (r response) want(t *testing.T, status int) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.status, status, r.body)
	}
	return r
}

// h1 returns the text of the page's first heading.
func (r response) h1() string {
	m := regexp.MustCompile(`(?s)<h1>(.*?)</h1>`).FindStringSubmatch(r.body)
	if m == nil {
		return ""
	}
	return htmlText(m[1])
}

// htmlText undoes the escapes html/template writes in text.
func htmlText(s string) string { return html.UnescapeString(s) }

// inputValue returns the value of the input with that id, unescaped.
func inputValue(body, id string) string {
	tag := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	m := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// confirmCall is one EnqueueConfirmation call.
type confirmCall struct{ SupporterID, CampaignID int64 }

// recordingConfirmer stands in for the queue: it records what it is asked to
// send, and fails when told to.
type recordingConfirmer struct {
	mu    sync.Mutex
	calls []confirmCall
	err   error
}

func (c *recordingConfirmer) EnqueueConfirmation(_ context.Context, supporterID, campaignID int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, confirmCall{supporterID, campaignID})
	return c.err
}

func (c *recordingConfirmer) got() []confirmCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.calls)
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// closedAddr returns an address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// clientFrom returns an HTTP client whose connections come from local
// address ip (any of 127.0.0.0/8 on Linux), so the server sees another client.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}
