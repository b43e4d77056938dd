package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWhen(t *testing.T) {
	r := shipped(t)
	tests := []struct {
		name             string
		value            any
		person, campaign string
		want             string
	}{
		{"Sao Paulo", "2022-10-08T13:00:00+01:00", "America/Sao_Paulo", "Europe/London", "Sat 8 Oct 2022, 09:00 (America/Sao_Paulo)"},
		{"Sydney, next day's hour", "2022-10-08T13:00:00+01:00", "Australia/Sydney", "Europe/London", "Sat 8 Oct 2022, 23:00 (Australia/Sydney)"},
		{"Auckland crosses midnight", "2022-10-08T13:00:00+01:00", "Pacific/Auckland", "", "Sun 9 Oct 2022, 01:00 (Pacific/Auckland)"},
		{"campaign zone when person has none", "2022-10-08T13:00:00+01:00", "", "Europe/London", "Sat 8 Oct 2022, 13:00 (Europe/London)"},
		{"campaign zone when person's is junk", "2022-10-08T13:00:00+01:00", "Mars/Olympus", "Europe/Berlin", "Sat 8 Oct 2022, 14:00 (Europe/Berlin)"},
		{"server zone is never used", "2022-10-08T13:00:00+01:00", "Local", "", "Sat 8 Oct 2022, 12:00 (UTC)"},
		{"UTC when both are junk", "2022-10-08T13:00:00Z", "nope", "Nowhere/Else", "Sat 8 Oct 2022, 13:00 (UTC)"},
		{"Z input", "2022-10-08T12:00:00Z", "America/New_York", "", "Sat 8 Oct 2022, 08:00 (America/New_York)"},
		{"not a time is shown as given", "next Saturday, noon", "America/Sao_Paulo", "", "next Saturday, noon"},
		{"date only is shown as given", "2022-10-08", "America/Sao_Paulo", "", "2022-10-08"},
		{"a number", 42, "America/Sao_Paulo", "", "42"},
		{"nil", nil, "America/Sao_Paulo", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Message{Content: map[string]Content{"en": {SMS: "[{{when.t}}]"}}, Data: map[string]any{"t": tt.value}}
			s, err := r.SMS(m, Campaign{Timezone: tt.campaign}, Person{Timezone: tt.person})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff("["+tt.want+"]", s.Body); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestWhenInTemplates(t *testing.T) {
	r := mustNew(t, minimalFS())
	m := Message{Template: "invite", Data: map[string]any{"title": "Chain", "at": "2022-10-08T13:00:00+01:00"}}
	tests := []struct{ zone, want string }{
		{"America/Sao_Paulo", "Chain Sat 8 Oct 2022, 09:00 (America/Sao_Paulo)"},
		{"Australia/Sydney", "Chain Sat 8 Oct 2022, 23:00 (Australia/Sydney)"},
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
