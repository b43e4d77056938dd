package render

import (
	"strings"
	"testing"
)

func TestNewRejectsBrokenTemplates(t *testing.T) {
	const email = `{{define "subject"}}S{{end}}{{define "html"}}<p>H</p>{{end}}{{define "text"}}T{{end}}`
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{"syntax error", map[string]string{"invite/en.tmpl": `{{define "sms"}}{{.Data.title{{end}}`}, []string{"invite/en.tmpl"}},
		{"unclosed define", map[string]string{"invite/en.tmpl": `{{define "sms"}}x`}, []string{"invite/en.tmpl"}},
		{"missing block", map[string]string{"invite/es.tmpl": `{{define "subject"}}S{{end}}{{define "html"}}H{{end}}{{define "sms"}}x{{end}}`}, []string{"invite/es.tmpl", `"text"`}},
		{"empty block counts as missing", map[string]string{"invite/es.tmpl": `{{define "subject"}}S{{end}}{{define "html"}}H{{end}}{{define "text"}}  {{end}}{{define "sms"}}x{{end}}`}, []string{"invite/es.tmpl", `"text"`}},
		{"channel in one locale only", map[string]string{"invite/es.tmpl": email}, []string{"invite/es.tmpl", "sms"}},
		{"no channel", map[string]string{"invite/es.tmpl": `{{define "subject"}}S{{end}}`}, []string{"invite/es.tmpl"}},
		{"unknown function", map[string]string{"invite/en.tmpl": email + `{{define "sms"}}{{shout .Data.title}}{{end}}`}, []string{"invite/en.tmpl", "shout"}},
		{"html-only function in subject is fine, unknown one is not", map[string]string{"notice/fr.tmpl": `{{define "subject"}}{{upper "x"}}{{end}}{{define "html"}}H{{end}}{{define "text"}}T{{end}}`}, []string{"notice/fr.tmpl", "upper"}},
		{"unknown field", map[string]string{"invite/en.tmpl": email + `{{define "sms"}}{{.Person.Nmae}}{{end}}`}, []string{"invite/en.tmpl", "Nmae"}},
		{"unknown field in an optional branch", map[string]string{"invite/en.tmpl": email + `{{define "sms"}}{{with .Data.x}}{{$.Campaign.Slug}}{{end}}{{end}}`}, []string{"invite/en.tmpl", "Slug"}},
		{"unknown field when data is absent", map[string]string{"invite/en.tmpl": email + `{{define "sms"}}{{if not .Data.x}}{{.Nope}}{{end}}{{end}}`}, []string{"invite/en.tmpl", "Nope"}},
		{"when on the wrong dot", map[string]string{"invite/en.tmpl": email + `{{define "sms"}}{{with .Data.at}}{{when . "at"}}{{end}}{{end}}`}, []string{"invite/en.tmpl", "wrong type"}},
		{"HTML escaping problem", map[string]string{"notice/fr.tmpl": `{{define "subject"}}S{{end}}{{define "html"}}{{if .Data.x}}<a href="{{end}}x{{end}}{{define "text"}}T{{end}}`}, []string{"notice/fr.tmpl"}},
		{"unknown block", map[string]string{"notice/fr.tmpl": email + `{{define "joined"}}hijack{{end}}`}, []string{"notice/fr.tmpl", `"joined"`}},
		{"text outside blocks", map[string]string{"notice/fr.tmpl": "Hello " + email}, []string{"notice/fr.tmpl", "outside"}},
		{"file name not a locale", map[string]string{"notice/english.tmpl": email}, []string{"notice/english.tmpl", "locale"}},
		{"duplicate locale", map[string]string{"notice/FR.tmpl": email}, []string{"notice/fr.tmpl", "already"}},
		{"stray file", map[string]string{"notice/README.md": "hi"}, []string{"notice/README.md"}},
		{"bad sample", map[string]string{"notice/sample.json": `{"title": `}, []string{"notice/sample.json"}},
		{"structured data without a sample", map[string]string{"notice/fr.tmpl": email + `{{define "sms"}}{{range .Data.list}}{{.}}{{end}}{{end}}`}, []string{"notice/fr.tmpl", "range"}},
		{"sample shape the template cannot take", map[string]string{"notice/sample.json": `{"venue": "Hall"}`, "notice/fr.tmpl": `{{define "subject"}}{{.Data.venue.name}}{{end}}{{define "html"}}H{{end}}{{define "text"}}T{{end}}`}, []string{"notice/fr.tmpl", "name"}},
		{"bad template name", map[string]string{"Big Name/en.tmpl": email}, []string{"Big Name"}},
		{"layout without English", map[string]string{"layout/en.tmpl": ""}, []string{"layout/en.tmpl"}},
		{"layout words missing a block", map[string]string{"layout/es.tmpl": `{{define "friend"}}compa{{end}}{{define "joined"}}x{{end}}`}, []string{"layout/es.tmpl", `"unsubscribe"`}},
		{"layout frame missing", map[string]string{"layout/email.txt": ""}, []string{"layout/email.txt"}},
		{"layout frame unknown field", map[string]string{"layout/email.html": `{{.Campaign.Slug}}{{template "html" .}}`}, []string{"Slug"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(with(minimalFS(), tt.files))
			if err == nil {
				t.Fatal("New succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestNewAcceptsMinimalTree(t *testing.T) {
	r := mustNew(t, minimalFS())
	if !r.Has("invite") || !r.Has("notice") || r.Has("layout") || r.Has("nope") {
		t.Errorf("Has: invite %v, notice %v, layout %v, nope %v", r.Has("invite"), r.Has("notice"), r.Has("layout"), r.Has("nope"))
	}
}
