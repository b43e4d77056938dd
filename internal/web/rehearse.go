package web

import (
	"bytes"
	"fmt"
)

// rehearse renders every page in every language, in each of its variants, so
// that a template calling for words a language lacks fails New.
func (s *server) rehearse() error {
	for _, l := range s.langs {
		for _, sample := range s.samples(l) {
			var buf bytes.Buffer
			if err := s.execute(&buf, sample.page, sample.view); err != nil {
				return fmt.Errorf("rehearse: %w", err)
			}
		}
	}
	return nil
}

// sample is one variant of a page.
type sample struct {
	page string
	view view
}

// samples returns every variant of every page in language l.
func (s *server) samples(l *lang) []sample {
	c := view{L: l, Campaign: "Campaign", Slug: "campaign"}
	withErrors := c
	withErrors.Switch = s.switcher(l)
	for _, f := range formFields() {
		withErrors.Errors = append(withErrors.Errors, fieldError{Field: f, Message: "message"})
	}
	smsOnly, both := c, c
	smsOnly.SMS = true
	both.Email, both.SMS, both.SMSNumber = true, true, "+15005550006"
	left := c
	left.Left = true
	sms := c
	sms.Channel = "sms"
	out := []sample{
		{"join", c}, {"join", withErrors}, {"joined", smsOnly}, {"joined", both},
		{"confirmed", c}, {"confirmed", left},
		{"unsubscribe", c}, {"unsubscribe", sms}, {"unsubscribed", c}, {"unsubscribed", sms},
	}
	for _, p := range messagePages() {
		v := view{L: l, Page: p}
		if p == pageExpired { // the one message page with a link
			v.Campaign, v.Link = "Campaign", "/c/campaign"
		}
		out = append(out, sample{"message", v})
	}
	return out
}
