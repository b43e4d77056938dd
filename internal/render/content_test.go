package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHostileContentStaysInert(t *testing.T) {
	r := shipped(t)
	tests := []struct {
		name       string
		body       string
		data       map[string]any
		htmlHas    []string
		htmlHasNot []string
		textHas    []string
		textHasNot []string
	}{
		{name: "template dot", body: "Hi {{.}} and {{ .Person.FirstName }}",
			htmlHas: []string{"Hi {{.}} and {{ .Person.FirstName }}"}, textHas: []string{"Hi {{.}} and {{ .Person.FirstName }}"}, htmlHasNot: []string{"Ana"}},
		{name: "template action", body: `{{template "x"}} {{define "y"}}z{{end}} {{printf "%s" "p"}}`,
			htmlHas: []string{`{{template &quot;x&quot;}} {{define &quot;y&quot;}}z{{end}} {{printf &quot;%s&quot; &quot;p&quot;}}`}},
		{name: "unknown placeholders", body: "{{data}} {{data.}} {{data.a b}} {{name}} {{FIRST_NAME}}",
			htmlHas: []string{"{{data}} {{data.}} {{data.a b}} {{name}} {{FIRST_NAME}}"}},
		{name: "script block", body: "<script>alert(1)</script>",
			htmlHas: []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, htmlHasNot: []string{"<script"}},
		{name: "inline raw HTML", body: `Hi <img src=x onerror="alert(1)"> <b>there</b>`,
			htmlHas: []string{"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;", "&lt;b&gt;there&lt;/b&gt;"}, htmlHasNot: []string{"<img", "<b>"}},
		{name: "javascript link", body: "[x](javascript:alert(1))",
			htmlHas: []string{"<p>x</p>"}, htmlHasNot: []string{"<a", "javascript"}, textHas: []string{"x"}, textHasNot: []string{"javascript"}},
		{name: "javascript link, mixed case and entity", body: "[x](JaVaScRiPt:alert(1)) [y](&#106;avascript:alert(1))",
			htmlHasNot: []string{"<a"}},
		{name: "javascript autolink", body: "<javascript:alert(1)>",
			htmlHas: []string{"javascript:alert(1)"}, htmlHasNot: []string{"<a"}},
		{name: "reference link", body: "[x][r]\n\n[r]: vbscript:msgbox",
			htmlHasNot: []string{"<a"}},
		{name: "data URL image", body: "![pic](data:text/html;base64,PHNjcmlwdD4=)",
			htmlHas: []string{"pic"}, htmlHasNot: []string{"<img"}},
		{name: "safe link kept", body: "[RSVP](https://example.org/rsvp) and <mailto:a@example.org>",
			htmlHas: []string{`<a href="https://example.org/rsvp">RSVP</a>`, `<a href="mailto:a@example.org">`}, textHas: []string{"RSVP (https://example.org/rsvp)"}},
		{name: "HTML in data is escaped", body: "Hello {{data.name}}!", data: map[string]any{"name": `<b>Bo</b> & "Co"`},
			htmlHas: []string{"Hello &lt;b&gt;Bo&lt;/b&gt; &amp; &#34;Co&#34;!"}, htmlHasNot: []string{"<b>"}, textHas: []string{`Hello <b>Bo</b> & "Co"!`}},
		{name: "Markdown in data is not read", body: "{{data.x}}", data: map[string]any{"x": "**bold** [a](https://evil.example) # h"},
			htmlHas: []string{"**bold** [a](https://evil.example) # h"}, htmlHasNot: []string{"<strong>", "<a", "<h1>"}},
		{name: "placeholders in data are not expanded", body: "{{data.x}}", data: map[string]any{"x": "{{first_name}} {{data.x}}"},
			htmlHas: []string{"{{first_name}} {{data.x}}"}, htmlHasNot: []string{"Ana"}, textHas: []string{"{{first_name}} {{data.x}}"}},
		{name: "javascript URL from data", body: "[go]({{data.url}})", data: map[string]any{"url": "javascript:alert(1)"},
			htmlHas: []string{`<a href="">go</a>`}, htmlHasNot: []string{"javascript"}},
		{name: "quote from data cannot leave href", body: "[go](https://example.org/?q={{data.q}})", data: map[string]any{"q": `" onmouseover="alert(1)`},
			htmlHasNot: []string{`" onmouseover`}, htmlHas: []string{`href="https://example.org/?q=%22%20onmouseover=%22alert(1)"`}},
		{name: "data URL kept", body: "[go]({{data.url}})", data: map[string]any{"url": "https://example.org/a b?c=1&d=2"},
			htmlHas: []string{`<a href="https://example.org/a%20b?c=1&amp;d=2">go</a>`}, textHas: []string{"go (https://example.org/a b?c=1&d=2)"}},
		{name: "placeholder in code", body: "`{{data.x}}`", data: map[string]any{"x": "<i>"},
			htmlHas: []string{"<code>&lt;i&gt;</code>"}},
		{name: "placeholders", body: "Hi {{first_name}}, {{ campaign }} needs you {{when.at}}. {{data.missing}}|", data: map[string]any{"at": "2022-10-08T13:00:00+01:00"},
			htmlHas: []string{"Hi Ana, Free Assange needs you Saturday, October 8, 9:00 am (UTC-03:00, Sao Paulo). |"}, textHas: []string{"Hi Ana, Free Assange needs you Saturday, October 8, 9:00 am (UTC-03:00, Sao Paulo). |"}},
		{name: "token look-alike in source", body: "zQph0x {{first_name}}",
			htmlHas: []string{"zQph0x Ana"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Message{Content: map[string]Content{"en": {Subject: "S", Body: tt.body}}, Data: tt.data}
			e, err := r.Email(m, freeAssange(), ana("en"))
			if err != nil {
				t.Fatal(err)
			}
			check := func(part, got string, has, hasNot []string) {
				for _, s := range has {
					if !strings.Contains(got, s) {
						t.Errorf("%s lacks %q:\n%s", part, s, got)
					}
				}
				for _, s := range hasNot {
					if strings.Contains(got, s) {
						t.Errorf("%s has %q:\n%s", part, s, got)
					}
				}
			}
			check("html", inner(e.HTML), tt.htmlHas, tt.htmlHasNot)
			check("text", e.Text, tt.textHas, tt.textHasNot)
		})
	}
}

