package api

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// Campaign defaults and limits.
const (
	defaultCampaignLocale   = "en"
	defaultCampaignTimezone = "UTC"
	maxCampaignName         = 200
	maxCampaignFooter       = 1000
)

// campaignJSON is a campaign as the API shows it.
type campaignJSON struct {
	Slug     string      `json:"slug"`
	Name     string      `json:"name"`
	Locale   string      `json:"locale"`
	Timezone string      `json:"timezone"`
	Email    emailSender `json:"email"`
	SMS      smsSender   `json:"sms"`
	// Footer is the postal address or legal notice under every email.
	Footer string `json:"footer"`
	// QuietHours is the campaign's own SMS quiet hours, or "" for the default.
	QuietHours string `json:"quiet_hours"`
	// Contact is the line an SMS HELP is answered with.
	Contact string `json:"contact"`
	// SMSWarning is the last carrier complaint about the campaign's SMS.
	SMSWarning string    `json:"sms_warning"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

type emailSender struct {
	From    string `json:"from"`
	ReplyTo string `json:"reply_to"`
}

type smsSender struct {
	From                string `json:"from"`
	MessagingServiceSID string `json:"messaging_service_sid"`
	// OptOutLine ends every SMS with "Reply STOP to opt out" in its language.
	OptOutLine bool `json:"opt_out_line"`
	// ConfirmByReply makes unconfirmed SMS subscriptions wait for a reply YES.
	ConfirmByReply bool `json:"confirm_by_reply"`
}

func newCampaignJSON(c store.Campaign) campaignJSON {
	return campaignJSON{
		Slug: c.Slug, Name: c.Name, Locale: c.Locale, Timezone: c.Timezone,
		Email: emailSender{From: c.EmailFrom, ReplyTo: c.EmailReplyTo},
		SMS: smsSender{From: c.SMSFrom, MessagingServiceSID: c.SMSMessagingServiceSID, OptOutLine: !c.SMSSkipOptOut,
			ConfirmByReply: c.SMSConfirmByReply},
		Footer: c.Footer, QuietHours: c.QuietHours, Contact: c.Contact, SMSWarning: c.SMSWarning,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

// campaignRequest is the body of POST and PATCH /v1/campaigns: a nil field
// was not given (PATCH leaves it as it is).
type campaignRequest struct {
	Slug       *string       `json:"slug"`
	Name       *string       `json:"name"`
	Locale     *string       `json:"locale"`
	Timezone   *string       `json:"timezone"`
	Email      *emailRequest `json:"email"`
	SMS        *smsRequest   `json:"sms"`
	Footer     *string       `json:"footer"`
	QuietHours *string       `json:"quiet_hours"`
	Contact    *string       `json:"contact"`
}

type emailRequest struct {
	From    *string `json:"from"`
	ReplyTo *string `json:"reply_to"`
}

type smsRequest struct {
	From                *string `json:"from"`
	MessagingServiceSID *string `json:"messaging_service_sid"`
	OptOutLine          *bool   `json:"opt_out_line"`
	ConfirmByReply      *bool   `json:"confirm_by_reply"`
}

// apply validates the fields given and sets them on c, returning every field error.
func (req campaignRequest) apply(c *store.Campaign) []fieldError {
	var errs []fieldError
	set := func(field string, p *string, dst *string, norm func(string) (string, error)) {
		if p == nil {
			return
		}
		v, err := norm(*p)
		if err != nil {
			errs = append(errs, fieldError{Field: field, Message: err.Error()})
			return
		}
		*dst = v
	}
	set("name", req.Name, &c.Name, campaignName)
	set("locale", req.Locale, &c.Locale, required(supporter.Locale))
	set("timezone", req.Timezone, &c.Timezone, required(supporter.Timezone))
	if req.Email != nil {
		set("email.from", req.Email.From, &c.EmailFrom, optional(emailAddress))
		set("email.reply_to", req.Email.ReplyTo, &c.EmailReplyTo, optional(emailAddress))
	}
	if req.SMS != nil {
		set("sms.from", req.SMS.From, &c.SMSFrom, optional(smsNumber))
		set("sms.messaging_service_sid", req.SMS.MessagingServiceSID, &c.SMSMessagingServiceSID, optional(messagingServiceSID))
		if req.SMS.OptOutLine != nil {
			c.SMSSkipOptOut = !*req.SMS.OptOutLine
		}
		if req.SMS.ConfirmByReply != nil {
			c.SMSConfirmByReply = *req.SMS.ConfirmByReply
		}
	}
	set("footer", req.Footer, &c.Footer, campaignFooter)
	set("quiet_hours", req.QuietHours, &c.QuietHours, optional(quietHours))
	set("contact", req.Contact, &c.Contact, campaignContact)
	return errs
}

// required refuses the empty string before norm sees it.
func required(norm func(string) (string, error)) func(string) (string, error) {
	return func(s string) (string, error) {
		if strings.TrimSpace(s) == "" {
			return "", errors.New("must not be empty")
		}
		return norm(s)
	}
}

// optional lets the empty string through (it clears the field) and normalizes the rest.
func optional(norm func(string) (string, error)) func(string) (string, error) {
	return func(s string) (string, error) {
		if strings.TrimSpace(s) == "" {
			return "", nil
		}
		return norm(s)
	}
}

// validSlug reports whether s matches [a-z0-9-]{2,64}.
func validSlug(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		lower, digit := c >= 'a' && c <= 'z', c >= '0' && c <= '9'
		if !lower && !digit && c != '-' {
			return false
		}
	}
	return true
}

// campaignName checks a campaign's name: one line of free text.
func campaignName(s string) (string, error) {
	s, err := supporter.FreeText(s, maxCampaignName)
	if err == nil && s == "" {
		err = errors.New("must not be empty")
	}
	return s, err
}

// campaignFooter checks a campaign's footer: free text that may span lines,
// since a postal address does (the email layouts turn them into line breaks).
func campaignFooter(s string) (string, error) {
	return supporter.FreeTextLines(s, maxCampaignFooter)
}

// maxCampaignContact keeps the HELP answer within one SMS segment.
const maxCampaignContact = 60

// campaignContact checks the line HELP answers with: one line of free text.
func campaignContact(s string) (string, error) {
	return supporter.FreeText(s, maxCampaignContact)
}

// quietHours checks a campaign's own quiet hours and returns them as Parse
// writes them.
func quietHours(s string) (string, error) {
	w, err := quiet.Parse(s)
	if err != nil {
		return "", errors.New("want HH:MM-HH:MM in the supporter's local time (such as 21:00-08:00), off, or empty for the default")
	}
	return w.String(), nil
}

// emailAddress checks a sender address, with or without a display name
// ("Free Assange <alerts@example.org>"), and keeps it as written: the mailer
// parses it again.
func emailAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return "", errors.New("is not an email address (such as Name <alerts@example.org>)")
	}
	if _, err := contact.NormalizeEmail(addr.Address); err != nil {
		return "", fmt.Errorf("has an address that %w", err)
	}
	return s, nil
}

// smsNumber checks a sender number and returns it in E.164.
func smsNumber(s string) (string, error) {
	n, err := contact.NormalizePhone(s, "")
	if err != nil {
		return "", errors.New("must be a phone number in E.164 (such as +15005550006)")
	}
	return n, nil
}

// messagingServiceSID checks a Twilio Messaging Service SID: "MG" and 32 hex digits.
func messagingServiceSID(s string) (string, error) {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "MG")
	if _, err := hex.DecodeString(rest); !ok || len(rest) != 32 || err != nil {
		return "", errors.New("must be MG followed by 32 hexadecimal digits")
	}
	return s, nil
}

// campaign returns the campaign of a path's {slug}, or a 404 problem.
func (s *server) campaign(ctx context.Context, slug string) (store.Campaign, error) {
	c, err := s.st.CampaignBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return c, fail(http.StatusNotFound, fmt.Sprintf("no campaign %q", slug))
	}
	if err != nil {
		return c, fmt.Errorf("look up campaign: %w", err)
	}
	return c, nil
}
