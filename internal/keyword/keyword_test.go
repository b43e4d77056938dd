package keyword_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/keyword"
)

func TestParse(t *testing.T) {
	stop := keyword.Keyword{Kind: keyword.Stop}
	tests := []struct {
		name string
		body string
		want keyword.Keyword
	}{
		{"upper case", "STOP", stop},
		{"lower case", "stop", stop},
		{"mixed case", "sToP", stop},
		{"accent, lower case", "arrêt", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"no accent, title case", "Arret", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"accent, upper case", "ARRÊT", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"decomposed accent", "arre\u0302t", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"accent where there is none", "stóp", stop},
		{"full stop", "STOP.", stop},
		{"exclamation mark", "stop!", stop},
		{"Spanish marks", "¡Alto!", keyword.Keyword{Kind: keyword.Stop, Lang: "es"}},
		{"question marks", "¿Ayuda?", keyword.Keyword{Kind: keyword.Help, Lang: "es"}},
		{"quotes", "“STOP”", stop},
		{"emoji after", "stop 🙂", stop},
		{"spaces around", "  stop \t", stop},
		{"new lines around", "\r\nSTOP\n", stop},
		{"non-breaking space", "\u00a0stop\u00a0", stop},
		{"zero-width space inside", "st\u200bop", stop},
		{"opt out in two words", "opt out", stop},
		{"opt out with spaces collapsed", "OPT   OUT", stop},
		{"opt-out with a dash", "Opt-Out", stop},
		{"stop all in two words", "stop all", stop},
		{"yes", "Yes", keyword.Keyword{Kind: keyword.Start}},
		{"sí with accent", "Sí", keyword.Keyword{Kind: keyword.Start, Lang: "es"}},
		{"começar with cedilla", "COMEÇAR", keyword.Keyword{Kind: keyword.Start, Lang: "pt"}},
		{"info", "info", keyword.Keyword{Kind: keyword.Help}},
		{"sentence with stop", "please stop sending", keyword.Keyword{}},
		{"stop it now", "stop it now", keyword.Keyword{}},
		{"two keywords", "stop stop", keyword.Keyword{}},
		{"misspelt", "stopp", keyword.Keyword{}},
		{"prefix", "sto", keyword.Keyword{}},
		{"inner full stop", "s.top", keyword.Keyword{}},
		{"digits", "stop1", keyword.Keyword{}},
		{"no", "no", keyword.Keyword{}},
		{"empty", "", keyword.Keyword{}},
		{"blank", " \n ", keyword.Keyword{}},
		{"only punctuation", "?!", keyword.Keyword{}},
		{"only an emoji", "🙂", keyword.Keyword{}},
		{"look-alike Cyrillic", "ЅТОР", keyword.Keyword{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, keyword.Parse(tt.body)); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.body, diff)
			}
		})
	}
}

// TestParseEveryWord checks each listed word as written, in lower and upper
// case, and with punctuation and spaces around it.
func TestParseEveryWord(t *testing.T) {
	tests := []struct {
		word string
		want keyword.Keyword
	}{
		{"STOP", keyword.Keyword{Kind: keyword.Stop}},
		{"STOPALL", keyword.Keyword{Kind: keyword.Stop}},
		{"UNSUBSCRIBE", keyword.Keyword{Kind: keyword.Stop}},
		{"CANCEL", keyword.Keyword{Kind: keyword.Stop}},
		{"END", keyword.Keyword{Kind: keyword.Stop}},
		{"QUIT", keyword.Keyword{Kind: keyword.Stop}},
		{"REVOKE", keyword.Keyword{Kind: keyword.Stop}},
		{"OPTOUT", keyword.Keyword{Kind: keyword.Stop}},
		{"OPT OUT", keyword.Keyword{Kind: keyword.Stop}},
		{"ALTO", keyword.Keyword{Kind: keyword.Stop, Lang: "es"}},
		{"PARA", keyword.Keyword{Kind: keyword.Stop, Lang: "es"}},
		{"BAJA", keyword.Keyword{Kind: keyword.Stop, Lang: "es"}},
		{"DETENER", keyword.Keyword{Kind: keyword.Stop, Lang: "es"}},
		{"CANCELAR", keyword.Keyword{Kind: keyword.Stop, Lang: "es"}},
		{"PARAR", keyword.Keyword{Kind: keyword.Stop, Lang: "pt"}},
		{"SAIR", keyword.Keyword{Kind: keyword.Stop, Lang: "pt"}},
		{"DESCADASTRAR", keyword.Keyword{Kind: keyword.Stop, Lang: "pt"}},
		{"REMOVER", keyword.Keyword{Kind: keyword.Stop, Lang: "pt"}},
		{"ARRET", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"ARRÊT", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"DESABONNER", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"DÉSABONNER", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"DESINSCRIRE", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"DÉSINSCRIRE", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"ANNULER", keyword.Keyword{Kind: keyword.Stop, Lang: "fr"}},
		{"START", keyword.Keyword{Kind: keyword.Start}},
		{"YES", keyword.Keyword{Kind: keyword.Start}},
		{"UNSTOP", keyword.Keyword{Kind: keyword.Start}},
		{"SI", keyword.Keyword{Kind: keyword.Start, Lang: "es"}},
		{"SÍ", keyword.Keyword{Kind: keyword.Start, Lang: "es"}},
		{"ALTA", keyword.Keyword{Kind: keyword.Start, Lang: "es"}},
		{"COMENZAR", keyword.Keyword{Kind: keyword.Start, Lang: "es"}},
		{"SIM", keyword.Keyword{Kind: keyword.Start, Lang: "pt"}},
		{"VOLTAR", keyword.Keyword{Kind: keyword.Start, Lang: "pt"}},
		{"COMECAR", keyword.Keyword{Kind: keyword.Start, Lang: "pt"}},
		{"COMEÇAR", keyword.Keyword{Kind: keyword.Start, Lang: "pt"}},
		{"OUI", keyword.Keyword{Kind: keyword.Start, Lang: "fr"}},
		{"COMMENCER", keyword.Keyword{Kind: keyword.Start, Lang: "fr"}},
		{"REPRENDRE", keyword.Keyword{Kind: keyword.Start, Lang: "fr"}},
		{"HELP", keyword.Keyword{Kind: keyword.Help}},
		{"INFO", keyword.Keyword{Kind: keyword.Help}},
		{"AYUDA", keyword.Keyword{Kind: keyword.Help, Lang: "es"}},
		{"AJUDA", keyword.Keyword{Kind: keyword.Help, Lang: "pt"}},
		{"AIDE", keyword.Keyword{Kind: keyword.Help, Lang: "fr"}},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			for _, body := range []string{tt.word, strings.ToLower(tt.word), " " + tt.word + "! ", "\"" + strings.ToLower(tt.word) + ".\""} {
				if diff := cmp.Diff(tt.want, keyword.Parse(body)); diff != "" {
					t.Errorf("Parse(%q) (-want +got):\n%s", body, diff)
				}
			}
			if got := keyword.Parse("please " + tt.word); got.Kind != keyword.None {
				t.Errorf("Parse(%q) = %+v, want None: the whole message must be the keyword", "please "+tt.word, got)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		kind keyword.Kind
		want string
	}{
		{keyword.None, "none"},
		{keyword.Stop, "stop"},
		{keyword.Start, "start"},
		{keyword.Help, "help"},
		{keyword.Kind(42), "none"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.kind.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
