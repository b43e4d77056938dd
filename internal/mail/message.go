// Package mail sends email over SMTP through a pool of reused connections, and
// writes the same RFC 5322 messages to files for the local outbox. It is the
// only package that imports go-mail.
package mail

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"sort"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/muster-org/muster/internal/failure"
)

// Message is one email to one recipient.
type Message struct {
	// From is the sender, with or without a display name ("Team <a@example.org>").
	From string
	// ReplyTo is optional.
	ReplyTo string
	// To is the recipient's bare address; ToName their display name, if any.
	To     string
	ToName string
	// Subject, Text and HTML are the content; at least one of Text and HTML is needed.
	Subject string
	Text    string
	HTML    string
	// MessageID is without angle brackets ("a12.d345@example.org"). The worker
	// derives it from the delivery so that a retried message keeps its ID; when
	// empty a random one is made.
	MessageID string
	// Date defaults to the time of sending.
	Date time.Time
	// Headers are extra header fields, such as X-Muster-Alert.
	Headers map[string]string
	// ListUnsubscribe holds the unsubscribe URIs (https and mailto). When one is
	// https, List-Unsubscribe-Post: List-Unsubscribe=One-Click is set too (RFC 8058).
	ListUnsubscribe []string
	// Calendar is an RFC 5545 calendar with METHOD:PUBLISH, such as
	// ical.Event.Encode returns, sent as the attachment invite.ics; nil for
	// none. Its METHOD must be PUBLISH, as the attachment's Content-Type says.
	Calendar []byte
}

// calendarType is the Content-Type of the calendar attachment. RFC 6047 2.4
// wants the method parameter to match the calendar's METHOD property.
const calendarType = "text/calendar; charset=utf-8; method=PUBLISH"

// WriteMessage writes m as an RFC 5322 message, built exactly as Pool.Send
// builds it.
func WriteMessage(w io.Writer, m Message) error {
	msg, _, err := build(m)
	if err != nil {
		return err
	}
	if _, err := msg.WriteTo(w); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	return nil
}

// build turns m into a go-mail message and returns its Message-ID. An
// address that does not parse is a Recipient failure that suppresses it (no
// server could ever take it); any other problem is the campaign's or the
// code's, so a Config failure.
func build(m Message) (*gomail.Msg, string, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		f := failure.New(failure.Recipient, "invalid-address", errors.New("mail: the recipient address does not parse"))
		f.Suppress = true
		return nil, "", f
	}
	msg.ToMailAddress(&netmail.Address{Name: m.ToName, Address: to.Address})
	if err := setSender(msg, m); err != nil {
		return nil, "", failure.New(failure.Config, "invalid-message", err)
	}
	if err := setContent(msg, m); err != nil {
		return nil, "", failure.New(failure.Config, "invalid-message", err)
	}
	setCalendar(msg, m.Calendar)
	id, err := setMessageID(msg, m.MessageID)
	if err != nil {
		return nil, "", failure.New(failure.Config, "invalid-message", err)
	}
	if err := setHeaders(msg, m); err != nil {
		return nil, "", failure.New(failure.Config, "invalid-message", err)
	}
	return msg, id, nil
}

func setSender(msg *gomail.Msg, m Message) error {
	from, err := netmail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("mail: From %q: %w", m.From, err)
	}
	msg.FromMailAddress(from)
	if m.ReplyTo == "" {
		return nil
	}
	replyTo, err := netmail.ParseAddress(m.ReplyTo)
	if err != nil {
		return fmt.Errorf("mail: Reply-To %q: %w", m.ReplyTo, err)
	}
	msg.ReplyToMailAddress(replyTo)
	return nil
}

// setContent writes the text part first and the HTML part last: in
// multipart/alternative the last part is the preferred one (RFC 2046 5.1.4).
func setContent(msg *gomail.Msg, m Message) error {
	msg.Subject(m.Subject)
	switch {
	case m.Text != "" && m.HTML != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.Text != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	case m.HTML != "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	default:
		return errors.New("mail: the message has neither text nor HTML")
	}
	if m.Date.IsZero() {
		msg.SetDate()
	} else {
		msg.SetDateWithValue(m.Date)
	}
	msg.SetBulk()
	return nil
}

// setCalendar attaches cal as invite.ics, which makes the message
// multipart/mixed: first the content (multipart/alternative when there are
// both text and HTML), then the calendar. An attachment rather than a third
// alternative: a text/calendar alternative is how iMIP invitations are sent,
// and clients then show the event in place of the HTML or ask for a reply,
// while Gmail, Outlook and Apple Mail show this message as written and offer
// to add the attached event. go-mail writes attachments in base64, which
// keeps the calendar's CRLF line ends and UTF-8 through any relay.
func setCalendar(msg *gomail.Msg, cal []byte) {
	if len(cal) == 0 {
		return
	}
	msg.AttachReadSeeker("invite.ics", bytes.NewReader(cal), gomail.WithFileContentType(calendarType))
}

func setMessageID(msg *gomail.Msg, id string) (string, error) {
	if id == "" {
		msg.SetMessageID()
		return strings.Trim(msg.GetMessageID(), "<>"), nil
	}
	local, domain, ok := strings.Cut(id, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(id, "<>()[]\\,;: \"") || !printableASCII(id) {
		return "", fmt.Errorf("mail: Message-ID %q is not of the form left@right", id)
	}
	msg.SetMessageIDWithValue(id)
	return id, nil
}

func setHeaders(msg *gomail.Msg, m Message) error {
	names := make([]string, 0, len(m.Headers))
	for name := range m.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !validFieldName(name) || reserved(name) {
			return fmt.Errorf("mail: %q is not a valid extra header field", name)
		}
		msg.SetGenHeader(gomail.Header(name), m.Headers[name])
	}
	return setListUnsubscribe(msg, m.ListUnsubscribe)
}

// setListUnsubscribe puts the first https URI first, as RFC 8058 one-click
// clients take it from there.
func setListUnsubscribe(msg *gomail.Msg, uris []string) error {
	if len(uris) == 0 {
		return nil
	}
	https := -1
	for i, raw := range uris {
		u, err := url.Parse(raw)
		if err != nil || !printableASCII(raw) || strings.ContainsAny(raw, "<>, ") {
			return fmt.Errorf("mail: List-Unsubscribe URI %q is not valid", raw)
		}
		if u.Scheme == "https" && https < 0 {
			https = i
		}
	}
	if https < 0 {
		msg.SetListUnsubscribe(uris...)
		return nil
	}
	rest := make([]string, 0, len(uris)-1)
	rest = append(rest, uris[:https]...)
	rest = append(rest, uris[https+1:]...)
	if err := msg.SetListUnsubscribeOneClick(uris[https], rest...); err != nil {
		return fmt.Errorf("mail: List-Unsubscribe: %w", err)
	}
	return nil
}

// reserved reports whether the builder writes the field name itself.
func reserved(name string) bool {
	switch textproto.CanonicalMIMEHeaderKey(name) {
	case "From", "Sender", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date", "Message-Id",
		"Mime-Version", "Content-Type", "Content-Transfer-Encoding", "List-Unsubscribe",
		"List-Unsubscribe-Post", "Precedence", "X-Auto-Response-Suppress":
		return true
	}
	return false
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '!' || s[i] > '~' {
			return false
		}
	}
	return true
}

// validFieldName follows RFC 5322 3.6.8: printable ASCII except the colon.
func validFieldName(name string) bool {
	return name != "" && printableASCII(name) && !strings.Contains(name, ":")
}
