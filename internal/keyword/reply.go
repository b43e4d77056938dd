package keyword

import (
	"strings"

	"golang.org/x/text/language"

	"github.com/muster-org/muster/internal/smstext"
)

// Reply returns the confirmation to send for a keyword of kind k, in the
// language of locale, a BCP 47 tag such as "pt-BR", or in English when
// locale is none of en, es, pt and fr. campaign is the name supporters know;
// contact, for Help, is how to reach the campaign, and may be empty. It
// returns "" for None: an ordinary message gets no automatic answer.
//
// Every fixed part is GSM-7, and a reply stays within one 160-character
// segment for a campaign name of 30 characters and a contact of 50.
func Reply(k Kind, locale, campaign, contact string) string {
	return reply(k, match(locale), campaign, contact)
}

// Reply returns the confirmation for k as the package function Reply does,
// but when locale is none of en, es, pt and fr it answers in the keyword's
// language before falling back to English: a supporter without a known
// locale who sends ALTO is answered in Spanish.
func (k Keyword) Reply(locale, campaign, contact string) string {
	lang := match(locale)
	if lang == "" {
		lang = k.Lang
	}
	return reply(k.Kind, lang, campaign, contact)
}

func reply(k Kind, lang, campaign, contact string) string {
	campaign = strings.TrimSpace(campaign)
	// The text adds its own full stop after the contact.
	contact = strings.TrimRight(strings.TrimSpace(contact), ". ")
	switch {
	case k == Stop:
		return stopped(lang, campaign)
	case k == Start:
		return started(lang, campaign)
	case k == Help && contact == "":
		return about(lang, campaign) + " " + optOut(lang)
	case k == Help:
		return campaign + separator(lang) + contact + ". " + optOut(lang)
	}
	return ""
}

// match returns "en", "es", "pt" or "fr" for locale, or "" when locale is
// none of them with high confidence.
func match(locale string) string {
	if locale == "" {
		return ""
	}
	tag, _ := language.Parse(locale) // with an error, tag is still the usable part
	supported := []language.Tag{language.English, language.Spanish, language.Portuguese, language.French}
	_, i, conf := language.NewMatcher(supported).Match(tag)
	if conf < language.High {
		return ""
	}
	return supported[i].String()
}

func stopped(lang, campaign string) string {
	switch lang {
	case "es":
		return "Te diste de baja de " + campaign + " y ya no te enviaremos mensajes. Responde START para volver a suscribirte."
	case "pt":
		return "Seu cadastro em " + campaign + " foi cancelado e as mensagens param por aqui. Responda START para voltar a receber."
	case "fr":
		return "Votre désabonnement de " + campaign + " est confirmé : vous ne recevrez plus de messages. Répondez START pour vous réabonner."
	}
	return "You're unsubscribed from " + campaign + " and will get no more messages. Reply START to resubscribe."
}

func started(lang, campaign string) string {
	switch lang {
	case "es":
		return "Te suscribiste de nuevo a " + campaign + ". " + optOut(lang)
	case "pt":
		return "Seu cadastro em " + campaign + " foi reativado. " + optOut(lang)
	case "fr":
		return "Votre abonnement à " + campaign + " est réactivé. " + optOut(lang)
	}
	return "You're subscribed to " + campaign + " again. " + optOut(lang)
}

// about names the campaign when there is no contact line to give.
func about(lang, campaign string) string {
	switch lang {
	case "es", "pt":
		return "Alertas de " + campaign + "."
	case "fr":
		return "Alertes de " + campaign + "."
	}
	return "Alerts from " + campaign + "."
}

// separator comes between the campaign and its contact; French puts a space
// before a colon.
func separator(lang string) string {
	if lang == "fr" {
		return " : "
	}
	return ": "
}

// optOut is the sentence that ends Start and Help replies, the same line
// smstext adds to every alert.
func optOut(lang string) string {
	return smstext.OptOut(lang) + "."
}

// Ask returns the text that asks a number to confirm its SMS subscription to
// campaign by replying YES (SMS double opt-in), in the language of locale,
// else English. The word to reply is the language's own (SI, SIM, OUI), which
// Parse reads as Start.
func Ask(locale, campaign string) string {
	campaign = strings.TrimSpace(campaign)
	lang := match(locale)
	switch lang {
	case "es":
		return campaign + ": responde SI para recibir nuestras alertas por SMS. " + optOut(lang)
	case "pt":
		return campaign + ": responda SIM para receber nossos alertas por SMS. " + optOut(lang)
	case "fr":
		return campaign + " : répondez OUI pour recevoir nos alertes par SMS. " + optOut(lang)
	}
	return campaign + ": reply YES to get our alerts by SMS. " + optOut(lang)
}
