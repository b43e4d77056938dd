package render

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheck(t *testing.T) {
	r := mustNew(t, minimalFS())
	full := Content{Subject: "s", Body: "b", SMS: "m"}
	both := []string{ChannelEmail, ChannelSMS}
	tests := []struct {
		name     string
		m        Message
		channels []string
		locales  []string
		campaign string
		want     *FieldError // nil: valid
	}{
		{"template ok", Message{Template: "invite"}, both, nil, "en", nil},
		{"template, targeted region", Message{Template: "invite"}, both, []string{"es-AR", "pt"}, "en", nil},
		{"unknown template", Message{Template: "nope"}, both, nil, "en",
			&FieldError{"template", `unknown template "nope"`}},
		{"template and content", Message{Template: "invite", Content: map[string]Content{"en": full}}, both, nil, "en",
			&FieldError{"template", "give a template or content, not both"}},
		{"neither", Message{}, both, nil, "en",
			&FieldError{"template", "give a template or content"}},
		{"template lacks channel", Message{Template: "notice"}, both, nil, "fr",
			&FieldError{"channels", `template "notice" has no sms channel`}},
		{"no channels", Message{Template: "invite"}, nil, nil, "en",
			&FieldError{"channels", "name at least one channel"}},
		{"unknown channel", Message{Template: "invite"}, []string{"email", "fax"}, nil, "en",
			&FieldError{"channels", `unknown channel "fax" (want email or sms)`}},
		{"template without campaign locale nor en", Message{Template: "notice"}, []string{"email"}, nil, "de",
			&FieldError{"template", `template "notice" has no variant for the campaign locale "de" nor en (it has fr)`}},
		{"targeted locale without fallback", Message{Template: "notice"}, []string{"email"}, []string{"fr", "de"}, "de",
			&FieldError{"audience.locales", `template "notice" has no variant for "de", the campaign locale "de" nor en (it has fr)`}},
		{"targeted locale saved by campaign locale", Message{Template: "notice"}, []string{"email"}, []string{"de"}, "fr-CA", nil},
		{"targeted locale not BCP 47", Message{Template: "invite"}, both, []string{"!!"}, "en",
			&FieldError{"audience.locales", `"!!" is not a BCP 47 locale`}},
		{"content ok", Message{Content: map[string]Content{"en": full, "es": full}}, both, []string{"es"}, "en", nil},
		{"content email only needs no sms", Message{Content: map[string]Content{"en": {Subject: "s", Body: "b"}}}, []string{"email"}, nil, "en", nil},
		{"content lacks sms", Message{Content: map[string]Content{"en": full, "es": {Subject: "s", Body: "b"}}}, both, nil, "en",
			&FieldError{"content", "content.es lacks sms"}},
		{"content lacks subject and body", Message{Content: map[string]Content{"en": {Subject: " ", SMS: "m"}}}, both, nil, "en",
			&FieldError{"content", "content.en lacks subject and body"}},
		{"content key not BCP 47", Message{Content: map[string]Content{"en": full, "english": full}}, both, nil, "en",
			&FieldError{"content", `"english" is not a BCP 47 locale`}},
		{"content without campaign locale nor en", Message{Content: map[string]Content{"es": full}}, both, nil, "de",
			&FieldError{"content", `content has no variant for the campaign locale "de" nor en (it has es)`}},
		{"content, targeted locale falls to en", Message{Content: map[string]Content{"en": full}}, both, []string{"de"}, "fr", nil},
		{"content, targeted locale saved by campaign locale", Message{Content: map[string]Content{"es": full}}, both, []string{"de"}, "es", nil},
		{"content, targeted locale unreachable", Message{Content: map[string]Content{"es": full}}, both, []string{"es", "de"}, "de",
			&FieldError{"audience.locales", `content has no variant for "de", the campaign locale "de" nor en (it has es)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.Check(tt.m, tt.channels, tt.locales, tt.campaign)
			var got *FieldError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckData refuses, at enqueue time, data a shipped template cannot use,
// and takes what it can.
func TestCheckData(t *testing.T) {
	r := shipped(t)
	both := []string{ChannelEmail, ChannelSMS}
	kit := map[string]any{"title": "Storm", "starts_at": "2026-10-08T12:00:00Z", "post": "Free him", "url": "https://example.org"}
	good, bad := map[string]any{}, map[string]any{}
	for k, v := range kit {
		good[k], bad[k] = v, v
	}
	good["hashtags"] = []any{"FreeAssange"}
	bad["hashtags"] = "FreeAssange"
	if err := r.Check(Message{Template: "online-action", Data: good}, both, nil, "en"); err != nil {
		t.Errorf("Check with a list of hashtags: %v", err)
	}
	err := r.Check(Message{Template: "online-action", Data: bad}, both, nil, "en")
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "data" {
		t.Errorf("Check with a string of hashtags = %v, want a data error", err)
	}
}
