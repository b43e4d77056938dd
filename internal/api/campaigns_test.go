package api_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// campaignOut is a campaign response as tests read it.
type campaignOut struct {
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	Timezone string `json:"timezone"`
	Email    struct {
		From    string `json:"from"`
		ReplyTo string `json:"reply_to"`
	} `json:"email"`
	SMS struct {
		From                string `json:"from"`
		MessagingServiceSID string `json:"messaging_service_sid"`
		OptOutLine          bool   `json:"opt_out_line"`
		ConfirmByReply      bool   `json:"confirm_by_reply"`
	} `json:"sms"`
	Footer     string    `json:"footer"`
	QuietHours string    `json:"quiet_hours"`
	Contact    string    `json:"contact"`
	SMSWarning string    `json:"sms_warning"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

type campaignList struct {
	Items      []campaignOut `json:"items"`
	NextCursor string        `json:"next_cursor"`
}

func TestCampaignLifecycle(t *testing.T) {
	e := newEnv(t)

	var created campaignOut
	res := e.json("POST", "/v1/campaigns", map[string]any{
		"slug": "free-assange", "name": " Free Assange ",
		"email": map[string]string{"from": "Free Assange <alerts@Example.org>", "reply_to": "team@example.org"},
		"sms":   map[string]string{"from": "+1 500 555 0006", "messaging_service_sid": "MG0123456789abcdef0123456789abcdef"},
	}, 201, &created)
	if got := res.header.Get("Location"); got != "/v1/campaigns/free-assange" {
		t.Errorf("Location = %q", got)
	}
	want := campaignOut{Slug: "free-assange", Name: "Free Assange", Locale: "en", Timezone: "UTC",
		CreatedAt: testNow, UpdatedAt: testNow}
	want.Email.From, want.Email.ReplyTo = "Free Assange <alerts@Example.org>", "team@example.org"
	want.SMS.From, want.SMS.MessagingServiceSID = "+15005550006", "MG0123456789abcdef0123456789abcdef"
	want.SMS.OptOutLine = true
	if diff := cmp.Diff(want, created); diff != "" {
		t.Errorf("created campaign mismatch (-want +got):\n%s", diff)
	}

	var got campaignOut
	e.json("GET", "/v1/campaigns/free-assange", nil, 200, &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET mismatch (-want +got):\n%s", diff)
	}

	// PATCH changes only what it names; "" clears an optional field.
	var patched campaignOut
	e.json("PATCH", "/v1/campaigns/free-assange", map[string]any{
		"locale": "pt_br", "timezone": "America/Sao_Paulo", "email": map[string]string{"reply_to": ""},
		"sms": map[string]any{"opt_out_line": false, "confirm_by_reply": true}, "footer": " Free Assange, 1 Road, London ",
		"quiet_hours": "22:00 - 7:30", "contact": " info@example.org ",
	}, 200, &patched)
	want.Locale, want.Timezone, want.Email.ReplyTo = "pt-BR", "America/Sao_Paulo", ""
	want.SMS.OptOutLine, want.Footer, want.QuietHours = false, "Free Assange, 1 Road, London", "22:00-07:30"
	want.Contact, want.SMS.ConfirmByReply = "info@example.org", true
	if diff := cmp.Diff(want, patched); diff != "" {
		t.Errorf("PATCH mismatch (-want +got):\n%s", diff)
	}
	e.json("GET", "/v1/campaigns/free-assange", nil, 200, &got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET after PATCH mismatch (-want +got):\n%s", diff)
	}
}

func TestCampaignList(t *testing.T) {
	e := newEnv(t)
	for _, slug := range []string{"aa", "bb", "cc"} {
		e.json("POST", "/v1/campaigns", map[string]string{"slug": slug, "name": slug}, 201, nil)
	}
	var slugs []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("pagination does not end")
		}
		var page campaignList
		e.json("GET", "/v1/campaigns?limit=2&cursor="+cursor, nil, 200, &page)
		for _, c := range page.Items {
			slugs = append(slugs, c.Slug)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if diff := cmp.Diff([]string{"aa", "bb", "cc"}, slugs); diff != "" {
		t.Errorf("listed slugs mismatch (-want +got):\n%s", diff)
	}
}

func TestEmptyListIsAnArray(t *testing.T) {
	e := newEnv(t)
	res := e.json("GET", "/v1/campaigns", nil, 200, nil)
	if got, want := string(res.body), `{"items":[],"next_cursor":""}`+"\n"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
}
