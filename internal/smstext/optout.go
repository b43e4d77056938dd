package smstext

import (
	"strings"

	"golang.org/x/text/language"
)

// OptOut returns the line that tells a supporter how to stop receiving SMS,
// in the language of locale, a BCP 47 tag such as "es-AR"; English when the
// language is not one we have or locale does not parse. Every line names
// STOP: it is the keyword Twilio acts on by default, and the only one US
// toll-free numbers honour, whereas ALTO or SAIR would only work after
// configuring Advanced Opt-Out. Every line is pure GSM-7.
func OptOut(locale string) string {
	switch base(locale) {
	case "es":
		return "Responde STOP para darte de baja"
	case "pt":
		return "Responda STOP para cancelar"
	case "fr":
		return "Répondez STOP pour vous désabonner"
	}
	return "Reply STOP to opt out"
}

// WithOptOut returns body followed by a new line and the opt-out line for
// locale, or body as it is when it already ends with that line; calling it
// twice adds the line once. Trailing white space of body is dropped first, so
// it is not billed.
func WithOptOut(body, locale string) string {
	line := OptOut(locale)
	body = strings.TrimRight(body, " \t\r\n")
	switch {
	case body == "":
		return line
	case body == line, strings.HasSuffix(body, "\n"+line):
		return body
	}
	return body + "\n" + line
}

// base returns the language subtag of locale, or "" when it cannot be told
// with high confidence. A tag with an unknown subtag still yields the rest
// ("es-ZZ" is Spanish); a bare region is a fair guess ("und-BR" is
// Portuguese).
func base(locale string) string {
	tag, _ := language.Parse(locale) // the error comes with the usable part of the tag
	b, conf := tag.Base()
	if conf < language.High {
		return ""
	}
	return b.String()
}
