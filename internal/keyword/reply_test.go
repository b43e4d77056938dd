package keyword_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/keyword"
	"github.com/muster-org/muster/internal/smstext"
)

const (
	campaign = "Save the Riverside Library"
	contact  = "Call 0800 123 456 or visit example.org"
)

func TestReply(t *testing.T) {
	tests := []struct {
		name    string
		kind    keyword.Kind
		locale  string
		contact string
		want    string
	}{
		{"stop en", keyword.Stop, "en", contact,
			"You're unsubscribed from Save the Riverside Library and will get no more messages. Reply START to resubscribe."},
		{"start en", keyword.Start, "en-GB", contact, "You're subscribed to Save the Riverside Library again. Reply STOP to opt out."},
		{"help en", keyword.Help, "en-US", contact,
			"Save the Riverside Library: Call 0800 123 456 or visit example.org. Reply STOP to opt out."},
		{"help en without contact", keyword.Help, "en", "", "Alerts from Save the Riverside Library. Reply STOP to opt out."},
		{"stop es", keyword.Stop, "es", contact,
			"Te diste de baja de Save the Riverside Library y ya no te enviaremos mensajes. Responde START para volver a suscribirte."},
		{"start es", keyword.Start, "es-MX", contact,
			"Te suscribiste de nuevo a Save the Riverside Library. Responde STOP para darte de baja."},
		{"help es", keyword.Help, "es-419", contact,
			"Save the Riverside Library: Call 0800 123 456 or visit example.org. Responde STOP para darte de baja."},
		{"help es without contact", keyword.Help, "es", "", "Alertas de Save the Riverside Library. Responde STOP para darte de baja."},
		{"stop pt", keyword.Stop, "pt-BR", contact,
			"Seu cadastro em Save the Riverside Library foi cancelado e as mensagens param por aqui. Responda START para voltar a receber."},
		{"start pt", keyword.Start, "pt", contact, "Seu cadastro em Save the Riverside Library foi reativado. Responda STOP para cancelar."},
		{"help pt", keyword.Help, "pt-PT", contact,
			"Save the Riverside Library: Call 0800 123 456 or visit example.org. Responda STOP para cancelar."},
		{"help pt without contact", keyword.Help, "pt", "", "Alertas de Save the Riverside Library. Responda STOP para cancelar."},
		{"stop fr", keyword.Stop, "fr", contact,
			"Votre désabonnement de Save the Riverside Library est confirmé : vous ne recevrez plus de messages. Répondez START pour vous réabonner."},
		{"start fr", keyword.Start, "fr-CA", contact,
			"Votre abonnement à Save the Riverside Library est réactivé. Répondez STOP pour vous désabonner."},
		{"help fr", keyword.Help, "fr-FR", contact,
			"Save the Riverside Library : Call 0800 123 456 or visit example.org. Répondez STOP pour vous désabonner."},
		{"help fr without contact", keyword.Help, "fr", "", "Alertes de Save the Riverside Library. Répondez STOP pour vous désabonner."},
		{"unsupported language falls back to English", keyword.Stop, "de-DE", contact,
			"You're unsubscribed from Save the Riverside Library and will get no more messages. Reply START to resubscribe."},
		{"no locale falls back to English", keyword.Start, "", contact, "You're subscribed to Save the Riverside Library again. Reply STOP to opt out."},
		{"malformed locale falls back to English", keyword.Start, "not a tag", contact,
			"You're subscribed to Save the Riverside Library again. Reply STOP to opt out."},
		{"underscore locale", keyword.Start, "es_AR", contact, "Te suscribiste de nuevo a Save the Riverside Library. Responde STOP para darte de baja."},
		{"contact's own full stop is not doubled", keyword.Help, "en", " Call 0800 123 456. ", "Save the Riverside Library: Call 0800 123 456. Reply STOP to opt out."},
		{"blank contact", keyword.Help, "en", "  ", "Alerts from Save the Riverside Library. Reply STOP to opt out."},
		{"none gets no reply", keyword.None, "en", contact, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keyword.Reply(tt.kind, tt.locale, campaign, tt.contact)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Reply(%v, %q) (-want +got):\n%s", tt.kind, tt.locale, diff)
			}
		})
	}
}

