package api_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type subscriptionOut struct {
	Campaign    string    `json:"campaign"`
	Channel     string    `json:"channel"`
	Status      string    `json:"status"`
	Source      string    `json:"source"`
	ConsentText string    `json:"consent_text"`
	ConsentIP   string    `json:"consent_ip"`
	CreatedAt   time.Time `json:"created_at"`
	ConfirmedAt time.Time `json:"confirmed_at"`
}

type supporterOut struct {
	ID            int64             `json:"id"`
	Email         string            `json:"email"`
	Phone         string            `json:"phone"`
	Name          string            `json:"name"`
	Locale        string            `json:"locale"`
	Country       string            `json:"country"`
	Timezone      string            `json:"timezone"`
	Tags          []string          `json:"tags"`
	Subscriptions []subscriptionOut `json:"subscriptions"`
	CreatedAt     time.Time         `json:"created_at"`
	UpdatedAt     time.Time         `json:"updated_at"`
}

type supporterList struct {
	Items      []supporterOut `json:"items"`
	NextCursor string         `json:"next_cursor"`
}

func TestSupporterUpsert(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	const path = "/v1/campaigns/free-assange/supporters"

	// New, unconfirmed: email waits for the double opt-in, SMS has consent evidence.
	var first supporterOut
	res := e.json("POST", path, map[string]any{
		"email": "ana@Example.org", "phone": "(11) 98765-4321", "name": "Ana", "locale": "pt-br",
		"country": "br", "tags": []string{"Embassy"},
		"consent": map[string]string{"text": "I agree to receive campaign alerts", "ip": "203.0.113.9"},
	}, 201, &first)
	if got, want := res.header.Get("Location"), fmt.Sprintf("/v1/supporters/%d", first.ID); got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	sub := func(ch, status string, confirmed time.Time) subscriptionOut {
		return subscriptionOut{Campaign: "free-assange", Channel: ch, Status: status, Source: "api",
			ConsentText: "I agree to receive campaign alerts", ConsentIP: "203.0.113.9", CreatedAt: testNow, ConfirmedAt: confirmed}
	}
	want := supporterOut{
		ID: first.ID, Email: "ana@example.org", Phone: "+5511987654321", Name: "Ana", Locale: "pt-BR",
		Country: "BR", Timezone: "America/Sao_Paulo", Tags: []string{"embassy"},
		Subscriptions: []subscriptionOut{sub("email", "pending", time.Time{}), sub("sms", "active", testNow)},
		CreatedAt:     testNow, UpdatedAt: testNow,
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first upsert mismatch (-want +got):\n%s", diff)
	}

	// The same person by phone, confirmed now, with another tag: 200, same id.
	var second supporterOut
	e.json("POST", path, map[string]any{
		"phone": "+5511987654321", "email": "ana@example.org", "tags": []string{"vigil"}, "confirmed": true,
		"consent": map[string]string{"text": "I agree to receive campaign alerts", "ip": "203.0.113.9"},
	}, 200, &second)
	want.Tags = []string{"embassy", "vigil"}
	want.Subscriptions[0] = sub("email", "active", testNow)
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("second upsert mismatch (-want +got):\n%s", diff)
	}

	var got supporterOut
	e.json("GET", fmt.Sprintf("/v1/supporters/%d", first.ID), nil, 200, &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET supporter mismatch (-want +got):\n%s", diff)
	}
}

