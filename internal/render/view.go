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

		UnsubscribeURL: p.UnsubscribeURL,
		Footer:         c.Footer,
	}
}

// firstName returns the first word of a name.
func firstName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.IndexFunc(name, unicode.IsSpace); i >= 0 {
		return name[:i]
	}
	return name
}
