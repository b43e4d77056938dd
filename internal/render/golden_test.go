package render

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
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

func TestGoldenMobilization(t *testing.T) {
	r := shipped(t)
	for _, locale := range []string{"en", "es", "pt", "fr"} {
		t.Run(locale, func(t *testing.T) {
			e, err := r.Email(oct8(), footed(freeAssange()), subscribed(ana(locale)))
			if err != nil {
				t.Fatal(err)
			}
			s, err := r.SMS(oct8(), freeAssange(), ana(locale))
			if err != nil {
				t.Fatal(err)
			}
			if e.Locale != locale || s.Locale != locale {
				t.Errorf("locales = %q, %q; want %q", e.Locale, s.Locale, locale)
			}
			golden(t, "mobilization."+locale+".html", e.HTML)
			golden(t, "mobilization."+locale+".txt", "Subject: "+e.Subject+"\n\n"+e.Text+"\n")
			golden(t, "mobilization."+locale+".sms.txt", s.Body+"\n")
			if n, ok := gsm7Len(s.Body); !ok || n > 160 {
				t.Errorf("SMS is %d GSM-7 characters (all GSM-7: %v), want one segment:\n%s", n, ok, s.Body)
			}
		})
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

// gsm7Len counts s in GSM-7 septets (extension characters count two) and reports
// whether every character is in the GSM-7 alphabet.
func gsm7Len(s string) (int, bool) {
	const basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	const ext = "^{}\\[~]|€\f"
	n, ok := 0, true
	for _, c := range s {
		switch {
		case containsRune(basic, c):
			n++
		case containsRune(ext, c):
			n += 2
		default:
			n, ok = n+1, false
		}
	}
	return n, ok
}

func containsRune(s string, r rune) bool {
	for _, c := range s {
		if c == r {
			return true
		}
	}
	return false
}
