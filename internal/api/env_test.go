package api_test

import (
	"io/fs"
	"testing/fstest"

	"github.com/muster-org/muster/templates"

	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/redistest"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/worker"
)

// testNow is the clock of every test: the API's and the store's.
var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// thanksTemplate is an email-only template added to the shipped ones, so tests
// can ask for a channel a template lacks.
const thanksTemplate = `{{define "subject"}}Thank you{{end}}
{{define "html"}}<p>Thank you, {{.Person.FirstName}}.</p>{{end}}
{{define "text"}}Thank you, {{.Person.FirstName}}.{{end}}`

// testRenderer is the real renderer over the shipped templates and "thanks".
func testRenderer(t *testing.T) *render.Renderer {
	t.Helper()
	fsys := fstest.MapFS{"thanks/en.tmpl": {Data: []byte(thanksTemplate)}}
	err := fs.WalkDir(templates.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS(), path)
		fsys[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// env is one API on a fresh database and a flushed Redis database.
type env struct {
	t        *testing.T
	st       *store.Store
	rdb      *redis.Client
	insp     *asynq.Inspector
	url      string
	admin    string // an admin key
	org      string // an organizer key
	handlers *recordHandler
}

// envOptions changes what newEnv builds.
type envOptions struct {
	cfg   api.Config
	queue interface {
		EnqueueFanout(context.Context, int64, time.Time) error
		EnqueueConfirmation(context.Context, int64, int64) error
	}
	checks map[string]func(context.Context) error
	// checksFor, if set, replaces checks once the env has its store.
	checksFor func(e *env) map[string]func(context.Context) error
	noDB      bool // pass a nil store, to make handlers panic
}

func newEnv(t *testing.T, opts ...func(*envOptions)) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, rdb: redistest.Open(t, redistest.DBAPI), handlers: newRecordHandler()}
	redisOpt := asynq.RedisClientOpt{Addr: redistest.Addr(), DB: redistest.DBAPI}
	client := asynq.NewClient(redisOpt)
	t.Cleanup(func() { _ = client.Close() })
	e.insp = asynq.NewInspector(redisOpt)
	t.Cleanup(func() { _ = e.insp.Close() })

	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	e.st = st
	o := envOptions{
		cfg:   api.Config{Now: func() time.Time { return testNow }},
		queue: worker.NewQueue(client),
		checks: map[string]func(context.Context) error{
			"database": st.Ping,
			"redis":    func(ctx context.Context) error { return e.rdb.Ping(ctx).Err() },
		},
	}
	for _, f := range opts {
		f(&o)
	}
	if o.checksFor != nil {
		o.checks = o.checksFor(e)
	}
	e.admin = e.key("root", store.RoleAdmin)
	e.org = e.key("organizer", store.RoleOrganizer)
	handlerStore := st
	if o.noDB {
		handlerStore = nil
	}
	srv := httptest.NewServer(api.New(o.cfg, handlerStore, o.queue, testRenderer(t), o.checks, slog.New(e.handlers)))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

// key creates an API key and returns its secret.
func (e *env) key(name string, role store.Role) string {
	e.t.Helper()
	secret, hash, err := api.GenerateKey()
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.CreateAPIKey(context.Background(), name, role, hash); err != nil {
		e.t.Fatalf("create key: %v", err)
	}
	return secret
}

// request is one HTTP request of a test.
type request struct {
	method, path string
	key          string // bearer key; "" sends no Authorization
	contentType  string // default application/json when there is a body
	body         string
	header       map[string]string
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (e *env) do(r request) response {
	e.t.Helper()
	req, err := http.NewRequest(r.method, e.url+r.path, strings.NewReader(r.body))
	if err != nil {
		e.t.Fatal(err)
	}
	if r.key != "" {
		req.Header.Set("Authorization", "Bearer "+r.key)
	}
	ct := r.contentType
	if ct == "" && r.body != "" {
		ct = "application/json"
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer func() { _ = res.Body.Close() }()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read response: %v", err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

// json does a request as the organizer with a JSON body, and wants status.
func (e *env) json(method, path string, body any, status int, into any) response {
	e.t.Helper()
	var raw string
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		raw = string(b)
	}
	res := e.do(request{method: method, path: path, key: e.org, body: raw})
	if res.status != status {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, res.status, status, res.body)
	}
	if into != nil {
		if err := json.Unmarshal(res.body, into); err != nil {
			e.t.Fatalf("%s %s: decode %s: %v", method, path, res.body, err)
		}
	}
	return res
}

// seedCampaign creates a campaign that can send on both channels.
func (e *env) seedCampaign(slug string) store.Campaign {
	e.t.Helper()
	c, err := e.st.CreateCampaign(context.Background(), store.Campaign{
		Slug: slug, Name: "Free Assange", Locale: "en", Timezone: "Europe/London",
		EmailFrom: "Free Assange <alerts@example.org>", SMSFrom: "+15005550006",
	})
	if err != nil {
		e.t.Fatalf("seed campaign: %v", err)
	}
	return c
}

// seedSupporter stores an active supporter of c on the channels they have contacts for.
func (e *env) seedSupporter(c store.Campaign, s store.Supporter) store.Supporter {
	e.t.Helper()
	var subs []store.SubscriptionInput
	if s.Email != "" {
		subs = append(subs, store.SubscriptionInput{Channel: store.ChannelEmail, Status: store.SubActive, Source: "api"})
	}
	if s.Phone != "" {
		subs = append(subs, store.SubscriptionInput{Channel: store.ChannelSMS, Status: store.SubActive, Source: "api", ConsentText: "yes"})
	}
	res, err := e.st.UpsertSupporters(context.Background(), c.ID, []store.SupporterUpsert{{Supporter: s, Subscriptions: subs}})
	if err != nil || res[0].Err != nil {
		e.t.Fatalf("seed supporter: %v %v", err, res)
	}
	return res[0].Supporter
}

// problemJSON is a problem response as tests read it.
type problemJSON struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// problem decodes a problem response, checking its media type.
func (e *env) problem(res response) problemJSON {
	e.t.Helper()
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		e.t.Errorf("Content-Type = %q, want application/problem+json; body %s", ct, res.body)
	}
	var p problemJSON
	if err := json.Unmarshal(res.body, &p); err != nil {
		e.t.Fatalf("decode problem %s: %v", res.body, err)
	}
	return p
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

// recordHandler is a slog.Handler that hands every record to the test.
type recordHandler struct {
	records chan slog.Record
	attrs   []slog.Attr
}

func newRecordHandler() *recordHandler { return &recordHandler{records: make(chan slog.Record, 1000)} }

func (h *recordHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(h.attrs...)
	select {
	case h.records <- r:
	default: // a test that does not read its logs must not block the server
	}
	return nil
}

func (h *recordHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &recordHandler{records: h.records, attrs: append(slices.Clone(h.attrs), as...)}
}

func (h *recordHandler) WithGroup(string) slog.Handler { return h }

// waitLog returns the first record (in order) for which match is true, failing after 5 s.
func (h *recordHandler) waitLog(t *testing.T, match func(msg string, attrs map[string]string) bool) map[string]string {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case r := <-h.records:
			attrs := map[string]string{}
			r.Attrs(func(a slog.Attr) bool {
				attrs[a.Key] = a.Value.String()
				return true
			})
			if match(r.Message, attrs) {
				return attrs
			}
		case <-timeout:
			t.Fatal("no matching log record within 5 s")
			return nil
		}
	}
}

// text renders a record's message and attributes, for searching logs.
func text(msg string, attrs map[string]string) string {
	var b bytes.Buffer
	b.WriteString(msg)
	for k, v := range attrs {
		b.WriteString(" " + k + "=" + v)
	}
	return b.String()
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
