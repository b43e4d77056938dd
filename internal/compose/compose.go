// Package compose holds what an alert's messages are made of, shared by the
// workers that send them and the API that previews them: the rendering inputs
// of a stored alert and campaign, the sender's domain, and the calendar event.
package compose

import (
	"net/mail"
	"strings"

	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
)

// Message is what every message of the alert is rendered from.
func Message(a store.Alert) render.Message {
	m := render.Message{Template: a.Template, Data: a.Data}
	if len(a.Content) > 0 {
		m.Content = make(map[string]render.Content, len(a.Content))
		for loc, c := range a.Content {
			m.Content[loc] = render.Content{Subject: c.Subject, Body: c.Body, SMS: c.SMS}
		}
	}
	return m
}

// Domain is the domain of the campaign's From address, for Message-IDs and
// calendar UIDs.
func Domain(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if _, dom, ok := strings.Cut(a.Address, "@"); ok {
			return dom
		}
	}
	return "muster.invalid"
}

// Campaign is what rendering needs to know of a campaign.
func Campaign(c store.Campaign) render.Campaign {
	return render.Campaign{Name: c.Name, Locale: c.Locale, Timezone: c.Timezone, Footer: c.Footer, OptOut: !c.SMSSkipOptOut}
}
