package render

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// awkwardPeople returns n supporters drawn from pools of awkward names, locales,
// zones and links, with a fixed seed.
func awkwardPeople(n int) []Person {
	names := []string{
		"Ana Souza", "", "   ", "Bo", "<b>Bo</b> & co", `"Quoted" name`, "O'Neil", "José Ñandú", "Zoë",
		"🙂 Smile", "李 小龙", "Zoë\nNewline", "Ñ\r\nCRLF", "Tab\tName", "\u00a0Nbsp", "A+B=C`d",
		"\x00nul", "bad\xffutf8", "\xe2\x82", strings.Repeat("Ñandú", 3000), hostileName, benignName, nameMark + "x",
		"javascript:alert(1)", "https://evil.example", "{{.Person.FirstName}}", "{{first_name}}", "%3c&lt;\\u003c",
	}
	locales := []string{"en", "es-AR", "pt-BR", "fr", "fr-CA", "de", "", "!!"}
	zones := []string{"", "America/Sao_Paulo", "Australia/Sydney", "Pacific/Auckland", "Mars/Olympus", "Local", "UTC"}
	links := []string{
		"", "", "https://muster.example.org/unsubscribe/tok123?sig=a+b/c&exp=1", "http://x.example/u#top",
		"https://x.example/u,1", "https://x.example/a b", "https://x.example/'\"<>", "javascript:alert(1)",
		"mailto:stop@example.org", "/relative?x=1&y=2", hostileURL, benignURL,
	}
	rng := rand.New(rand.NewPCG(3, 5))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	out := make([]Person, n)
	for i := range out {
		out[i] = Person{Name: pick(names), Locale: pick(locales), Timezone: pick(zones), UnsubscribeURL: pick(links)}
	}
	return out
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// sameAsDirect renders p through pr and directly, and reports any difference.
func sameAsDirect(t *testing.T, r *Renderer, pr *Prepared, m Message, c Campaign, p Person) {
	t.Helper()
	type result struct {
		Email    Email
		EmailErr string
		SMS      SMS
		SMSErr   string
	}
	var want, got result
	var err error
	want.Email, err = r.Email(m, c, p)
	want.EmailErr = errText(err)
	want.SMS, err = r.SMS(m, c, p)
	want.SMSErr = errText(err)
	got.Email, err = pr.Email(p)
	got.EmailErr = errText(err)
	got.SMS, err = pr.SMS(p)
	got.SMSErr = errText(err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%+q: prepared differs from direct (-want +got):\n%s", p, diff)
	}
}

// namedShapes counts a Prepared's email shapes for named supporters that fill
// and that are rendered directly.
func namedShapes(pr *Prepared) (filled, direct int) {
	pr.mu.RLock()
	defer pr.mu.RUnlock()
	for k, sh := range pr.shapes {
		switch {
		case k.sms || !k.named:
		case sh.direct:
			direct++
		default:
			filled++
		}
	}
	return filled, direct
}

func TestPreparedMatchesDirect(t *testing.T) {
	r := shipped(t)
	details := oct8()
	details.Data["details"] = "Wear yellow & bring water.\nStewards wear <orange> vests."
	standIns := oct8()
	standIns.Data["title"] = hostileName + " " + benignName
	standIns.Data["place"] = hostileURL
	marked := oct8()
	marked.Data["place"] = nameMark
	content := Message{
		Content: map[string]Content{
			"en": {Subject: "{{first_name}}, see you {{when.starts_at}}", Body: "## Tomorrow\n\nHi **{{first_name}}**, meet us at {{data.place}}, {{when.starts_at}}.\n\n[RSVP]({{data.url}}) `{{first_name}}`", SMS: "{{first_name}}: “{{campaign}}” — {{when.starts_at}}…"},
			"pt": {Subject: "{{first_name}}, até {{when.starts_at}}", Body: "Olá, {{first_name}}! Em **{{data.place}}**.", SMS: "Olá {{first_name}}"},
			"es": {Subject: "Hola", Body: "Sin nombre"},
		},
		Data: oct8().Data,
	}
	nameInLink := Message{
		Content: map[string]Content{"en": {Subject: "S", Body: "[RSVP](https://example.org/rsvp?n={{first_name}}) {{first_name}}"}},
	}
	nameStartsLink := Message{
		Content: map[string]Content{"en": {Subject: "S", Body: "[RSVP]({{first_name}})"}},
	}
	odd := Campaign{Name: `A & B "<Coalition>" +1`, Locale: "es", Timezone: "Mars/Junk", Footer: "Line 1\nLine <2> & 3", OptOut: true}
	tests := []struct {
		name       string
		m          Message
		wantDirect bool // every email shape of named supporters rendered directly
	}{
		{"template", oct8(), false},
		{"template with details", details, false},
		{"template with stand-ins in its data", standIns, true},
		{"template with a mark in its data", marked, true},
		{"inline content", content, false},
		{"inline content, name in a link", nameInLink, true},
		{"inline content, name as a link", nameStartsLink, true},
	}
	people := awkwardPeople(250)
	for _, tt := range tests {
		for _, c := range []Campaign{footed(freeAssange()), odd} {
			t.Run(tt.name+"/"+c.Locale, func(t *testing.T) {
				pr, err := r.Prepare(tt.m, c)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range people {
					sameAsDirect(t, r, pr, tt.m, c, p)
				}
				filled, direct := namedShapes(pr)
				if tt.wantDirect && filled > 0 || !tt.wantDirect && direct > 0 || filled+direct == 0 {
					t.Errorf("%d named email shapes filled, %d direct; want all direct: %v", filled, direct, tt.wantDirect)
				}
			})
		}
	}
}

func TestPreparedFallsBackUnlessPlainlyPrinted(t *testing.T) {
	tests := []struct {
		name      string
		subject   string
		html      string
		text      string
		printOnly bool // the templates pass printsOnly
		fills     bool // the shapes fill rather than render directly
	}{
		{name: "HTML text", html: `<p>Hi {{.Person.FirstName}}</p>`, printOnly: true, fills: true},
		{name: "attribute", html: `<p title="{{.Person.FirstName}}" class='{{.Person.FirstName}}'>x</p>`, printOnly: true, fills: true},
		{name: "RCDATA", html: `<textarea>{{.Person.FirstName}}</textarea>`, printOnly: true, fills: true},
		{name: "comment", html: `<!-- {{.Person.FirstName}} -->x`, printOnly: true, fills: true},
		{name: "with and if", html: `{{with .Person.FirstName}}<b>{{.}}</b>{{end}}{{if .UnsubscribeURL}}linked{{end}}`, printOnly: true, fills: true},
		{name: "name in subject and text", subject: `{{.Person.FirstName}}, come`, text: `Hi {{.Person.FirstName}} <{{.UnsubscribeURL}}>`, printOnly: true, fills: true},
		{name: "link in href", html: `<a href="{{.UnsubscribeURL}}">x</a><a href="https://x.example/{{.UnsubscribeURL}}">y</a>`, printOnly: true, fills: true},
		{name: "link as text", html: `<p>{{.UnsubscribeURL}}</p>`, printOnly: true, fills: true},
		{name: "name in a URL query", html: `<a href="https://x.example/?n={{.Person.FirstName}}">x</a>`, printOnly: true},
		{name: "name as a URL", html: `<a href="{{.Person.FirstName}}">x</a>`, printOnly: true},
		{name: "name in a srcset", html: `<img srcset="{{.Person.FirstName}} 2x">`, printOnly: true},
		{name: "name in a script string", html: `<script>var n = "{{.Person.FirstName}}";</script>`, printOnly: true},
		{name: "name as a script value", html: `<script>var n = {{.Person.FirstName}};</script>`, printOnly: true},
		{name: "name in an event handler", html: `<a onclick="hi('{{.Person.FirstName}}')">x</a>`, printOnly: true},
		{name: "name in a style", html: `<p style="color: {{.Person.FirstName}}">x</p>`, printOnly: true},
		{name: "name in a style element", html: `<style>p::before { content: "{{.Person.FirstName}}" }</style>`, printOnly: true},
		{name: "name in an unquoted attribute", html: `<p title={{.Person.FirstName}}>x</p>`, printOnly: true},
		{name: "name as an attribute name", html: `<p data-{{.Person.FirstName}}="1">x</p>`, printOnly: true},
		{name: "link in a URL query", html: `<a href="https://x.example/?next={{.UnsubscribeURL}}">x</a>`, printOnly: true},
		{name: "link in a script", html: `<script>location = "{{.UnsubscribeURL}}";</script>`, printOnly: true},
		{name: "name compared", html: `{{if eq .Person.FirstName "Ana"}}Ana!{{end}}`},
		{name: "name sliced", html: `{{if .Person.FirstName}}{{slice .Person.FirstName 0 1}}.{{end}}`},
		{name: "name quoted in text", text: `{{printf "%q" .Person.FirstName}}`},
		{name: "name cut in subject", subject: `{{printf "%.3s" .Person.FirstName}}`},
		{name: "link measured", text: `{{len .UnsubscribeURL}}`},
	}
	people := []Person{
		{Name: "Ana Souza", UnsubscribeURL: "https://u.example/x?s=1&t=+"},
		{Name: "<Bo>&'\"+=`", UnsubscribeURL: "https://u.example/y"},
		{Name: "javascript:alert(1)", UnsubscribeURL: "https://u.example/z"},
		{Name: "expression(x)", UnsubscribeURL: "https://u.example/z"},
		{Name: "Zoë", UnsubscribeURL: "http://u.example/%41"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			or := func(s, def string) string {
				if s == "" {
					return def
				}
				return s
			}
			r := mustNew(t, with(minimalFS(), map[string]string{
				"invite/es.tmpl": "",
				"invite/en.tmpl": `{{define "subject"}}` + or(tt.subject, "S") + `{{end}}{{define "html"}}` + or(tt.html, "H") +
					`{{end}}{{define "text"}}` + or(tt.text, "T") + `{{end}}{{define "sms"}}{{.Data.title}}{{end}}`,
			}))
			if got := r.named["invite"].variants[0].emailPrintsOnly; got != tt.printOnly {
				t.Errorf("printsOnly = %v, want %v", got, tt.printOnly)
			}
			m, c := Message{Template: "invite", Data: map[string]any{"title": "T"}}, freeAssange()
			pr, err := r.Prepare(m, c)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range people {
				sameAsDirect(t, r, pr, m, c, p)
			}
			filled, direct := namedShapes(pr)
			if tt.fills && (filled != 1 || direct != 0) || !tt.fills && (filled != 0 || direct != 1) {
				t.Errorf("%d named email shapes filled, %d direct; want filled: %v", filled, direct, tt.fills)
			}
		})
	}
}

