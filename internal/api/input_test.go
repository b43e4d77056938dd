package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// alertBody is an email alert of the mobilization template for an audience.
func alertBody(t *testing.T, audience map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"template": "mobilization", "channels": []string{"email"}, "audience": audience,
		"data": map[string]any{"title": "Human chain", "starts_at": "2026-12-08T13:00:00Z"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// repeat returns n values made by f.
func repeat(n int, f func(i int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// fields lists the fields a problem names.
func fields(p problemJSON) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

func TestAudienceListsDeduplicatedAndCapped(t *testing.T) {
	pair := func(i int) string { return [2]string{"gb", "BR"}[i%2] }
	tests := []struct {
		name       string
		audience   map[string]any
		wantStatus int
		wantFields []string       // for 422
		want       store.Audience // for 202
	}{
		{"40,000 countries, two different", map[string]any{"countries": repeat(40000, pair)}, 202, nil,
			store.Audience{Countries: []string{"GB", "BR"}}},
		{"tags repeated in any case", map[string]any{"tags": []string{"Embassy", "embassy", " EMBASSY "}}, 202, nil,
			store.Audience{Tags: []string{"embassy"}}},
		{"250 locales", map[string]any{"locales": repeat(250, func(i int) string { return fmt.Sprintf("en-x-l%03d", i) })}, 202, nil,
			store.Audience{Locales: repeat(250, func(i int) string { return fmt.Sprintf("en-x-l%03d", i) })}},
		{"251 locales", map[string]any{"locales": repeat(251, func(i int) string { return fmt.Sprintf("en-x-l%03d", i) })}, 422,
			[]string{"audience.locales"}, store.Audience{}},
		{"251 tags", map[string]any{"tags": repeat(251, func(i int) string { return fmt.Sprintf("t%d", i) })}, 422,
			[]string{"audience.tags"}, store.Audience{}},
		{"40,000 unknown countries: one error", map[string]any{"countries": repeat(40000, func(int) string { return "XX" })}, 422,
			[]string{"audience.countries"}, store.Audience{}},
	}
	e := newEnv(t)
	e.seedCampaign("free-assange")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, got := e.postAlert("free-assange", alertBody(t, tt.audience), "")
			if res.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %.300s", res.status, tt.wantStatus, res.body)
			}
			if tt.wantStatus == 422 {
				if diff := cmp.Diff(tt.wantFields, fields(e.problem(res))); diff != "" {
					t.Errorf("fields in error (-want +got):\n%s", diff)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got.Audience); diff != "" {
				t.Errorf("audience (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPreviewAudienceCapped(t *testing.T) {
	e := newEnv(t)
	previewCampaign(e)
	many, _ := json.Marshal(repeat(200000, func(int) string { return "GB" }))
	if res, p := e.preview(`, "audience": {"countries": ` + string(many) + `}`); res.status != 200 || p.Audience.Channels["sms"] != 1 {
		t.Errorf("preview for 200,000 times GB: %d, audience %+v; want 200 and Sam", res.status, p.Audience)
	}
	locales, _ := json.Marshal(repeat(251, func(i int) string { return fmt.Sprintf("en-x-l%03d", i) }))
	res, _ := e.preview(`, "audience": {"locales": ` + string(locales) + `}`)
	if res.status != 422 || !cmp.Equal(fields(e.problem(res)), []string{"audience.locales"}) {
		t.Errorf("preview for 251 locales: %d %.300s; want 422 naming audience.locales", res.status, res.body)
	}
}

// dsn is a delivery status notification about the recipients.
func dsn(recipients ...string) string {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@mail.example.org\r\nTo: bounces@example.org\r\nSubject: Undelivered\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.org\r\n")
	for _, r := range recipients {
		fmt.Fprintf(&b, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: 5.1.1\r\n", r)
	}
	b.WriteString("\r\n--b--\r\n")
	return b.String()
}

func TestBounceLimits(t *testing.T) {
	e := newEnv(t)
	c := e.seedCampaign("free-assange")
	ana := e.seedSupporter(c, store.Supporter{Email: "ana@example.org"})
	post := func(body string) response {
		return e.do(request{method: "POST", path: "/v1/bounces", key: e.org, contentType: "message/rfc822", body: body})
	}
	suppressed := func(addr string) bool {
		ok, err := e.st.Suppressed(t.Context(), store.ChannelEmail, addr)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	padded := dsn("big@example.net") + strings.Repeat("x", 1<<20)
	if res := post(padded); res.status != http.StatusRequestEntityTooLarge || suppressed("big@example.net") {
		t.Errorf("a report over 1 MiB: %d %s; want 413 and nothing suppressed", res.status, res.body)
	}

	tooMany := repeat(1001, func(i int) string { return fmt.Sprintf("r%d@example.net", i) })
	res := post(dsn(tooMany...))
	if res.status != 422 || !cmp.Equal(fields(e.problem(res)), []string{"recipients"}) || suppressed("r0@example.net") {
		t.Errorf("a report of 1,001 recipients: %d %s; want 422 naming recipients, nothing suppressed", res.status, res.body)
	}

	most := append(repeat(999, func(i int) string { return fmt.Sprintf("R%d@Example.NET", i) }), "Ana@Example.ORG")
	res = post(dsn(most...))
	var out bounceOut
	if res.status != 200 {
		t.Fatalf("a report of 1,000 recipients: %d %s", res.status, res.body)
	}
	mustUnmarshal(t, res.body, &out)
	if len(out.Suppressed) != 1000 || !suppressed("r998@example.net") {
		t.Errorf("a report of 1,000 recipients suppressed %d, r998 %v; want all", len(out.Suppressed), suppressed("r998@example.net"))
	}
	if sub, err := e.st.Subscription(t.Context(), ana.ID, c.ID, store.ChannelEmail); err != nil || sub.Status != store.SubSuppressed {
		t.Errorf("a bounce of Ana@Example.ORG left ana@example.org's subscription %+v, %v", sub, err)
	}
}

func TestCampaignFreeText(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		body       string
		wantStatus int
		wantField  string
		wantFooter string
	}{
		{"NUL in the name", "POST", `{"slug": "a1", "name": "Free\u0000Assange"}`, 422, "name", ""},
		{"Latin-1 name", "POST", "{\"slug\": \"a2\", \"name\": \"Libert\xe9\"}", 422, "name", ""},
		{"escape in the footer", "POST", `{"slug": "a3", "name": "A", "footer": "\u001b[2J"}`, 422, "footer", ""},
		{"line feed in the contact", "POST", `{"slug": "a4", "name": "A", "contact": "Text us\nat 555"}`, 422, "contact", ""},
		{"a postal address on lines", "POST", `{"slug": "a5", "name": "A", "footer": "1 Main St\r\nLondon"}`, 201, "", "1 Main St\nLondon"},
		{"bell in the name, by PATCH", "PATCH", `{"name": "A\u0007"}`, 422, "name", ""},
		{"C1 control in the footer, by PATCH", "PATCH", `{"footer": "x\u0085y"}`, 422, "footer", ""},
	}
	e := newEnv(t)
	e.seedCampaign("free-assange")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/v1/campaigns"
			if tt.method == "PATCH" {
				path += "/free-assange"
			}
			res := e.do(request{method: tt.method, path: path, key: e.org, body: tt.body})
			if res.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", res.status, tt.wantStatus, res.body)
			}
			if tt.wantStatus == 422 {
				if got := fields(e.problem(res)); !cmp.Equal(got, []string{tt.wantField}) {
					t.Errorf("fields in error %v, want %s", got, tt.wantField)
				}
				return
			}
			var c struct {
				Footer string `json:"footer"`
			}
			mustUnmarshal(t, res.body, &c)
			if c.Footer != tt.wantFooter {
				t.Errorf("footer %q, want %q", c.Footer, tt.wantFooter)
			}
		})
	}
}

func TestSupporterIdentity(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	path := "/v1/campaigns/free-assange/supporters"
	var first, again, intl supporterOut
	e.json("POST", path, map[string]any{"email": "Ana@Example.org", "confirmed": true}, 201, &first)
	e.json("POST", path, map[string]any{"email": "ana@EXAMPLE.ORG", "name": "Ana"}, 200, &again)
	if first.ID != again.ID || again.Email != "ana@example.org" {
		t.Errorf("the same address in two cases: %+v then %+v; want one supporter, ana@example.org", first, again)
	}
	e.json("POST", path, map[string]any{"phone": "+33 6 12 34 56 78", "country": "ca", "confirmed": true}, 201, &intl)
	if intl.Phone != "+33612345678" || intl.Country != "CA" || intl.Timezone != "Europe/Paris" {
		t.Errorf("a French mobile of a person in Canada: %+v; want it stored, country CA, zone Europe/Paris", intl)
	}
	tests := []struct{ name, body, field string }{
		{"Latin-1 consent text", "{\"phone\": \"+5511987654321\", \"consent\": {\"text\": \"J'accepte \xe0 tout\"}}", "consent.text"},
		{"Latin-1 name", "{\"email\": \"bo@example.org\", \"name\": \"Jos\xe9\"}", "name"},
		{"NUL in consent text", `{"phone": "+5511987654321", "consent": {"text": "yes\u0000"}}`, "consent.text"},
	}
	for _, tt := range tests {
		res := e.do(request{method: "POST", path: path, key: e.org, body: tt.body})
		if res.status != 422 || !cmp.Equal(fields(e.problem(res)), []string{tt.field}) {
			t.Errorf("%s: %d %s; want 422 naming %s", tt.name, res.status, res.body, tt.field)
		}
	}
}

func TestAlertDataNotUTF8(t *testing.T) {
	e := newEnv(t)
	e.seedCampaign("free-assange")
	body := strings.Replace(alertBody(t, nil), "Human chain", "Cha\xeene humaine", 1)
	res, _ := e.postAlert("free-assange", body, "")
	if res.status != 422 || !cmp.Equal(fields(e.problem(res)), []string{"data.title"}) {
		t.Errorf("an alert whose data is not UTF-8: %d %s; want 422 naming data.title", res.status, res.body)
	}
}

func TestImportStopsAtHugeRecord(t *testing.T) {
	e := newEnv(t)
	c := e.seedCampaign("free-assange")
	csv := "email,name\nana@example.org,Ana\nbo@example.org," + strings.Repeat("B", 100<<10) + "\ncy@example.org,Cy\n"
	res := e.do(request{method: "POST", path: "/v1/campaigns/free-assange/supporters/import", key: e.org,
		contentType: "text/csv", body: csv})
	var got struct {
		problemJSON
		Report importReport `json:"report"`
	}
	if res.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413; body %.300s", res.status, res.body)
	}
	mustUnmarshal(t, res.body, &got)
	if got.Type != "urn:muster:problem:body-too-large" || !strings.Contains(got.Detail, "line 3") ||
		got.Report.Created != 1 || len(got.Report.Errors) != 1 || got.Report.Errors[0].Line != 3 {
		t.Errorf("answer %+v; want the problem of line 3 with the report of Ana stored", got)
	}
	sups, _, err := e.st.ListSupporters(t.Context(), c.ID, store.SupporterFilter{}, store.Page{})
	if err != nil || len(sups) != 1 || sups[0].Email != "ana@example.org" {
		t.Errorf("stored %+v, %v; want Ana alone", sups, err)
	}
}