func TestSupporterList(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	const path = "/v1/campaigns/free-assange/supporters"
	bodies := []map[string]any{
		{"email": "a@example.org", "confirmed": true, "tags": []string{"embassy"}, "country": "GB"},
		{"email": "b@example.org", "tags": []string{"embassy"}},
		{"phone": "+5511987654321", "confirmed": true},
	}
	for _, b := range bodies {
		e.json("POST", path, b, 201, nil)
	}
	tests := []struct {
		query string
		want  []string // emails or phones
	}{
		{query: "", want: []string{"a@example.org", "b@example.org", "+5511987654321"}},
		{query: "?channel=email&status=active", want: []string{"a@example.org"}},
		{query: "?status=pending", want: []string{"b@example.org"}},
		{query: "?tag=EMBASSY", want: []string{"a@example.org", "b@example.org"}},
		{query: "?country=br", want: []string{"+5511987654321"}},
		{query: "?channel=sms", want: []string{"+5511987654321"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var page supporterList
			e.json("GET", path+tt.query, nil, 200, &page)
			var got []string
			for _, s := range page.Items {
				got = append(got, s.Email+s.Phone)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("listed supporters mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

type importReport struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
	Skipped int `json:"skipped"`
	Errors  []struct {
		Line    int    `json:"line"`
		Message string `json:"message"`
	} `json:"errors"`
}

func TestSupporterImport(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	e.json("POST", "/v1/campaigns/free-assange/supporters", map[string]any{"email": "old@example.org"}, 201, nil)
	csv := strings.Join([]string{
		"email,phone,name,country,tags,channels,confirmed,consent_text",
		"ana@example.org,+5511987654321,Ana,BR,embassy;vigil,email;sms,true,",
		"bad-email,,Bo,,,,,",
		"old@example.org,,Old,,,,true,",
		"cy@example.org,07400 123456,Cy,GB,,sms,,I agree",
		"dee@example.org,(11) 98765-4321,Dee,GB,,,true,",
		"eve@example.org,,Eve,,,,maybe,",
	}, "\n") + "\n"
	res := e.do(request{method: "POST", path: "/v1/campaigns/free-assange/supporters/import", key: e.org,
		contentType: "text/csv; charset=utf-8", body: csv})
	if res.status != 200 {
		t.Fatalf("import: status %d, body %s", res.status, res.body)
	}
	var got importReport
	mustUnmarshal(t, res.body, &got)
	var want importReport
	mustUnmarshal(t, []byte(`{"created": 2, "updated": 1, "skipped": 3, "errors": [
		{"line": 3, "message": "email: is not an email address"},
		{"line": 6, "message": "phone: is not a valid number for GB"},
		{"line": 7, "message": "confirmed: must be true or false"}]}`), &want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}

	var page supporterList
	e.json("GET", "/v1/campaigns/free-assange/supporters?status=active", nil, 200, &page)
	var active []string
	for _, s := range page.Items {
		for _, sub := range s.Subscriptions {
			if sub.Status == "active" {
				active = append(active, s.Email+" "+sub.Channel+" "+sub.Source)
			}
		}
	}
	// old@ was pending from the API; the import's confirmed promotes it.
	wantActive := []string{"old@example.org email import", "ana@example.org email import",
		"ana@example.org sms import", "cy@example.org sms import"}
	if diff := cmp.Diff(wantActive, active); diff != "" {
		t.Errorf("active imported subscriptions mismatch (-want +got):\n%s", diff)
	}
}

func TestSupporterImportTooLarge(t *testing.T) {
	e := newEnv(t, func(o *envOptions) { o.cfg.MaxImportBytes = 1024 })
	e.seedCampaign("free-assange")
	var b strings.Builder
	b.WriteString("email\n")
	for i := range 100 {
		fmt.Fprintf(&b, "p%d@example.org\n", i)
	}
	before := e.stored()
	res := e.do(request{method: "POST", path: "/v1/campaigns/free-assange/supporters/import", key: e.org,
		contentType: "text/csv", body: b.String()})
	if p := e.problem(res); res.status != 413 || p.Type != "urn:muster:problem:body-too-large" {
		t.Errorf("status %d, problem %+v; want 413 body-too-large", res.status, p)
	}
	if diff := cmp.Diff(before, e.stored()); diff != "" {
		t.Errorf("something was stored (-before +after):\n%s", diff)
	}
}

// TestUpsertAsksConfirmation: an email subscription the organizer does not
// attest (no confirmed) starts pending and its double opt-in email is asked
// for at once; a confirmed one is not.
func TestUpsertAsksConfirmation(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	e.json("POST", "/v1/campaigns/free-assange/supporters", map[string]any{"email": "new@example.org"}, 201, nil)
	e.json("POST", "/v1/campaigns/free-assange/supporters", map[string]any{"email": "old@example.org", "confirmed": true}, 201, nil)
	tasks, err := e.insp.ListPendingTasks("email")
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Type != "consent:confirm" || !strings.Contains(string(tasks[0].Payload), `"supporter_id":1`) {
		t.Errorf("pending email tasks = %+v, want one confirmation for supporter 1", tasks)
	}
}
