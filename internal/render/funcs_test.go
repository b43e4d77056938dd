package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWhen renders a moment in the supporter's zone and language: in full in
// emails, short and in GSM-7 in text messages.
func TestWhen(t *testing.T) {
	r := shipped(t)
	const oct8 = "2022-10-08T13:00:00+01:00" // 13:00 in London
	tests := []struct {
		name             string
		value            any
		locale           string
		person, campaign string
		email, sms       string
	}{
		{"Sao Paulo", oct8, "pt-BR", "America/Sao_Paulo", "Europe/London",
			"sábado, 8 de outubro, 09:00 (UTC-03:00, Sao Paulo)", "8/10, 09:00 (UTC-3)"},
		{"Sydney, the other season", oct8, "en-AU", "Australia/Sydney", "Europe/London",
			"Saturday, 8 October, 11:00 pm (Australian Eastern Daylight Time)", "8/10, 11:00 pm (AEDT)"},
		{"Kolkata, half an hour", oct8, "en-IN", "Asia/Kolkata", "",
			"Saturday, 8 October, 5:30 pm (India Standard Time)", "8/10, 5:30 pm (IST)"},
		{"St John's, half an hour behind", oct8, "en-CA", "America/St_Johns", "",
			"Saturday, October 8, 9:30 a.m. (NDT)", "10-8, 9:30 a.m. (NDT)"},
		{"Auckland crosses midnight", oct8, "en-NZ", "Pacific/Auckland", "",
			"Sunday, 9 October, 1:00 am (New Zealand Daylight Time)", "9/10, 1:00 am (NZDT)"},
		{"12-hour clock in the US", "2022-10-08T12:00:00Z", "en-US", "America/New_York", "",
			"Saturday, October 8, 8:00 am (Eastern Daylight Time)", "10/8, 8:00 am (EDT)"},
		{"London after the clocks go back", "2022-10-30T12:00:00Z", "en-GB", "Europe/London", "",
			"Sunday, 30 October, 12:00 (Greenwich Mean Time)", "30/10, 12:00 (GMT)"},
		{"campaign zone when person has none", oct8, "es", "", "Europe/Madrid",
			"sábado, 8 de octubre, 14:00 (CEST)", "8/10, 14:00 (CEST)"},
		{"campaign zone when person's is junk", oct8, "fr", "Mars/Olympus", "Europe/Paris",
			"samedi 8 octobre, 14:00 (CEST)", "8/10, 14:00 (CEST)"},
		{"server zone is never used", oct8, "en-GB", "Local", "", "Saturday, 8 October, 12:00 (UTC)", "8/10, 12:00 (UTC)"},
		{"a language without a variant writes the variant's", oct8, "de-DE", "Europe/Berlin", "",
			"Saturday, October 8, 2:00 pm (CEST)", "10/8, 2:00 pm (CEST)"},
		{"not a time is shown as given", "next Saturday, noon", "en", "America/Sao_Paulo", "", "next Saturday, noon", "next Saturday, noon"},
		{"date only is shown as given", "2022-10-08", "en", "", "", "2022-10-08", "2022-10-08"},
		{"a number", 42, "en", "America/Sao_Paulo", "", "42", "42"},
		{"nil", nil, "en", "America/Sao_Paulo", "", "", ""},
	}
	content := map[string]Content{}
	for _, l := range []string{"en", "es", "pt", "fr"} {
		content[l] = Content{Subject: "[{{when.t}}]", Body: "b", SMS: "[{{when.t}}]"}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Message{Content: content, Data: map[string]any{"t": tt.value}}
			c, p := Campaign{Locale: "en", Timezone: tt.campaign}, Person{Locale: tt.locale, Timezone: tt.person}
			e, err := r.Email(m, c, p)
			if err != nil {
				t.Fatal(err)
			}
			s, err := r.SMS(m, c, p)
			if err != nil {
				t.Fatal(err)
			}
			got := [2]string{e.Subject, s.Body}
			if diff := cmp.Diff([2]string{"[" + tt.email + "]", "[" + tt.sms + "]"}, got); diff != "" {
				t.Errorf("email, SMS (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWhenInTemplates(t *testing.T) {
	r := mustNew(t, minimalFS())
	m := Message{Template: "invite", Data: map[string]any{"title": "Chain", "at": "2022-10-08T13:00:00+01:00"}}
	tests := []struct{ zone, want string }{
		{"America/Sao_Paulo", "Chain 10/8, 9:00 am (UTC-3)"},
		{"Australia/Sydney", "Chain 10/8, 11:00 pm (AEDT)"},
	}
	for _, tt := range tests {
		s, err := r.SMS(m, Campaign{}, Person{Timezone: tt.zone})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, s.Body); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.zone, diff)
		}
	}
}