func TestPreparedErrors(t *testing.T) {
	r := mustNew(t, minimalFS())
	es := map[string]Content{"es": {Subject: "s", Body: "b"}}
	tests := []struct {
		name       string
		m          Message
		prepareErr error
	}{
		{"unknown template", Message{Template: "nope"}, ErrUnknownTemplate},
		{"neither", Message{}, ErrNoContent},
		{"both", Message{Template: "invite", Content: es}, ErrNoContent},
		{"template lacks sms and locale", Message{Template: "notice"}, nil},
		{"content lacks sms and locale", Message{Content: es}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Campaign{Locale: "de"}
			pr, err := r.Prepare(tt.m, c)
			if !errors.Is(err, tt.prepareErr) || (err == nil) != (tt.prepareErr == nil) {
				t.Fatalf("Prepare error = %v, want %v", err, tt.prepareErr)
			}
			if err != nil {
				return
			}
			for _, p := range []Person{{Locale: "de"}, {Locale: "fr", Name: "Ana"}, {Locale: "es", Name: "Bo"}} {
				sameAsDirect(t, r, pr, tt.m, c, p)
			}
		})
	}
}

func TestPreparedIsBounded(t *testing.T) {
	r := shipped(t)
	m, c := oct8(), footed(freeAssange())
	pr, err := r.Prepare(m, c)
	if err != nil {
		t.Fatal(err)
	}
	pr.limit = 2
	for _, zone := range []string{"Europe/Paris", "Asia/Tokyo", "America/Lima", "Africa/Lagos"} {
		sameAsDirect(t, r, pr, m, c, Person{Name: "Ana", Locale: "pt", Timezone: zone})
	}
	if n := len(pr.shapes); n != 2 {
		t.Errorf("%d shapes cached, want 2", n)
	}
}

func TestPreparedConcurrently(t *testing.T) {
	r := shipped(t)
	m, c := oct8(), footed(freeAssange())
	pr, err := r.Prepare(m, c)
	if err != nil {
		t.Fatal(err)
	}
	people := awkwardPeople(40)
	wantEmail := make([]Email, len(people))
	wantSMS := make([]SMS, len(people))
	for i, p := range people {
		wantEmail[i], _ = r.Email(m, c, p)
		wantSMS[i], _ = r.SMS(m, c, p)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			for j := range 3 * len(people) {
				i := (g*7 + j) % len(people)
				e, err1 := pr.Email(people[i])
				s, err2 := pr.SMS(people[i])
				if err := errors.Join(err1, err2); err != nil {
					errs <- err
					return
				}
				if e != wantEmail[i] || s != wantSMS[i] {
					errs <- fmt.Errorf("%+q rendered differently under load", people[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
