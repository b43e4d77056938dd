package render

import (
	"encoding/json"
	"flag"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/smstext"
	"github.com/muster-org/muster/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

// SMS lengths in GSM-7 septets. One segment holds 160. The golden data has a
// long title and place, which leave a body within smsBudget; with each
// template's sample data the opt-out line fits too (TestSMSFitsOneSegment).
const (
	smsSegment = 160
	smsBudget  = 140
)

// smsLimit is the most septets m's SMS may take.
func smsLimit(Message) int { return smsBudget }

// goldenCase is one message rendered in every locale into the golden files
// <name>.<locale>.html, <name>.<locale>.txt and <name>.<locale>.sms.txt.
type goldenCase struct {
	name string
	m    Message
}

// goldenCases returns one case per shipped template, with its sample data, and
// the branches the samples do not reach.
func goldenCases(t *testing.T, r *Renderer) []goldenCase {
	t.Helper()
	var cases []goldenCase
	for _, ti := range r.Templates() {
		m := Message{Template: ti.Name, Data: sampleData(t, ti.Name)}
		if ti.Name == "mobilization" {
			m = oct8() // its golden files predate the samples
		}
		cases = append(cases, goldenCase{ti.Name, m})
	}
	cancelled := Message{Template: "change", Data: map[string]any{
		"title":  "Vigil for Julian Assange",
		"status": "cancelled",
		"place":  "UK Embassy, Madrid",
		"url":    "https://example.org/oct8",
	}}
	placeOnly := Message{Template: "change", Data: map[string]any{
		"title":          "Vigil for Julian Assange",
		"status":         "moved",
		"place":          "Plaza de Cibeles, Madrid",
		"previous_place": "UK Embassy, Madrid",
	}}
	return append(cases, goldenCase{"change-cancelled", cancelled}, goldenCase{"change-place-only", placeOnly})
}

// sampleData reads the sample.json of a shipped template.
func sampleData(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := fs.ReadFile(templates.FS(), name+"/sample.json")
	if err != nil {
		t.Fatalf("every shipped template needs a sample for its golden files: %v", err)
	}
	var data map[string]any
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatalf("%s/sample.json: %v", name, err)
	}
	return data
}

// TestGolden pins every shipped template in every language and channel, checks
// that its SMS stays one GSM-7 segment, and that a Prepared renders it the same,
// by filling in rather than rendering each supporter anew.
func TestGolden(t *testing.T) {
	r := shipped(t)
	for _, gc := range goldenCases(t, r) {
		for _, locale := range []string{"en", "es", "pt", "fr"} {
			t.Run(gc.name+"/"+locale, func(t *testing.T) {
				c, p := footed(freeAssange()), subscribed(ana(locale))
				e, err := r.Email(gc.m, c, p)
				if err != nil {
					t.Fatal(err)
				}
				s, err := r.SMS(gc.m, c, p)
				if err != nil {
					t.Fatal(err)
				}
				if e.Locale != locale || s.Locale != locale {
					t.Errorf("locales = %q, %q; want %q", e.Locale, s.Locale, locale)
				}
				golden(t, gc.name+"."+locale+".html", e.HTML)
				golden(t, gc.name+"."+locale+".txt", "Subject: "+e.Subject+"\n\n"+e.Text+"\n")
				golden(t, gc.name+"."+locale+".sms.txt", s.Body+"\n")
				if n, ok := gsm7Len(s.Body); !ok || n > smsLimit(gc.m) {
					t.Errorf("SMS is %d GSM-7 septets (all GSM-7: %v), want at most %d:\n%s", n, ok, smsLimit(gc.m), s.Body)
				}
				pr, err := r.Prepare(gc.m, c)
				if err != nil {
					t.Fatal(err)
				}
				sameAsDirect(t, r, pr, gc.m, c, p)
				if filled, direct := namedShapes(pr); direct > 0 || filled == 0 {
					t.Errorf("%d email shapes filled, %d rendered directly; want the template on the fast path", filled, direct)
				}
			})
		}
	}
}

// TestSMSFitsOneSegment renders every shipped SMS with its template's sample
// data and the opt-out line of its language: it must be one GSM-7 segment.
func TestSMSFitsOneSegment(t *testing.T) {
	r := shipped(t)
	optOut := freeAssange()
	optOut.OptOut = true
	for _, ti := range r.Templates() {
		data := sampleData(t, ti.Name)
		for _, locale := range ti.Locales {
			s, err := r.SMS(Message{Template: ti.Name, Data: data}, optOut, ana(locale))
			if err != nil {
				t.Fatal(err)
			}
			if n, ok := gsm7Len(s.Body); !ok || n > smsSegment {
				t.Errorf("%s %s: SMS is %d GSM-7 septets (all GSM-7: %v), want one segment:\n%s", ti.Name, locale, n, ok, s.Body)
			}
		}
	}
}

// TestOnlineActionPostLink follows the pre-filled post link of both parts of the
// email back to the text it posts: escaped once, as its part needs.
func TestOnlineActionPostLink(t *testing.T) {
	r := shipped(t)
	m := Message{Template: "online-action", Data: sampleData(t, "online-action")}
	m.Data["post"] = `Stop & "think": <now> 100% +1, l'été?`
	want := m.Data["post"].(string) + " @UKHomeOffice #FreeAssange #DropTheCharges"
	link := regexp.MustCompile(`https://twitter\.com/intent/tweet\?[^"\s]*`)
	for _, locale := range []string{"en", "es", "pt", "fr"} {
		e, err := r.Email(m, freeAssange(), ana(locale))
		if err != nil {
			t.Fatal(err)
		}
		for part, href := range map[string]string{
			"html": html.UnescapeString(link.FindString(e.HTML)),
			"text": link.FindString(e.Text),
		} {
			u, err := url.Parse(href)
			if err != nil {
				t.Fatalf("%s %s: %v", locale, part, err)
			}
			if got := u.Query().Get("text"); got != want {
				t.Errorf("%s %s: the link posts %q, want %q", locale, part, got, want)
			}
		}
	}
}

func TestGoldenContent(t *testing.T) {
	r := shipped(t)
	m := Message{
		Content: map[string]Content{
			"es": {
				Subject: "{{first_name}}, mañana en {{data.place}}",
				Body: "## Mañana nos vemos\n\nHola, {{first_name}}:\n\nNos juntamos **{{when.starts_at}}** en {{data.place}}.\n" +
					"Trae agua y algo amarillo.\n\n- [Confirma que vienes]({{data.url}})\n- Comparte: https://example.org/share\n",
				SMS: "{{campaign}}: {{when.starts_at}}, {{data.place}}. {{data.url}}",
			},
		},
		Data: oct8().Data,
	}
	c := Campaign{Name: "Free Assange", Locale: "es", Timezone: "Europe/London"}
	e, err := r.Email(m, footed(c), subscribed(ana("es-AR")))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "content.es.html", e.HTML)
	golden(t, "content.es.txt", "Subject: "+e.Subject+"\n\n"+e.Text+"\n")
}

// gsm7Len counts s in GSM-7 septets and reports whether it is all GSM-7.
func gsm7Len(s string) (int, bool) {
	info := smstext.Analyze(s)
	return info.Units, info.Encoding == smstext.GSM7
}
