package keyword

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kind is what an inbound message asks for.
type Kind int

// The kinds of message. None, the zero value, is an ordinary message.
const (
	None Kind = iota
	Stop
	Start
	Help
)

// String returns the kind in lower case, for logs.
func (k Kind) String() string {
	switch k {
	case Stop:
		return "stop"
	case Start:
		return "start"
	case Help:
		return "help"
	}
	return "none"
}

// Keyword is what an inbound message means.
type Keyword struct {
	Kind Kind
	// Lang is the language the word belongs to, "es", "pt" or "fr", so that
	// the reply can be in it when the supporter's locale is unknown. It is ""
	// for English words and for words shared with English, such as STOP
	// (English and French) or INFO. PARAR, which is Spanish and Portuguese, is
	// "pt": Brazilian senders write PARAR, Spanish ones PARA or ALTO. CANCELAR,
	// as common in both, is "es", the larger of the two audiences; a
	// Portuguese reader follows Spanish better than English either way.
	Lang string
}

// Parse returns what body means. The whole message must be one keyword, as
// Twilio requires: "please stop sending" is an ordinary message. Case and
// accents do not matter, nor does what surrounds the word that is not a
// letter or digit ("Stop!", "¡ALTO!", "stop 🙂"), and a word may be written
// in parts separated by spaces or dashes ("opt out", "Opt-Out").
func Parse(body string) Keyword {
	word := normalize(body)
	k := kind(word)
	if k == None {
		return Keyword{}
	}
	return Keyword{Kind: k, Lang: lang(word)}
}

// normalize returns body in lower case without accents, trimmed of all but
// letters and digits, with the spaces and dashes inside it removed.
func normalize(body string) string {
	trimmed := strings.TrimFunc(fold(body), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
			return -1
		}
		return r
	}, trimmed)
}

// fold lowers s and drops its combining marks ("Arrêt" becomes "arret"), and
// the invisible format characters, such as zero-width spaces, that phones
// and copy-paste leave in.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// kind returns what a normalized word asks for.
func kind(word string) Kind {
	switch word {
	case "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", // Twilio's
		"alto", "para", "baja", "detener", "cancelar", // es
		"parar", "sair", "descadastrar", "remover", // pt
		"arret", "desabonner", "desinscrire", "annuler": // fr
		return Stop
	case "start", "yes", "unstop", // Twilio's
		"si", "alta", "comenzar", // es
		"sim", "voltar", "comecar", // pt
		"oui", "commencer", "reprendre": // fr
		return Start
	case "help", "info", "ayuda", "ajuda", "aide":
		return Help
	}
	return None
}

// lang returns the language of a normalized keyword, or "" when it is
// English or shared with English.
func lang(word string) string {
	switch word {
	case "alto", "para", "baja", "detener", "cancelar", "si", "alta", "comenzar", "ayuda":
		return "es"
	case "parar", "sair", "descadastrar", "remover", "sim", "voltar", "comecar", "ajuda":
		return "pt"
	case "arret", "desabonner", "desinscrire", "annuler", "oui", "commencer", "reprendre", "aide":
		return "fr"
	}
	return ""
}
