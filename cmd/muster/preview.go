package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// previewView is the part of the API's preview the CLI prints.
type previewView struct {
	Audience struct {
		Channels map[string]int64 `json:"channels"`
		Locales  []struct {
			Locale   string            `json:"locale"`
			Variants map[string]string `json:"variants"`
			Channels map[string]int64  `json:"channels"`
		} `json:"locales"`
	} `json:"audience"`
	Messages []struct {
		Channel  string `json:"channel"`
		Variant  string `json:"variant"`
		Audience int64  `json:"audience"`
		Sample   struct {
			Name     string `json:"name"`
			Locale   string `json:"locale"`
			Timezone string `json:"timezone"`
		} `json:"sample"`
		Subject  string `json:"subject"`
		Text     string `json:"text"`
		HTML     string `json:"html"`
		Calendar bool   `json:"calendar"`
		Body     string `json:"body"`
		Encoding string `json:"encoding"`
		Segments int    `json:"segments"`
		Units    int    `json:"units"`
	} `json:"messages"`
	Forecast struct {
		Start    time.Time `json:"start"`
		LastAt   time.Time `json:"last_at"`
		Channels []struct {
			Channel  string `json:"channel"`
			Messages int64  `json:"messages"`
			Rate     int    `json:"rate"`
			Held     int64  `json:"held"`
			Expiring int64  `json:"expiring"`
			Duration string `json:"duration"`
		} `json:"channels"`
		Warnings []string `json:"warnings"`
	} `json:"forecast"`
	TestCopies []struct {
		Channel, To, Status, Error string
	} `json:"test_copies"`
}

// print writes the preview for a terminal: who gets what, each message as it
// reads, when the last one goes, and what to look out for.
func (p previewView) print(w io.Writer) {
	fmt.Fprintf(w, "Audience: %s\n", counts(p.Audience.Channels))
	for _, l := range p.Audience.Locales {
		fmt.Fprintf(w, "  %-8s %s\n", l.Locale, counts(l.Channels))
	}
	for _, m := range p.Messages {
		fmt.Fprintf(w, "\n== %s, variant %s, to %d (rendered for %s, %s, %s)\n", m.Channel, m.Variant, m.Audience,
			m.Sample.Name, m.Sample.Locale, m.Sample.Timezone)
		if m.Channel == "sms" {
			fmt.Fprintf(w, "%s\n-- %s, %d characters, %d segment(s)\n", m.Body, m.Encoding, m.Units, m.Segments)
			continue
		}
		fmt.Fprintf(w, "Subject: %s\n\n%s\n-- HTML part: %d bytes", m.Subject, m.Text, len(m.HTML))
		if m.Calendar {
			fmt.Fprint(w, "; with a calendar invite (invite.ics)")
		}
		fmt.Fprintln(w)
	}
	fc := p.Forecast
	fmt.Fprintf(w, "\nForecast from %s:\n", fc.Start.UTC().Format(time.RFC3339))
	for _, c := range fc.Channels {
		fmt.Fprintf(w, "  %-5s %d messages at %d/s, done in %s", c.Channel, c.Messages, c.Rate, c.Duration)
		if c.Held > 0 {
			fmt.Fprintf(w, " (%d wait for the end of quiet hours)", c.Held)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  last message expected at %s\n", fc.LastAt.UTC().Format(time.RFC3339))
	for _, warn := range fc.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
	for _, tc := range p.TestCopies {
		fmt.Fprintf(w, "test copy by %s to %s: %s %s\n", tc.Channel, tc.To, tc.Status, tc.Error)
	}
}

// counts writes channel counts in a stable order: "email 2, sms 3".
func counts(m map[string]int64) string {
	var parts []string
	for _, ch := range []string{"email", "sms"} {
		if n, ok := m[ch]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", ch, n))
		}
	}
	return strings.Join(parts, ", ")
}
