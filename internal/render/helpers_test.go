package render

import (
	"testing"
	"testing/fstest"

	"github.com/muster-org/muster/templates"
)

// shipped returns a Renderer over the embedded templates.
func shipped(t testing.TB) *Renderer {
	t.Helper()
	r, err := New(templates.FS())
	if err != nil {
		t.Fatalf("New(templates.FS()): %v", err)
	}
	return r
}

// mustNew returns a Renderer over fsys or fails the test.
func mustNew(t testing.TB, fsys fstest.MapFS) *Renderer {
	t.Helper()
	r, err := New(fsys)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

func freeAssange() Campaign {
	return Campaign{Name: "Free Assange", Locale: "en", Timezone: "Europe/London"}
}

func ana(locale string) Person {
	return Person{Name: "Ana Souza", Locale: locale, Timezone: "America/Sao_Paulo"}
}

func oct8() Message {
	return Message{Template: "mobilization", Data: map[string]any{
		"title":     "Human chain around Parliament",
		"starts_at": "2022-10-08T13:00:00+01:00",
		"place":     "Parliament Square, London",
		"url":       "https://example.org/oct8",
	}}
}

// footed adds a postal footer to c.
func footed(c Campaign) Campaign {
	c.Footer = "Free Assange Coalition\n1 Example Street, London"
	return c
}

// subscribed gives p an unsubscribe link.
func subscribed(p Person) Person {
	p.UnsubscribeURL = "https://muster.example.org/unsubscribe/tok123"
	return p
}

// minimalFS is a small template tree: a layout in English and Spanish, "invite" in
// en and es with both channels, and "notice" in French with email only.
func minimalFS() fstest.MapFS {
	return fstest.MapFS{
		"layout/email.html": {Data: []byte(`<html lang="{{.Locale}}"><h1>{{.Campaign.Name}}</h1>{{template "html" .}}<p>{{template "joined" .}}{{with .UnsubscribeURL}} <a href="{{.}}">{{template "unsubscribe" $}}</a>{{end}}</p>{{with .Footer}}<p>{{nl2br .}}</p>{{end}}</html>`)},
		"layout/email.txt":  {Data: []byte("{{.Campaign.Name}}\n\n{{template \"text\" .}}\n\n{{template \"joined\" .}}\n{{with .UnsubscribeURL}}{{.}}{{end}}\n")},
		"layout/en.tmpl":    {Data: []byte(`{{define "friend"}}friend{{end}}{{define "joined"}}Joined {{.Campaign.Name}}.{{end}}{{define "unsubscribe"}}Unsubscribe{{end}}`)},
		"layout/es.tmpl":    {Data: []byte(`{{define "friend"}}compa{{end}}{{define "joined"}}Te sumaste a {{.Campaign.Name}}.{{end}}{{define "unsubscribe"}}Darte de baja{{end}}`)},
		"invite/en.tmpl":    {Data: []byte(`{{define "subject"}}Come: {{.Data.title}}{{end}}{{define "html"}}<p>Hi {{.Person.FirstName}}</p>{{end}}{{define "text"}}Hi {{.Person.FirstName}}{{end}}{{define "sms"}}{{.Data.title}} {{when $ "at"}}{{end}}`)},
		"invite/es.tmpl":    {Data: []byte(`{{define "subject"}}Ven: {{.Data.title}}{{end}}{{define "html"}}<p>Hola {{.Person.FirstName}}</p>{{end}}{{define "text"}}Hola {{.Person.FirstName}}{{end}}{{define "sms"}}{{.Data.title}}{{end}}`)},
		"notice/fr.tmpl":    {Data: []byte(`{{define "subject"}}Avis{{end}}{{define "html"}}<p>Bonjour</p>{{end}}{{define "text"}}Bonjour{{end}}`)},
	}
}

// with returns a copy of fsys with files set (or removed, for nil data).
func with(fsys fstest.MapFS, files map[string]string) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range fsys {
		out[k] = v
	}
	for k, v := range files {
		if v == "" {
			delete(out, k)
			continue
		}
		out[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return out
}
