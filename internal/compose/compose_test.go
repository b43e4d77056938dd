package compose_test

import (
	"strings"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/compose"
	"github.com/muster-org/muster/internal/store"
)

func TestCalendar(t *testing.T) {
	c := store.Campaign{Name: "Free Assange", EmailFrom: "Free Assange <alerts@example.org>"}
	created := time.Date(2022, 10, 1, 9, 0, 0, 0, time.UTC)
	alert := func(data map[string]any) store.Alert {
		return store.Alert{ID: 12, Data: data, CreatedAt: created}
	}
	oct8 := map[string]any{"title": "Human chain", "starts_at": "2022-10-08T13:00:00+01:00",
		"place": "Parliament Square, London", "url": "https://example.org/oct8"}
	tests := []struct {
		name string
		data map[string]any
		want []string // lines the calendar has; none means no calendar
	}{
		{"an event", oct8, []string{"UID:muster.a12@example.org", "DTSTART:20221008T120000Z", "DTEND:20221008T140000Z",
			"SUMMARY:Human chain", "LOCATION:Parliament Square\\, London", "URL:https://example.org/oct8", "DTSTAMP:20221001T090000Z"}},
		{"with an end", with(oct8, "ends_at", "2022-10-08T15:30:00+01:00"), []string{"DTEND:20221008T143000Z"}},
		{"an end before the start is ignored", with(oct8, "ends_at", "2022-10-08T10:00:00+01:00"), []string{"DTEND:20221008T140000Z"}},
		{"no title: the campaign's name", with(oct8, "title", nil), []string{"SUMMARY:Free Assange"}},
		{"a bad link is left out", with(oct8, "url", "not a link"), []string{"SUMMARY:Human chain"}},
		{"no start time", map[string]any{"title": "Letters"}, nil},
		{"a start that is not RFC 3339", with(oct8, "starts_at", "Saturday"), nil},
		{"called off", with(oct8, "status", "cancelled"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := string(compose.Calendar(alert(tc.data), c, compose.Domain(c.EmailFrom)))
			if len(tc.want) == 0 {
				if got != "" {
					t.Fatalf("Calendar = %q, want none", got)
				}
				return
			}
			lines := strings.Split(got, "\r\n")
			for _, w := range tc.want {
				if !contains(lines, w) {
					t.Errorf("no line %q in:\n%s", w, got)
				}
			}
			if strings.Contains(got, "not a link") {
				t.Errorf("the bad link is in the calendar:\n%s", got)
			}
		})
	}
}

func TestDomain(t *testing.T) {
	for from, want := range map[string]string{
		"Free Assange <alerts@example.org>": "example.org",
		"alerts@mail.example.org":           "mail.example.org",
		"":                                  "muster.invalid",
		"nobody":                            "muster.invalid",
	} {
		if got := compose.Domain(from); got != want {
			t.Errorf("Domain(%q) = %q, want %q", from, got, want)
		}
	}
}

func TestCampaign(t *testing.T) {
	c := compose.Campaign(store.Campaign{Name: "N", Locale: "es", Timezone: "UTC", Footer: "F"})
	if !c.OptOut || c.Name != "N" || c.Locale != "es" || c.Footer != "F" {
		t.Errorf("Campaign = %+v, want the fields and the opt-out line", c)
	}
	if compose.Campaign(store.Campaign{SMSSkipOptOut: true}).OptOut {
		t.Error("a campaign that skips the opt-out line still has it")
	}
}

func with(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for key, val := range m {
		out[key] = val
	}
	if v == nil {
		delete(out, k)
	} else {
		out[k] = v
	}
	return out
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}
