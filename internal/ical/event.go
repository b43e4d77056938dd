// Package ical writes one calendar event as an RFC 5545 iCalendar object (an
// .ics file), so that a supporter can add the moment of an action to their
// own calendar.
package ical

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultDuration is how long an Event without an End lasts. RFC 5545 3.6.1
// gives an event with a date-time DTSTART and neither DTEND nor DURATION no
// length at all, which calendars show as a sliver; two hours is a typical
// rally, march or human chain, and Encode writes it as an explicit DTEND,
// which every client reads.
const DefaultDuration = 2 * time.Hour

// prodID names the product that wrote the calendar (RFC 5545 3.7.3).
const prodID = "-//Muster//Muster//EN"

// utcLayout is the UTC ("form #2") DATE-TIME of RFC 5545 3.3.5.
const utcLayout = "20060102T150405Z"

// Event is one calendar event. Times are written in UTC (20261008T120000Z):
// a UTC time names one instant without a VTIMEZONE component, and calendar
// clients show it in the reader's own zone. Times are written to the second.
type Event struct {
	// UID identifies the event for good (RFC 5545 3.8.4.7); an event sent
	// again with the same UID replaces the one already in the calendar. It
	// should be globally unique, such as "a12@muster.example.org".
	UID string
	// Start is required. End defaults to Start plus DefaultDuration; when
	// set, it must be after Start.
	Start, End time.Time
	// Summary is the event's title and is required. Location and Description
	// are optional free text. Line breaks are kept; other control characters
	// are dropped from all three.
	Summary, Location, Description string
	// URL is an optional absolute link, such as the alert's page.
	URL string
	// Stamp is when the calendar was made (DTSTAMP, RFC 5545 3.8.7.2), and is
	// required: clients order two versions of one UID by it.
	Stamp time.Time
}

// Encode returns e as an iCalendar object with METHOD:PUBLISH, lines ended
// with CRLF and folded at 75 octets.
func (e Event) Encode() ([]byte, error) {
	e, err := e.normalize()
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 512)
	b = append(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"+prodID+
		"\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"...)
	b = appendText(b, "UID", e.UID)
	b = appendLine(b, "DTSTAMP", e.Stamp.Format(utcLayout))
	b = appendLine(b, "DTSTART", e.Start.Format(utcLayout))
	b = appendLine(b, "DTEND", e.End.Format(utcLayout))
	b = appendText(b, "SUMMARY", e.Summary)
	b = appendOptional(b, appendText, "LOCATION", e.Location)
	b = appendOptional(b, appendText, "DESCRIPTION", e.Description)
	b = appendOptional(b, appendLine, "URL", e.URL)
	return append(b, "END:VEVENT\r\nEND:VCALENDAR\r\n"...), nil
}

// normalize cleans the text, puts the times in UTC to the second, fills in
// End and checks what is required.
func (e Event) normalize() (Event, error) {
	e.UID, e.Summary = clean(e.UID), clean(e.Summary)
	e.Location, e.Description = clean(e.Location), clean(e.Description)
	if err := e.normalizeTimes(); err != nil {
		return Event{}, err
	}
	switch {
	case e.UID == "":
		return Event{}, errors.New("ical: the event has no UID")
	case e.Summary == "":
		return Event{}, errors.New("ical: the event has no summary")
	case e.URL != "" && !validURL(e.URL):
		return Event{}, fmt.Errorf("ical: URL %q is not an absolute URL", e.URL)
	}
	return e, nil
}

func (e *Event) normalizeTimes() error {
	if e.Start.IsZero() {
		return errors.New("ical: the event has no start")
	}
	if e.Stamp.IsZero() {
		return errors.New("ical: the event has no stamp")
	}
	e.Start, e.Stamp = utc(e.Start), utc(e.Stamp)
	if e.End.IsZero() {
		e.End = e.Start.Add(DefaultDuration)
	}
	e.End = utc(e.End)
	if !e.End.After(e.Start) {
		return fmt.Errorf("ical: the event's end (%s) is not after its start (%s)",
			e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	}
	for _, t := range []time.Time{e.Start, e.End, e.Stamp} {
		if t.Year() < 0 || t.Year() > 9999 {
			return fmt.Errorf("ical: %s is outside years 0 to 9999", t.Format(time.RFC3339))
		}
	}
	return nil
}

func utc(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second)
}

// validURL accepts an absolute URL that can be written as a URI value as is:
// no white space or control characters, which a value cannot escape.
func validURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.IsAbs() && utf8.ValidString(raw) &&
		!strings.ContainsFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}
