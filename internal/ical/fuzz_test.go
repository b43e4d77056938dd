package ical_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/ical"
)

func FuzzEncode(f *testing.F) {
	f.Add("Human chain", "Parliament Square, London", "Bring a friend;\nwear green.")
	f.Add(strings.Repeat("sábado 🙌 ", 20), strings.Repeat("人链", 50), strings.Repeat(`\,;`, 40))
	f.Add("a\r\nb\rc\x00d\x7f\u0085", "\xff\xfe", "\t\\n")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, summary, location, description string) {
		e := ical.Event{
			UID:   "a12@muster.example.org",
			Start: time.Date(2022, 10, 8, 12, 0, 0, 0, time.UTC),
			Stamp: time.Date(2022, 10, 1, 9, 30, 0, 0, time.UTC),
			// The summary is required: a prefix keeps it from cleaning to nothing.
			Summary: "S" + summary, Location: location, Description: description,
		}
		raw, err := e.Encode()
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if !utf8.Valid(raw) {
			t.Fatalf("calendar is not valid UTF-8: %q", raw)
		}
		want := map[string]string{"UID": e.UID, "SUMMARY": cleaned(e.Summary)}
		for name, v := range map[string]string{"LOCATION": location, "DESCRIPTION": description} {
			if c := cleaned(v); c != "" {
				want[name] = c
			}
		}
		if diff := cmp.Diff(want, textProps(t, parse(t, raw))); diff != "" {
			t.Errorf("text properties (-want +got):\n%s", diff)
		}
	})
}

// cleaned is what a TEXT value should read back as: line breaks as LF, no
// control characters but the tab, and U+FFFD for each invalid UTF-8 octet.
func cleaned(s string) string {
	var sb strings.Builder
	for i, r := range s { // an invalid octet ranges as one utf8.RuneError
		switch {
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case r == '\r':
			sb.WriteByte('\n')
		case r == '\n' || r == '\t' || !unicode.IsControl(r):
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
