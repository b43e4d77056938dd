package render

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// execHTML executes an html/template for a string.
func execHTML(t *testing.T, tm *template.Template, v string) string {
	t.Helper()
	var b strings.Builder
	if err := tm.Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// awkward returns n strings of bytes that escapers care about, valid UTF-8 or not.
func awkward(n int, alphabet []string) []string {
	rng := rand.New(rand.NewPCG(7, 11))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		out[i] = b.String()
	}
	return out
}

func TestHTMLTemplateEscapeIsHTMLTemplates(t *testing.T) {
	alphabet := []string{"a", "Z", "0", " ", "\x00", "\"", "'", "&", "+", "<", ">", "=", "`", "\n", "é", "🙂", "\xff", "\xe2\x82", "\u2028", "&amp;", "%41"}
	values := append(awkward(500, alphabet), "", hostileName, hostileURL)
	for b := range 256 {
		values = append(values, string(rune(b)), string([]byte{byte(b)}))
	}
	contexts := []struct{ name, open, close string }{
		{"text", "<p>", "</p>"},
		{"double-quoted attribute", `<p title="`, `">`},
		{"single-quoted attribute", `<p title='`, `'>`},
		{"RCDATA", "<title>", "</title>"},
		{"textarea", "<textarea>", "</textarea>"},
	}
	for _, c := range contexts {
		t.Run(c.name, func(t *testing.T) {
			tm := template.Must(template.New("t").Parse(c.open + "{{.}}" + c.close))
			for _, v := range values {
				want := execHTML(t, tm, v)
				if got := c.open + htmlTemplateEscape(v) + c.close; got != want {
					t.Errorf("%q: got %q, html/template %q", v, got, want)
				}
			}
		})
	}
}

func TestPlainURL(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://muster.example.org/unsubscribe/tok123?sig=a+b/c&exp=1", true},
		{"http://x.example/a_b-c.d~e!$*;=@[]#frag", true},
		{"https://x.example/%41%7e", true},
		{"https://x.example/%4", false},
		{"https://x.example/%zz", false},
		{"https://x.example/a,b", false},
		{"https://x.example/a b", false},
		{"https://x.example/'", false},
		{"https://x.example/é", false},
		{"https://x.example/<", false},
		{"HTTPS://x.example/", false},
		{"mailto:a@example.org", false},
		{"javascript:alert(1)", false},
		{"/relative", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := plainURL(tt.url); got != tt.want {
			t.Errorf("plainURL(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

// TestPlainURLsOnlyGetHTMLEscaped is why a plain link may be filled in HTML-escaped
// wherever html/template puts it at or into the start of a URL.
func TestPlainURLsOnlyGetHTMLEscaped(t *testing.T) {
	alphabet := []string{"a", "Z", "9", "-", ".", "_", "~", "!", "#", "$", "&", "*", "+", "/", ":", ";", "=", "?", "@", "[", "]", "%41", "%", "%g0", ",", "'", " ", "<", "é"}
	var plain []string
	for _, s := range awkward(3000, alphabet) {
		for _, u := range []string{"https://" + s, "http://" + s} {
			if plainURL(u) {
				plain = append(plain, u)
			}
		}
	}
	plain = append(plain, hostileURL, benignURL)
	if len(plain) < 500 {
		t.Fatalf("only %d plain URLs to try", len(plain))
	}
	for _, src := range []string{`<a href="{{.}}">`, `<a href='{{.}}'>`, `<a href="https://x.example/{{.}}">`, `<img src="{{.}}">`, `<img srcset="{{.}}">`, `<img srcset="{{.}} 2x">`, `<p>{{.}}</p>`} {
		tm := template.Must(template.New("t").Parse(src))
		for _, u := range plain {
			want := execHTML(t, tm, u)
			if got := strings.Replace(src, "{{.}}", htmlTemplateEscape(u), 1); got != want {
				t.Errorf("%s with %q: got %q, html/template %q", src, u, got, want)
			}
		}
	}
}

func TestCutAt(t *testing.T) {
	html := []encoding{encHTML, encHTMLString}
	raw := []encoding{encRaw}
	nameHTML, urlHTML := htmlTemplateEscape(hostileName), htmlTemplateEscape(hostileURL)
	tests := []struct {
		name  string
		out   string
		encs  []encoding
		want  []string // literals and, between them, slot names
		wantK bool
	}{
		{"nothing", "<p>hi</p>", html, []string{"<p>hi</p>"}, true},
		{"HTML text and href", "<p>" + nameHTML + `</p><a href="` + urlHTML + `">`, html,
			[]string{"<p>", "name/html", `</p><a href="`, "url/html", `">`}, true},
		{"inline content's escaping", "<p>" + template.HTMLEscapeString(hostileName) + "</p>", html,
			[]string{"<p>", "name/htmlstring", "</p>"}, true},
		{"adjacent", nameHTML + nameHTML, html, []string{"", "name/html", "", "name/html", ""}, true},
		{"raw", "Hi " + hostileName + "!", raw, []string{"Hi ", "name/raw", "!"}, true},
		{"raw in HTML", "<p>" + hostileName + "</p>", html, nil, false},
		{"URL-escaped", `<a href="?n=zqFN%3c%3d%60%27%22%26%2b%3e">`, html, nil, false},
		{"JS-escaped", `<script>"zqFN\u003c=\u0060\u0027\u0022\u0026\u002b\u003e"</script>`, html, nil, false},
		{"JS-escaped link", `<script>"https:\/\/zqUR.invalid\/u?a=\u0026b=\u002b"</script>`, html, nil, false},
		{"unquoted attribute", "<p title=zqFN&lt;&#61;&#96;&#39;&#34;&amp;&#43;&gt;>", html, nil, false},
		{"mark alone, from data", "<p>zqFN</p>", html, nil, false},
		{"HTML-escaped in text", "Hi " + nameHTML, raw, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := cutAt(tt.out, tt.encs)
			if ok != tt.wantK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantK)
			}
			if !ok {
				return
			}
			var got []string
			for i, l := range c.lits {
				got = append(got, l)
				if i < len(c.slots) {
					got = append(got, [...]string{"name", "url"}[c.slots[i].value]+"/"+[...]string{"raw", "html", "htmlstring"}[c.slots[i].enc])
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			vs := values{raw: [nSlotValues]string{hostileName, hostileURL}}
			if back := c.fill(&vs); back != tt.out {
				t.Errorf("filling the stand-ins back gives %q, want %q", back, tt.out)
			}
		})
	}
}
