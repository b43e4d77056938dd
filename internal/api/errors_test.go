package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// stored sums up what the database and the fan-out queue hold.
type stored struct {
	Campaigns, Supporters, Alerts, Subscriptions, FanoutTasks int
}

func (e *env) stored() stored {
	e.t.Helper()
	ctx := context.Background()
	var s stored
	cs, _, err := e.st.ListCampaigns(ctx, store.Page{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	s.Campaigns = len(cs)
	for _, c := range cs {
		sups, _, err := e.st.ListSupporters(ctx, c.ID, store.SupporterFilter{}, store.Page{Limit: 1000})
		if err != nil {
			e.t.Fatal(err)
		}
		s.Supporters += len(sups)
		for _, sup := range sups {
			s.Subscriptions += len(sup.Subscriptions)
		}
	}
	// Every alert a test makes is scheduled and not fanned out: the reconciler's
	// query, with the far future as now, finds them all.
	far := testNow.AddDate(100, 0, 0)
	as, err := e.st.StalledFanouts(ctx, far, far, 100000)
	if err != nil {
		e.t.Fatal(err)
	}
	s.Alerts = len(as)
	keys, err := e.rdb.Keys(ctx, "asynq:{fanout}:t:*").Result()
	if err != nil {
		e.t.Fatal(err)
	}
	s.FanoutTasks = len(keys)
	return s
}

// wantProblem is what a bad request must be answered with.
type wantProblem struct {
	Status int
	Type   string   // after urn:muster:problem:
	Fields []string // the fields in errors, in order
}

func TestBadInput(t *testing.T) {
	const (
		supporters = "/v1/campaigns/free-assange/supporters"
		alerts     = "/v1/campaigns/free-assange/alerts"
		okAlert    = `{"template": "mobilization", "channels": ["email"]`
	)
	huge := `{"name": "` + strings.Repeat("a", 2<<20) + `"}`
	tests := []struct {
		name       string
		setup      func(e *env) // optional, runs before the snapshot
		req        request      // key defaults to the organizer's
		noKey      bool
		want       wantProblem
		wantDetail string // a part of the detail
	}{
		{name: "malformed JSON", req: request{method: "POST", path: "/v1/campaigns", body: `{"slug": "ab",`},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: "malformed JSON"},
		{name: "JSON syntax error", req: request{method: "POST", path: supporters, body: `{"email": 'x'}`},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: "at byte"},
		{name: "empty body", req: request{method: "POST", path: "/v1/campaigns", contentType: "application/json"},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: "empty"},
		{name: "not an object", req: request{method: "POST", path: "/v1/campaigns", body: `["ab"]`},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: "JSON object"},
		{name: "two JSON values", req: request{method: "POST", path: "/v1/campaigns", body: `{"slug": "ab", "name": "A"} {}`},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: "more than one"},
		{name: "unknown field", req: request{method: "POST", path: "/v1/campaigns", body: `{"slug": "ab", "name": "A", "colour": "red"}`},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: `unknown field "colour"`},
		{name: "unknown nested field", req: request{method: "POST", path: supporters, body: `{"email": "a@example.org", "consent": {"txt": "yes"}}`},
			want: wantProblem{400, "malformed-request", nil}, wantDetail: `unknown field "txt"`},
		{name: "bad quiet hours", req: request{method: "POST", path: "/v1/campaigns", body: `{"slug": "ab", "name": "A", "quiet_hours": "night"}`},
			want: wantProblem{422, "validation", []string{"quiet_hours"}}},
		{name: "footer too long", req: request{method: "PATCH", path: "/v1/campaigns/free-assange", body: `{"footer": "` + strings.Repeat("a", 1001) + `"}`},
			want: wantProblem{422, "validation", []string{"footer"}}},
		{name: "content body of 200 KB", req: request{method: "POST", path: alerts,
			body: `{"channels": ["email"], "content": {"en": {"subject": "s", "body": "` + strings.Repeat("a ", 100_001) + `"}}}`},
			want: wantProblem{422, "validation", []string{"content.en.body"}}},
		{name: "SMS longer than Twilio takes", req: request{method: "POST", path: alerts,
			body: `{"channels": ["sms"], "content": {"en": {"sms": "` + strings.Repeat("x", 1601) + `"}}}`},
			want: wantProblem{422, "validation", []string{"content.en.sms"}}},
		{name: "1 MiB of content", req: request{method: "POST", path: alerts,
			body: `{"channels": ["email"], "content": {"en": {"subject": "s", "body": "` + strings.Repeat("<script>", 1<<17) + `"}}}`},
			want: wantProblem{413, "body-too-large", nil}},
		{name: "wrong JSON type", req: request{method: "POST", path: supporters, body: `{"email": "a@example.org", "name": 5}`},
			want: wantProblem{422, "validation", []string{"name"}}},
		{name: "2 MiB body", req: request{method: "POST", path: supporters, body: huge},
			want: wantProblem{413, "body-too-large", nil}},
		{name: "wrong content type", req: request{method: "POST", path: supporters, contentType: "text/plain", body: `{"email": "a@example.org"}`},
			want: wantProblem{415, "unsupported-media-type", nil}},
		{name: "invalid phone for its country", req: request{method: "POST", path: supporters,
			body: `{"phone": "(11) 98765-4321", "country": "GB", "confirmed": true}`},
			want: wantProblem{422, "validation", []string{"phone"}}},
		{name: "email without a domain", req: request{method: "POST", path: supporters, body: `{"email": "ana"}`},
			want: wantProblem{422, "validation", []string{"email"}}},
		{name: "email with a dotless domain", req: request{method: "POST", path: supporters, body: `{"email": "ana@localhost"}`},
			want: wantProblem{422, "validation", []string{"email"}}},
		{name: "no email and no phone", req: request{method: "POST", path: supporters, body: `{"name": "Ana"}`},
			want: wantProblem{422, "validation", []string{"email"}}},
		{name: "unknown supporter channel", req: request{method: "POST", path: supporters,
			body: `{"email": "ana@example.org", "channels": ["pigeon"]}`},
			want: wantProblem{422, "validation", []string{"channels"}}},
		{name: "sms channel without a phone", req: request{method: "POST", path: supporters,
			body: `{"email": "ana@example.org", "channels": ["email", "sms"]}`},
			want: wantProblem{422, "validation", []string{"channels"}}},
		{name: "sms without consent", req: request{method: "POST", path: supporters, body: `{"phone": "+5511987654321"}`},
			want: wantProblem{422, "validation", []string{"consent.text"}}},
		{name: "every supporter field wrong", req: request{method: "POST", path: supporters,
			body: `{"email": "x@y", "phone": "+1", "locale": "!!", "country": "XX", "timezone": "Mars/Base", "tags": [""], "consent": {"ip": "nope"}}`},
			want: wantProblem{422, "validation", []string{"country", "email", "phone", "locale", "timezone", "tags", "consent.ip", "consent.text"}}},
		{name: "contacts of two supporters", setup: func(e *env) {
			c, _ := e.st.CampaignBySlug(context.Background(), "free-assange")
			e.seedSupporter(c, store.Supporter{Email: "ana@example.org"})
			e.seedSupporter(c, store.Supporter{Phone: "+5511987654321"})
		}, req: request{method: "POST", path: supporters, body: `{"email": "ana@example.org", "phone": "+5511987654321", "confirmed": true}`},
			want: wantProblem{409, "conflict", nil}, wantDetail: "two different supporters"},
		{name: "unknown campaign, supporter", req: request{method: "POST", path: "/v1/campaigns/nope/supporters", body: `{"email": "ana@example.org"}`},
			want: wantProblem{404, "not-found", nil}, wantDetail: `"nope"`},
		{name: "unknown campaign, alert", req: request{method: "POST", path: "/v1/campaigns/nope/alerts", body: okAlert + `}`},
			want: wantProblem{404, "not-found", nil}},
		{name: "unknown campaign, get", req: request{method: "GET", path: "/v1/campaigns/nope"},
			want: wantProblem{404, "not-found", nil}},
		{name: "unknown alert", req: request{method: "GET", path: "/v1/alerts/999"}, want: wantProblem{404, "not-found", nil}},
		{name: "alert id not a number", req: request{method: "POST", path: "/v1/alerts/abc/cancel"}, want: wantProblem{404, "not-found", nil}},
		{name: "unknown supporter", req: request{method: "GET", path: "/v1/supporters/999"}, want: wantProblem{404, "not-found", nil}},
		{name: "unknown path", req: request{method: "GET", path: "/v1/nothing"}, want: wantProblem{404, "not-found", nil}},
		{name: "wrong method", req: request{method: "DELETE", path: "/v1/campaigns"}, want: wantProblem{405, "method-not-allowed", nil}},
		{name: "send_at not RFC 3339", req: request{method: "POST", path: alerts, body: okAlert + `, "send_at": "tomorrow 10am"}`},
			want: wantProblem{422, "validation", []string{"send_at"}}},
		{name: "expires_at before send_at", req: request{method: "POST", path: alerts,
			body: okAlert + `, "send_at": "2026-11-22T12:00:00Z", "expires_at": "2026-11-22T11:00:00Z"}`},
			want: wantProblem{422, "validation", []string{"expires_at"}}},
		{name: "expires_at in the past", req: request{method: "POST", path: alerts,
			body: okAlert + `, "send_at": "2026-11-22T07:00:00Z", "expires_at": "2026-11-22T08:00:00Z"}`},
			want: wantProblem{422, "validation", []string{"expires_at"}}},
		{name: "template and content", req: request{method: "POST", path: alerts,
			body: `{"template": "mobilization", "content": {"en": {"subject": "s", "body": "b"}}, "channels": ["email"]}`},
			want: wantProblem{422, "validation", []string{"content"}}},
		{name: "neither template nor content", req: request{method: "POST", path: alerts, body: `{"channels": ["email"]}`},
			want: wantProblem{422, "validation", []string{"template"}}},
		{name: "unknown template", req: request{method: "POST", path: alerts, body: `{"template": "nope", "channels": ["email"]}`},
			want: wantProblem{422, "validation", []string{"template"}}},
		{name: "template without a requested channel", req: request{method: "POST", path: alerts, body: `{"template": "thanks", "channels": ["email", "sms"]}`},
			want: wantProblem{422, "validation", []string{"channels"}}},
		{name: "content missing parts and the campaign locale", req: request{method: "POST", path: alerts,
			body: `{"content": {"es": {"subject": "Hola"}, "!!": {}}, "channels": ["email", "sms"]}`},
			want: wantProblem{422, "validation", []string{"content.!!", "content.es.body", "content.es.sms", "content"}}},
		{name: "unknown alert channel", req: request{method: "POST", path: alerts, body: `{"template": "mobilization", "channels": ["email", "fax"]}`},
			want: wantProblem{422, "validation", []string{"channels"}}},
		{name: "no channels", req: request{method: "POST", path: alerts, body: `{"template": "mobilization", "channels": []}`},
			want: wantProblem{422, "validation", []string{"channels"}}},
		{name: "bad audience and data", req: request{method: "POST", path: alerts,
			body: okAlert + `, "audience": {"countries": ["XX"], "tags": [""], "locales": ["!!"]}}`},
			want: wantProblem{422, "validation", []string{"audience.countries", "audience.tags", "audience.locales"}}},
		{name: "data not an object", req: request{method: "POST", path: alerts, body: okAlert + `, "data": [1]}`},
			want: wantProblem{422, "validation", []string{"data"}}},
		{name: "campaign without senders", setup: func(e *env) {
			_, err := e.st.CreateCampaign(context.Background(), store.Campaign{Slug: "quiet", Name: "Quiet", Locale: "en", Timezone: "UTC"})
			if err != nil {
				e.t.Fatal(err)
			}
		}, req: request{method: "POST", path: "/v1/campaigns/quiet/alerts", body: `{"template": "mobilization", "channels": ["email", "sms"]}`},
			want: wantProblem{422, "validation", []string{"channels", "channels"}}, wantDetail: ""},
		{name: "Idempotency-Key too long", req: request{method: "POST", path: alerts, body: okAlert + `}`,
			header: map[string]string{"Idempotency-Key": strings.Repeat("k", 256)}},
			want: wantProblem{422, "validation", []string{"Idempotency-Key"}}},
		{name: "every campaign field wrong", req: request{method: "POST", path: "/v1/campaigns",
			body: `{"slug": "Free Assange", "name": " ", "locale": "!!", "timezone": "Mars/Base",
				"email": {"from": "nobody", "reply_to": "a@b"}, "sms": {"from": "12", "messaging_service_sid": "MGxyz"}}`},
			want: wantProblem{422, "validation", []string{"slug", "name", "locale", "timezone", "email.from", "email.reply_to", "sms.from", "sms.messaging_service_sid"}}},
		{name: "campaign without slug and name", req: request{method: "POST", path: "/v1/campaigns", body: `{}`},
			want: wantProblem{422, "validation", []string{"slug", "name"}}},
		{name: "slug taken", req: request{method: "POST", path: "/v1/campaigns", body: `{"slug": "free-assange", "name": "Again"}`},
			want: wantProblem{409, "conflict", nil}, wantDetail: "taken"},
		{name: "patch changes the slug", req: request{method: "PATCH", path: "/v1/campaigns/free-assange", body: `{"slug": "other", "name": ""}`},
			want: wantProblem{422, "validation", []string{"slug", "name"}}},
		{name: "bad limit", req: request{method: "GET", path: "/v1/campaigns?limit=0"}, want: wantProblem{422, "validation", []string{"limit"}}},
		{name: "bad cursor", req: request{method: "GET", path: "/v1/campaigns?cursor=!!"}, want: wantProblem{422, "validation", []string{"cursor"}}},
		{name: "bad supporter filters", req: request{method: "GET", path: supporters + "?channel=fax&status=happy&country=XX&limit=5000"},
			want: wantProblem{422, "validation", []string{"channel", "status", "country", "limit"}}},
		{name: "bad delivery filters", setup: func(e *env) {
			c, _ := e.st.CampaignBySlug(context.Background(), "free-assange")
			if _, _, err := e.st.CreateAlert(context.Background(), store.Alert{CampaignID: c.ID, Template: "mobilization",
				Channels: []store.Channel{store.ChannelEmail}, SendAt: testNow}); err != nil {
				e.t.Fatal(err)
			}
		}, req: request{method: "GET", path: "/v1/alerts/1/deliveries?status=lost&channel=fax"},
			want: wantProblem{422, "validation", []string{"status", "channel"}}},
		{name: "CSV with an unknown column", req: request{method: "POST", path: supporters + "/import", contentType: "text/csv",
			body: "email,shoe_size\nana@example.org,38\n"},
			want: wantProblem{422, "validation", []string{"header"}}},
		{name: "CSV as JSON", req: request{method: "POST", path: supporters + "/import", body: `{"email": "ana@example.org"}`},
			want: wantProblem{415, "unsupported-media-type", nil}},
		{name: "missing key", noKey: true, req: request{method: "GET", path: "/v1/campaigns"},
			want: wantProblem{401, "unauthorized", nil}, wantDetail: "Bearer"},
		{name: "missing key on a write", noKey: true, req: request{method: "POST", path: "/v1/campaigns", body: `{"slug": "ab", "name": "A"}`},
			want: wantProblem{401, "unauthorized", nil}},
		{name: "not a bearer key", req: request{method: "GET", path: "/v1/campaigns", header: map[string]string{"Authorization": "Basic YTpi"}},
			want: wantProblem{401, "unauthorized", nil}},
		{name: "unknown key", req: request{method: "GET", path: "/v1/campaigns", key: "mk_nope"},
			want: wantProblem{401, "unauthorized", nil}},
		{name: "revoked key", setup: func(e *env) {
			if err := e.st.RevokeAPIKey(context.Background(), "organizer"); err != nil {
				e.t.Fatal(err)
			}
		}, req: request{method: "POST", path: supporters, body: `{"email": "ana@example.org"}`},
			want: wantProblem{401, "unauthorized", nil}},
		{name: "organizer key on an admin route", req: request{method: "GET", path: "/v1/keys"},
			want: wantProblem{403, "forbidden", nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.seedCampaign("free-assange")
			if tt.setup != nil {
				tt.setup(e)
			}
			before := e.stored()
			req := tt.req
			if req.key == "" && !tt.noKey && req.header["Authorization"] == "" {
				req.key = e.org
			}
			res := e.do(req)
			p := e.problem(res)
			var fields []string
			for _, fe := range p.Errors {
				if fe.Message == "" {
					t.Errorf("field %q has no message", fe.Field)
				}
				fields = append(fields, fe.Field)
			}
			got := wantProblem{Status: res.status, Type: strings.TrimPrefix(p.Type, "urn:muster:problem:"), Fields: fields}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problem mismatch (-want +got):\n%s\nbody: %.500s", diff, res.body)
			}
			if p.Status != res.status || p.Title == "" {
				t.Errorf("problem status %d, title %q; response status %d", p.Status, p.Title, res.status)
			}
			if !strings.Contains(p.Detail, tt.wantDetail) {
				t.Errorf("detail %q does not contain %q", p.Detail, tt.wantDetail)
			}
			if res.status == 401 && res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if diff := cmp.Diff(before, e.stored()); diff != "" {
				t.Errorf("something was stored (-before +after):\n%s", diff)
			}
		})
	}
}
