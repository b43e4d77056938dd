package worker_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/ratelimit"
	"github.com/muster-org/muster/internal/redistest"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/smtptest"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
	"github.com/muster-org/muster/internal/twiliotest"
	"github.com/muster-org/muster/templates"
	"github.com/muster-org/muster/worker"
)

const (
	twilioSID   = "AC0123456789abcdef0123456789abcdef"
	twilioToken = "0123456789abcdef0123456789abcdef"
)

// harness is the whole pipeline on real parts: SQLite, Redis, the API, the
// workers, an SMTP server and a Twilio stand-in.
type harness struct {
	t      *testing.T
	st     *store.Store
	smtp   *smtptest.Server
	tw     *twiliotest.Server
	api    *httptest.Server
	key    string
	redis  asynq.RedisConnOpt
	rdb    *redis.Client
	set    worker.Settings
	rates  map[string]int
	token  string         // the auth token the worker uses with Twilio
	w      *worker.Worker // the last one started
	tokens *token.Signer  // signs the links of emails; nil leaves them out

	// limiter, when set, is the workers' limiter instead of one on rates.
	limiter permitTaker
}

// permitTaker is what the workers take provider permits from.
type permitTaker interface {
	Take(ctx context.Context, key string, n int) (int, time.Duration, error)
}

// fastSettings make every delay of the real paths short.
func fastSettings() worker.Settings {
	return worker.Settings{
		BaseURL: "https://muster.example.org", BatchSize: 100, ChunkSize: 25,
		EmailParallel: 8, SMSParallel: 8, EmailConcurrency: 4, SMSConcurrency: 4,
		RetryBudget: 3, RetryBase: 50 * time.Millisecond, RetryMax: 200 * time.Millisecond,
		RateLimitWait: 100 * time.Millisecond, SendLease: 2 * time.Second,
		Reconcile: 200 * time.Millisecond, QueuePoll: 100 * time.Millisecond, ShutdownTimeout: 2 * time.Second,
	}
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "muster.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	h := &harness{
		rdb: redistest.Open(t, redistest.DBWorker),
		t:   t, st: st, smtp: smtptest.NewServer(t), tw: twiliotest.NewServer(t, twilioSID, twilioToken),
		redis: asynq.RedisClientOpt{Addr: redistest.Addr(), DB: redistest.DBWorker},
		set:   fastSettings(), rates: map[string]int{}, token: twilioToken,
	}
	r := h.renderer()
	client := asynq.NewClient(h.redis)
	t.Cleanup(func() { _ = client.Close() })
	h.api = httptest.NewServer(api.New(api.Config{BaseURL: h.set.BaseURL, TwilioAuthToken: twilioToken},
		st, worker.NewQueue(client), r, nil, quietLogger()))
	t.Cleanup(h.api.Close)
	secret, hash, err := api.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateAPIKey(ctx, "test", store.RoleOrganizer, hash); err != nil {
		t.Fatal(err)
	}
	h.key = secret
	return h
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (h *harness) renderer() *render.Renderer {
	r, err := render.New(templates.FS())
	if err != nil {
		h.t.Fatal(err)
	}
	return r
}

// idleWorker builds a worker without providers and does not run it: its
// handlers and reconciler are called by the test itself.
func (h *harness) idleWorker() *worker.Worker {
	return worker.New(worker.Deps{Redis: h.redis, Store: h.st, Renderer: h.renderer(),
		Limiter: ratelimit.New(h.rdb, nil), Logger: quietLogger(), Settings: h.set})
}

// startWorker runs a worker until the returned stop func is called (or the test ends).
func (h *harness) startWorker() (stop func()) {
	h.t.Helper()
	mcfg, err := mail.ParseURL(h.smtp.URL())
	if err != nil {
		h.t.Fatal(err)
	}
	mcfg.PoolSize = h.set.EmailParallel
	pool, err := mail.NewPool(mcfg, quietLogger())
	if err != nil {
		h.t.Fatal(err)
	}
	text, err := sms.NewClient(sms.Config{AccountSID: twilioSID, AuthToken: h.token, BaseURL: h.tw.URL()})
	if err != nil {
		h.t.Fatal(err)
	}
	var lim permitTaker = ratelimit.New(h.rdb, h.rates)
	if h.limiter != nil {
		lim = h.limiter
	}
	w := worker.New(worker.Deps{
		Redis: h.redis, Store: h.st, Renderer: h.renderer(), Email: pool, SMS: text,
		Limiter: lim, Logger: quietLogger(), Settings: h.set, Tokens: h.tokens,
	})
	h.w = w
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var stopped bool
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			h.t.Errorf("worker: %v", err)
		}
		_ = pool.Close()
	}
	h.t.Cleanup(stop)
	return stop
}