// inner cuts the content out of the shipped HTML frame.
func inner(html string) string {
	_, after, _ := strings.Cut(html, `border-radius:8px;">`)
	before, _, _ := strings.Cut(after, "</div>")
	return strings.TrimSpace(before)
}

func TestContentSubjectAndSMS(t *testing.T) {
	r := shipped(t)
	m := Message{
		Content: map[string]Content{"en": {
			Subject: "{{first_name}}: {{data.title}} {{.}}",
			Body:    "b",
			SMS:     "  {{campaign}}: {{data.title}} <b>{{when.at}}</b> {{data.n}}  ",
		}},
		Data: map[string]any{"title": "Chain\r\nBcc: evil@example.org", "at": "2022-10-08T13:00:00+01:00", "n": 42},
	}
	e, err := r.Email(m, freeAssange(), Person{Name: "  Ana Maria Souza ", Timezone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.SMS(m, freeAssange(), Person{Timezone: "Australia/Sydney"})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{e.Subject, s.Body}
	want := []string{
		"Ana: Chain Bcc: evil@example.org {{.}}",
		"Free Assange: Chain\r\nBcc: evil@example.org <b>10/8, 11:00 pm (AEDT)</b> 42",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subject, sms (-want +got):\n%s", diff)
	}
}

func TestContentIsCompiledOnce(t *testing.T) {
	r := shipped(t)
	m := Message{Content: map[string]Content{"en": {Subject: "S", Body: "Hi **{{first_name}}**"}}}
	for _, name := range []string{"Ana", "Bo"} {
		e, err := r.Email(m, freeAssange(), Person{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff("<p>Hi <strong>"+name+"</strong></p>", inner(e.HTML)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
	if n := len(r.bodies.m); n != 1 {
		t.Errorf("%d compiled bodies cached, want 1", n)
	}
}