func TestKeywordReplyFallsBackToItsLanguage(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		locale string
		want   string
	}{
		{"locale wins over the word", "ALTO", "fr", "Votre désabonnement de X est confirmé : vous ne recevrez plus de messages. Répondez START pour vous réabonner."},
		{"English locale wins too", "SIM", "en-US", "You're subscribed to X again. Reply STOP to opt out."},
		{"no locale: the word's language", "ALTO", "", "Te diste de baja de X y ya no te enviaremos mensajes. Responde START para volver a suscribirte."},
		{"unsupported locale: the word's language", "ajuda", "de", "Alertas de X. Responda STOP para cancelar."},
		{"PARAR is Portuguese", "parar", "", "Seu cadastro em X foi cancelado e as mensagens param por aqui. Responda START para voltar a receber."},
		{"CANCELAR is Spanish", "cancelar", "", "Te diste de baja de X y ya no te enviaremos mensajes. Responde START para volver a suscribirte."},
		{"French word", "Oui!", "it", "Votre abonnement à X est réactivé. Répondez STOP pour vous désabonner."},
		{"shared word: English", "STOP", "", "You're unsubscribed from X and will get no more messages. Reply START to resubscribe."},
		{"not a keyword", "hello", "es", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keyword.Parse(tt.body).Reply(tt.locale, "X", "")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q).Reply(%q) (-want +got):\n%s", tt.body, tt.locale, diff)
			}
		})
	}
}

// TestReplyFitsOneGSM7Segment checks every reply with a 30-character campaign
// name and a 50-character contact line, the longest we promise to fit.
func TestReplyFitsOneGSM7Segment(t *testing.T) {
	longCampaign := strings.Repeat("C", 30)
	longContact := strings.Repeat("c", 50)
	for _, locale := range []string{"en", "es", "pt", "fr"} {
		for _, kind := range []keyword.Kind{keyword.Stop, keyword.Start, keyword.Help} {
			for _, contact := range []string{longContact, ""} {
				name := locale + " " + kind.String() + " with contact"
				if contact == "" {
					name = locale + " " + kind.String() + " without contact"
				}
				t.Run(name, func(t *testing.T) {
					got := keyword.Reply(kind, locale, longCampaign, contact)
					n, ok := gsm7Septets(got)
					if !ok {
						t.Errorf("Reply = %q, not GSM-7: %q", got, nonGSM7(got))
					}
					if n > 160 {
						t.Errorf("Reply = %q, %d septets, more than one segment", got, n)
					}
				})
			}
		}
	}
}

// The GSM 03.38 default alphabet and its extension table, whose characters
// take two septets.
const (
	gsm7Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsm7Extension = "\f^{}\\[~]|€"
)

// gsm7Septets returns the septets s takes, and false when some character of s
// is not in GSM-7.
func gsm7Septets(s string) (int, bool) {
	n := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(gsm7Basic, r):
			n++
		case strings.ContainsRune(gsm7Extension, r):
			n += 2
		default:
			return n, false
		}
	}
	return n, true
}

func nonGSM7(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(gsm7Basic+gsm7Extension, r) {
			return -1
		}
		return r
	}, s)
}

func TestGSM7Checker(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		want   int
		wantOK bool
	}{
		{"ASCII", "Reply STOP", 10, true},
		{"allowed accents", "é è ù ì ò à", 11, true},
		{"extension counts twice", "€[", 4, true},
		{"acute a", "á", 0, false},
		{"cedilla", "ç", 0, false},
		{"tilde", "ã", 0, false},
		{"circumflex", "ê", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, ok := gsm7Septets(tt.s)
			if ok != tt.wantOK || ok && n != tt.want {
				t.Errorf("gsm7Septets(%q) = %d, %v; want %d, %v", tt.s, n, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestAsk: the question of SMS double opt-in is one GSM-7 segment in every
// language, and the word it asks for is a Start keyword.
func TestAsk(t *testing.T) {
	for locale, word := range map[string]string{"en-GB": "YES", "es-AR": "SI", "pt-BR": "SIM", "fr": "OUI", "de": "YES"} {
		got := keyword.Ask(locale, strings.Repeat("C", 30))
		if !strings.Contains(got, " "+word+" ") {
			t.Errorf("keyword.Ask(%s) = %q, want it to ask for %s", locale, got, word)
		}
		if keyword.Parse(word).Kind != keyword.Start {
			t.Errorf("%s is not a Start keyword", word)
		}
		if info := smstext.Analyze(got); info.Encoding != smstext.GSM7 || info.Segments != 1 {
			t.Errorf("keyword.Ask(%s) = %q: %+v, want one GSM-7 segment", locale, got, info)
		}
	}
}
