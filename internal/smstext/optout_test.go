package smstext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestOptOut(t *testing.T) {
	tests := []struct {
		locale string
		want   string
	}{
		{"en", "Reply STOP to opt out"},
		{"es-AR", "Responde STOP para darte de baja"},
		{"es_MX", "Responde STOP para darte de baja"},
		{"es-ZZ", "Responde STOP para darte de baja"},
		{"pt-BR", "Responda STOP para cancelar"},
		{"und-BR", "Responda STOP para cancelar"},
		{"fr-CA", "Répondez STOP pour vous désabonner"},
		{"de", "Reply STOP to opt out"},
		{"", "Reply STOP to opt out"},
		{"not a locale", "Reply STOP to opt out"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, OptOut(tt.locale)); diff != "" {
				t.Errorf("OptOut(%q) (-want +got):\n%s", tt.locale, diff)
			}
		})
	}
}

// TestOptOutLines checks that no line costs UCS-2 or much room, and that each
// names the keyword Twilio acts on.
func TestOptOutLines(t *testing.T) {
	for _, locale := range []string{"en", "es", "pt", "fr"} {
		line := OptOut(locale)
		if got := Analyze(line).Encoding; got != GSM7 {
			t.Errorf("OptOut(%q) = %q is %s", locale, line, got)
		}
		if n := utf8.RuneCountInString(line); n >= 40 {
			t.Errorf("OptOut(%q) = %q has %d characters, want fewer than 40", locale, line, n)
		}
		if !strings.Contains(line, "STOP") {
			t.Errorf("OptOut(%q) = %q does not name STOP", locale, line)
		}
	}
}

func TestWithOptOut(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		locale string
		want   string
	}{
		{"appends", "Rally at 5", "en", "Rally at 5\nReply STOP to opt out"},
		{"in the locale", "Marcha a las 5", "es-AR", "Marcha a las 5\nResponde STOP para darte de baja"},
		{"already there", "Rally at 5\nReply STOP to opt out", "en", "Rally at 5\nReply STOP to opt out"},
		{"trailing white space", "Rally at 5 \n", "en", "Rally at 5\nReply STOP to opt out"},
		{"other language's line", "Rally\nReply STOP to opt out", "es", "Rally\nReply STOP to opt out\nResponde STOP para darte de baja"},
		{"same words mid-line", "Rally. Reply STOP to opt out", "en", "Rally. Reply STOP to opt out\nReply STOP to opt out"},
		{"empty", "", "en", "Reply STOP to opt out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := WithOptOut(tt.body, tt.locale)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("WithOptOut (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(got, WithOptOut(got, tt.locale)); diff != "" {
				t.Errorf("WithOptOut twice (-once +twice):\n%s", diff)
			}
		})
	}
}
