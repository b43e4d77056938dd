package ical_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/ical"
)

func humanChain() ical.Event {
	london := time.FixedZone("BST", 60*60) // fixed, so that the tests need no tzdata
	return ical.Event{
		UID:         "a12@muster.example.org",
		Start:       time.Date(2022, 10, 8, 13, 0, 0, 0, london),
		End:         time.Date(2022, 10, 8, 15, 0, 0, 0, london),
		Summary:     "Human chain around Parliament",
		Location:    "Parliament Square, London SW1P 3BD",
		Description: "Join hands with thousands around the Houses of Parliament.\nBring a friend; wear green.",
		URL:         "https://muster.example.org/a/a12",
		Stamp:       time.Date(2022, 10, 1, 9, 30, 0, 0, time.UTC),
	}
}

func TestEncode(t *testing.T) {
	got, err := humanChain().Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	want := "BEGIN:VCALENDAR\r\n" +
		"VERSION:2.0\r\n" +
		"PRODID:-//Muster//Muster//EN\r\n" +
		"CALSCALE:GREGORIAN\r\n" +
		"METHOD:PUBLISH\r\n" +
		"BEGIN:VEVENT\r\n" +
		"UID:a12@muster.example.org\r\n" +
		"DTSTAMP:20221001T093000Z\r\n" +
		"DTSTART:20221008T120000Z\r\n" +
		"DTEND:20221008T140000Z\r\n" +
		"SUMMARY:Human chain around Parliament\r\n" +
		"LOCATION:Parliament Square\\, London SW1P 3BD\r\n" +
		"DESCRIPTION:Join hands with thousands around the Houses of Parliament.\\nBri\r\n" +
		" ng a friend\\; wear green.\r\n" +
		"URL:https://muster.example.org/a/a12\r\n" +
		"END:VEVENT\r\n" +
		"END:VCALENDAR\r\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("calendar (-want +got):\n%s", diff)
	}
}

func TestEncodeOptionalFields(t *testing.T) {
	e := humanChain()
	e.End, e.Location, e.Description, e.URL = time.Time{}, "", "", ""
	e.Start = e.Start.Add(999 * time.Millisecond) // written to the second
	raw, err := e.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	want := []prop{
		{"BEGIN", "VCALENDAR"}, {"VERSION", "2.0"}, {"PRODID", "-//Muster//Muster//EN"},
		{"CALSCALE", "GREGORIAN"}, {"METHOD", "PUBLISH"}, {"BEGIN", "VEVENT"},
		{"UID", "a12@muster.example.org"}, {"DTSTAMP", "20221001T093000Z"},
		{"DTSTART", "20221008T120000Z"}, {"DTEND", "20221008T140000Z"}, // DefaultDuration
		{"SUMMARY", "Human chain around Parliament"},
		{"END", "VEVENT"}, {"END", "VCALENDAR"},
	}
	if diff := cmp.Diff(want, parse(t, raw)); diff != "" {
		t.Errorf("properties (-want +got):\n%s", diff)
	}
}

func TestEncodeRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(*ical.Event)
		want string
	}{
		{"zero start", func(e *ical.Event) { e.Start = time.Time{} }, "no start"},
		{"zero stamp", func(e *ical.Event) { e.Stamp = time.Time{} }, "no stamp"},
		{"empty UID", func(e *ical.Event) { e.UID = "" }, "no UID"},
		{"UID of control characters only", func(e *ical.Event) { e.UID = "\x00\x1b" }, "no UID"},
		{"empty summary", func(e *ical.Event) { e.Summary = "" }, "no summary"},
		{"end before start", func(e *ical.Event) { e.End = e.Start.Add(-time.Minute) }, "not after its start"},
		{"end at start", func(e *ical.Event) { e.End = e.Start }, "not after its start"},
		{"end within the start's second", func(e *ical.Event) { e.End = e.Start.Add(time.Millisecond) }, "not after its start"},
		{"year past 9999", func(e *ical.Event) { e.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "outside years"},
		{"relative URL", func(e *ical.Event) { e.URL = "/a/a12" }, "not an absolute URL"},
		{"URL with a line break", func(e *ical.Event) { e.URL = "https://e.org/a\r\nX:y" }, "not an absolute URL"},
		{"URL with a space", func(e *ical.Event) { e.URL = "https://e.org/a b" }, "not an absolute URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := humanChain()
			tt.edit(&e)
			got, err := e.Encode()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Encode error %v, want one saying %q", err, tt.want)
			}
			if got != nil {
				t.Errorf("Encode returned %d bytes with its error", len(got))
			}
		})
	}
}

