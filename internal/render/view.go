package render

import (
	"html/template"
	"strings"
	"unicode"
)

// view is what every template block sees as its dot. The templates package's doc
// comment is its reference for template authors.
type view struct {
	Data     map[string]any
	Person   personView
	Campaign campaignView
	Locale   string

	// Set for the layouts only.
	Subject        string
	UnsubscribeURL string
	Footer         string
	BodyHTML       template.HTML // inline content, already made safe
	BodyText       string

	personTZ, campaignTZ string
	// dates is the locale moments are written in; sms asks for the short form.
	dates string
	sms   bool
}

type personView struct{ FirstName string }

type campaignView struct{ Name string }

func newView(m Message, c Campaign, p Person, locale, friend string) view {
	first := firstName(p.Name)
	if first == "" {
		first = friend
	}
	return view{
		Data:       m.Data,
		Person:     personView{FirstName: first},
		Campaign:   campaignView{Name: c.Name},
		Locale:     locale,
		personTZ:   p.Timezone,
		campaignTZ: c.Timezone,
		dates:      dateLocale(locale, p.Locale),

		UnsubscribeURL: p.UnsubscribeURL,
		Footer:         c.Footer,
	}
}

// dateLocale is the locale a message in variant writes moments in: the
// supporter's own when it is of the same language (en-US and en-GB differ in
// their clocks; pt-BR and pt-PT in their words), else the variant's, so that a
// German reader of the English variant does not get German dates in English
// sentences.
func dateLocale(variant, person string) string {
	if person != "" && strings.EqualFold(languageOf(variant), languageOf(person)) {
		return person
	}
	return variant
}

// languageOf returns the language subtag of a BCP 47 tag ("pt" of "pt-BR").
func languageOf(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		return tag[:i]
	}
	return tag
}

// firstName returns the first word of a name.
func firstName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.IndexFunc(name, unicode.IsSpace); i >= 0 {
		return name[:i]
	}
	return name
}
