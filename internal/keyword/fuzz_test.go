package keyword_test

import (
	"testing"

	"github.com/muster-org/muster/internal/keyword"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "STOP", "stop!", "arrêt", "ARRE\u0302T", "opt out", "Opt-Out", "please stop sending", "🙂", "Sí",
		"COMEÇAR", "\u00a0stop\u200b", "st\u200bop", "İNFO", "ß", "\xff", "¡Alto!", "s t o p",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := keyword.Parse(body)
		if spaced := keyword.Parse(" " + body + " "); spaced != got {
			t.Errorf("Parse(%q) = %+v, but with spaces around %+v", body, got, spaced)
		}
		switch {
		case got.Kind < keyword.None || got.Kind > keyword.Help:
			t.Errorf("Parse(%q) = %+v, an unknown kind", body, got)
		case got.Kind == keyword.None && got.Lang != "":
			t.Errorf("Parse(%q) = %+v, a language without a keyword", body, got)
		case got.Lang != "" && got.Lang != "es" && got.Lang != "pt" && got.Lang != "fr":
			t.Errorf("Parse(%q) = %+v, an unknown language", body, got)
		}
	})
}