func TestEncodeEscapes(t *testing.T) {
	tests := []struct {
		name, summary, want string
	}{
		{"comma, semicolon, backslash", `a,b;c\d`, `a\,b\;c\\d`},
		{"a backslash and n stay two characters", `C:\new`, `C:\\new`},
		{"LF", "one\ntwo", `one\ntwo`},
		{"CRLF and a lone CR", "one\r\ntwo\rthree", `one\ntwo\nthree`},
		{"colon and double quote need no escape", `Time: "13:00"`, `Time: "13:00"`},
		{"tab kept", "a\tb", "a\tb"},
		{"C0, DEL and C1 controls dropped", "a\x00b\x1bc\x7fd\u0085e", "abcde"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb"},
		{"non-ASCII untouched", "Cadena humana — sábado 🙌", "Cadena humana — sábado 🙌"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := humanChain()
			e.Summary = tt.summary
			raw, err := e.Encode()
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got := map[string]string{}
			for _, p := range parse(t, raw) {
				got[p.Name] = p.Value
			}
			if diff := cmp.Diff(tt.want, got["SUMMARY"]); diff != "" {
				t.Errorf("SUMMARY value (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeFolds(t *testing.T) {
	// "SUMMARY:" is 8 octets, so a summary of n ASCII octets fills 8+n.
	tests := []struct {
		name       string
		summary    string
		wantFolded bool
	}{
		{"75 octets stay on one line", strings.Repeat("a", 67), false},
		{"76 octets fold", strings.Repeat("a", 68), true},
		{"2-octet é across octet 75", strings.Repeat("a", 66) + "é" + strings.Repeat("b", 80), true},
		{"4-octet emoji across octet 75", strings.Repeat("a", 65) + "🙌" + strings.Repeat("é", 80), true},
		{"3-octet CJK only", strings.Repeat("人链", 60), true},
		{"escapes across the fold", strings.Repeat(",", 120), true},
		{"long Spanish summary", strings.Repeat("Cadena humana ante el Parlamento — sábado 13:00 🙌, ", 6), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := humanChain()
			e.Summary, e.Description = tt.summary, "" // the only line that may fold
			raw, err := e.Encode()
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			lines := physicalLines(t, raw)
			folded := false
			for _, line := range lines {
				folded = folded || strings.HasPrefix(line, " ")
			}
			if folded != tt.wantFolded {
				t.Errorf("folded = %v, want %v:\n%s", folded, tt.wantFolded, raw)
			}
			if diff := cmp.Diff(tt.summary, textProps(t, parse(t, raw))["SUMMARY"]); diff != "" {
				t.Errorf("unfolded SUMMARY (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeParsesBack(t *testing.T) {
	e := humanChain()
	e.UID = "a12;d,34@muster.example.org"
	e.Summary = "Cadeia humana no Parlamento — sábado, 8 de outubro, 13h; traga um amigo 🙌"
	e.Location = "Parliament Square; entrance \\ gate 3, Westminster"
	e.Description = "Olá Ana,\r\n\r\nNos vemos em Parliament Square.\nTraga água, um cartaz; e calma.\n\n— Equipe"
	raw, err := e.Encode()
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	want := map[string]string{
		"UID":         e.UID,
		"SUMMARY":     e.Summary,
		"LOCATION":    e.Location,
		"DESCRIPTION": strings.ReplaceAll(e.Description, "\r\n", "\n"),
	}
	if diff := cmp.Diff(want, textProps(t, parse(t, raw))); diff != "" {
		t.Errorf("text properties (-want +got):\n%s", diff)
	}
}
