package api_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/render"
)

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	res := e.do(request{method: "GET", path: "/healthz"})
	if res.status != 200 || string(res.body) != `{"status":"ok"}`+"\n" {
		t.Errorf("healthz: %d %s", res.status, res.body)
	}
}

func TestReadyz(t *testing.T) {
	tests := []struct {
		name       string
		checks     func(e *env) map[string]func(context.Context) error
		wantStatus int
		wantDetail string
	}{
		{name: "all up", wantStatus: 200},
		{name: "Redis down", wantStatus: 503, wantDetail: "failing: redis", checks: func(e *env) map[string]func(context.Context) error {
			down := redis.NewClient(&redis.Options{Addr: closedAddr(e.t), MaxRetries: -1})
			e.t.Cleanup(func() { _ = down.Close() })
			return map[string]func(context.Context) error{
				"database": e.st.Ping,
				"redis":    func(ctx context.Context) error { return down.Ping(ctx).Err() },
			}
		}},
		{name: "two down", wantStatus: 503, wantDetail: "failing: a, b", checks: func(e *env) map[string]func(context.Context) error {
			broken := func(context.Context) error { return errors.New("broken") }
			return map[string]func(context.Context) error{"b": broken, "a": broken, "database": e.st.Ping}
		}},
		{name: "a check that hangs", wantStatus: 503, wantDetail: "failing: slow", checks: func(e *env) map[string]func(context.Context) error {
			return map[string]func(context.Context) error{"slow": func(ctx context.Context) error {
				<-ctx.Done()
				return ctx.Err()
			}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(o *envOptions) {
				o.cfg.ReadyTimeout = 200 * time.Millisecond
				o.checksFor = tt.checks
			})
			res := e.do(request{method: "GET", path: "/readyz"})
			if res.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", res.status, tt.wantStatus, res.body)
			}
			if tt.wantStatus == 200 {
				return
			}
			p := e.problem(res)
			if p.Type != "urn:muster:problem:not-ready" || p.Detail != tt.wantDetail {
				t.Errorf("problem %+v, want not-ready with detail %q", p, tt.wantDetail)
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	e := newEnv(t)
	var got struct {
		Items      []render.TemplateInfo `json:"items"`
		NextCursor string                `json:"next_cursor"`
	}
	e.json("GET", "/v1/templates", nil, 200, &got)
	all, both := []string{"en", "es", "fr", "pt"}, []string{"email", "sms"}
	want := []render.TemplateInfo{
		{Name: "change", Locales: all, Channels: both},
		{Name: "mobilization", Locales: all, Channels: both},
		{Name: "online-action", Locales: all, Channels: both},
		{Name: "reminder", Locales: all, Channels: both},
		{Name: "thanks", Locales: []string{"en"}, Channels: []string{"email"}},
	}
	if diff := cmp.Diff(want, got.Items); diff != "" {
		t.Errorf("templates mismatch (-want +got):\n%s", diff)
	}
}

func TestKeys(t *testing.T) {
	e := newEnv(t)
	if err := e.st.RevokeAPIKey(context.Background(), "organizer"); err != nil {
		t.Fatal(err)
	}
	res := e.do(request{method: "GET", path: "/v1/keys", key: e.admin})
	if res.status != 200 {
		t.Fatalf("status %d; body %s", res.status, res.body)
	}
	var got struct {
		Items []map[string]any `json:"items"`
	}
	mustUnmarshal(t, res.body, &got)
	var summary []string
	for _, k := range got.Items {
		fields := slices.Sorted(maps.Keys(k))
		summary = append(summary, k["name"].(string)+" "+k["role"].(string)+" "+strings.Join(fields, ","))
	}
	// The admin key was used for this very request; the organizer's was revoked, never used.
	want := []string{
		"organizer organizer created_at,name,revoked_at,role",
		"root admin created_at,last_used_at,name,role",
	}
	if diff := cmp.Diff(want, summary); diff != "" {
		t.Errorf("keys mismatch (-want +got):\n%s", diff)
	}
}

func TestOpenAPIServed(t *testing.T) {
	e := newEnv(t)
	res := e.do(request{method: "GET", path: "/openapi.yaml"})
	if res.status != 200 || res.header.Get("Content-Type") != "application/yaml" {
		t.Fatalf("status %d, Content-Type %q", res.status, res.header.Get("Content-Type"))
	}
	if !strings.HasPrefix(string(res.body), "openapi: 3.1") {
		t.Errorf("openapi.yaml does not start with its version: %.40q", res.body)
	}
}

func TestRequestLog(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	res := e.do(request{method: "POST", path: "/v1/campaigns/free-assange/supporters", key: e.org,
		header: map[string]string{"X-Request-Id": "req-42"},
		body:   `{"email": "secret.person@example.org", "phone": "+5511987654321", "consent": {"text": "yes"}}`})
	if res.status != 201 || res.header.Get("X-Request-Id") != "req-42" {
		t.Fatalf("status %d, X-Request-Id %q", res.status, res.header.Get("X-Request-Id"))
	}
	attrs := e.handlers.waitLog(t, func(msg string, attrs map[string]string) bool {
		if strings.Contains(text(msg, attrs), "secret.person") || strings.Contains(text(msg, attrs), "987654321") {
			t.Errorf("a log record holds personal data: %s", text(msg, attrs))
		}
		return msg == "http request" && attrs["request_id"] == "req-42"
	})
	want := map[string]string{"method": "POST", "route": "POST /v1/campaigns/{slug}/supporters", "status": "201", "request_id": "req-42"}
	delete(attrs, "duration")
	if diff := cmp.Diff(want, attrs); diff != "" {
		t.Errorf("log attributes mismatch (-want +got):\n%s", diff)
	}

	// A request id the client did not choose well is replaced.
	res = e.do(request{method: "GET", path: "/healthz", header: map[string]string{"X-Request-Id": "bad id\twith tab"}})
	if id := res.header.Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Errorf("X-Request-Id = %q, want a fresh id", id)
	}
}

func TestPanicIsA500Problem(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.noDB = true }) // a nil store panics on use
	res := e.do(request{method: "GET", path: "/v1/campaigns", key: e.org})
	if res.status != 500 {
		t.Fatalf("status %d, want 500; body %s", res.status, res.body)
	}
	if p := e.problem(res); p.Type != "urn:muster:problem:internal" {
		t.Errorf("problem type %q", p.Type)
	}
	e.handlers.waitLog(t, func(msg string, attrs map[string]string) bool {
		return msg == "panic serving request" && attrs["stack"] != ""
	})
	// The server goes on serving.
	if res := e.do(request{method: "GET", path: "/healthz"}); res.status != 200 {
		t.Errorf("healthz after a panic: %d", res.status)
	}
}