// call sends a request to the API and decodes the JSON answer into out.
func (h *harness) call(method, path, contentType, body string, out any) int {
	h.t.Helper()
	req, err := http.NewRequest(method, h.api.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.key)
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer func() { _ = res.Body.Close() }()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			h.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	if res.StatusCode >= 300 {
		h.t.Logf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	return res.StatusCode
}

// campaign creates a campaign and imports n supporters through the API.
// Supporter i has email s<i>@example.org and phone +4474001<i, 5 digits>.
func (h *harness) campaign(slug string, n int) {
	h.t.Helper()
	body := fmt.Sprintf(`{"slug":%q,"name":"Test Coalition","locale":"en","timezone":"Europe/London",
		"email":{"from":"Test Coalition <alerts@example.org>"},"sms":{"from":"+15005550006"}}`, slug)
	if code := h.call("POST", "/v1/campaigns", "application/json", body, nil); code != http.StatusCreated {
		h.t.Fatalf("create campaign: %d", code)
	}
	var csv bytes.Buffer
	csv.WriteString("email,phone,name,locale,country,channels,confirmed\n")
	locales := []string{"en-GB", "es-AR", "pt-BR", "fr"}
	for i := range n {
		fmt.Fprintf(&csv, "%s,%s,Person %d,%s,GB,email;sms,true\n", email(i), phone(i), i, locales[i%len(locales)])
	}
	var rep struct {
		Created int `json:"created"`
	}
	code := h.call("POST", "/v1/campaigns/"+slug+"/supporters/import", "text/csv", csv.String(), &rep)
	if code != http.StatusOK || rep.Created != n {
		h.t.Fatalf("import: status %d, created %d of %d", code, rep.Created, n)
	}
}

func email(i int) string { return fmt.Sprintf("s%04d@example.org", i) }
func phone(i int) string { return fmt.Sprintf("+4474001%05d", i) }

// alertView is the API's alert, as far as tests read it.
type alertView struct {
	ID           int64                       `json:"id"`
	Status       string                      `json:"status"`
	AudienceSize int64                       `json:"audience_size"`
	Counts       map[string]map[string]int64 `json:"counts"`
	Blocked      map[string]string           `json:"blocked"`
}

func (h *harness) postAlert(slug, body string) alertView {
	h.t.Helper()
	var a alertView
	if code := h.call("POST", "/v1/campaigns/"+slug+"/alerts", "application/json", body, &a); code != http.StatusAccepted {
		h.t.Fatalf("post alert: %d", code)
	}
	return a
}

// alert reads the alert through the API.
func (h *harness) alert(id int64) alertView {
	h.t.Helper()
	var a alertView
	h.call("GET", fmt.Sprintf("/v1/alerts/%d", id), "application/json", "", &a)
	return a
}

// waitAlert polls the alert until its status is final.
func (h *harness) waitAlert(id int64, timeout time.Duration) alertView {
	h.t.Helper()
	var a alertView
	poll.Until(h.t, timeout, func() bool {
		a = h.alert(id)
		return a.Status == "completed" || a.Status == "cancelled" || a.Status == "expired"
	}, func() string { return fmt.Sprintf("alert %d still %s: %v", id, a.Status, a.Counts) })
	return a
}

// deliveries returns every delivery of an alert, from the store.
func (h *harness) deliveries(alertID int64) map[store.Channel]map[int64]store.Delivery {
	h.t.Helper()
	out := map[store.Channel]map[int64]store.Delivery{store.ChannelEmail: {}, store.ChannelSMS: {}}
	p := store.Page{Limit: 1000}
	for {
		ds, next, err := h.st.ListDeliveries(context.Background(), alertID, store.DeliveryFilter{}, p)
		if err != nil {
			h.t.Fatal(err)
		}
		for _, d := range ds {
			out[d.Channel][d.SupporterID] = d
		}
		if next == "" {
			return out
		}
		p.Cursor = next
	}
}

const mobilization = `{"template":"mobilization","channels":["email","sms"],
	"data":{"title":"Human chain around Parliament","starts_at":"2022-10-08T13:00:00+01:00",
	"place":"Parliament Square, London","url":"https://example.org/oct8"}}`
