package render

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplateLocaleFallback(t *testing.T) {
	r := shipped(t)
	tests := []struct {
		name             string
		person, campaign string
		want             string
	}{
		{"region falls to language", "es-AR", "en", "es"},
		{"Brazilian Portuguese", "pt-BR", "en", "pt"},
		{"European Portuguese", "pt-PT", "fr", "pt"},
		{"Canadian French", "fr-CA", "en", "fr"},
		{"unknown language takes the campaign's", "de", "fr", "fr"},
		{"campaign's unknown too takes English", "de", "de", "en"},
		{"no locale takes the campaign's", "", "es", "es"},
		{"garbage takes the campaign's", "not a locale", "pt", "pt"},
		{"campaign region matches", "de", "es-MX", "es"},
		{"exact", "fr", "es", "fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Campaign{Name: "C", Locale: tt.campaign}
			p := Person{Name: "Ana", Locale: tt.person}
			e, err := r.Email(oct8(), c, p)
			if err != nil {
				t.Fatal(err)
			}
			s, err := r.SMS(oct8(), c, p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{tt.want, tt.want}, []string{e.Locale, s.Locale}); diff != "" {
				t.Errorf("email, sms locale (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContentLocaleFallback(t *testing.T) {
	r := shipped(t)
	content := func(locales ...string) map[string]Content {
		m := map[string]Content{}
		for _, l := range locales {
			m[l] = Content{Subject: "s " + l, Body: "b " + l, SMS: "sms " + l}
		}
		return m
	}
	tests := []struct {
		name             string
		content          map[string]Content
		person, campaign string
		want             string
		wantErr          error
	}{
		{"region falls to language", content("en", "es"), "es-AR", "en", "es", nil},
		{"Brazilian key for Portuguese person", content("en", "pt-BR"), "pt", "en", "pt-BR", nil},
		{"campaign locale", content("en", "fr"), "de", "fr", "fr", nil},
		{"English last", content("en", "es"), "de", "de", "en", nil},
		{"nothing reachable", content("es"), "de", "de", "", ErrNoVariant},
		{"bad keys ignored", content("es", "not a locale"), "es", "en", "es", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Message{Content: tt.content}
			c := Campaign{Name: "C", Locale: tt.campaign}
			p := Person{Name: "Ana", Locale: tt.person}
			e, err := r.Email(m, c, p)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Email error = %v, want %v", err, tt.wantErr)
			}
			s, err := r.SMS(m, c, p)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("SMS error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			got := []string{e.Locale, e.Subject, s.Locale, s.Body}
			want := []string{tt.want, "s " + tt.want, tt.want, "sms " + tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestLayoutFollowsVariantLocale(t *testing.T) {
	// "notice" is French only and the layout has no French: the frame is English.
	r := mustNew(t, minimalFS())
	e, err := r.Email(Message{Template: "notice"}, Campaign{Name: "C", Locale: "fr"}, Person{Locale: "es"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("C\n\nBonjour\n\nJoined C.", e.Text); diff != "" {
		t.Errorf("text (-want +got):\n%s", diff)
	}
}
