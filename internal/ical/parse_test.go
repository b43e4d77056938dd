package ical_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// prop is one unfolded content line: a name and its raw (still escaped) value.
type prop struct {
	Name, Value string
}

// physicalLines splits raw at CRLF, checking that every line ends with one,
// that no bare CR or LF is left and that no line passes 75 octets or breaks
// a UTF-8 sequence.
func physicalLines(t *testing.T, raw []byte) []string {
	t.Helper()
	s := string(raw)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("calendar does not end with CRLF: %q", s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	for i, line := range lines {
		switch {
		case strings.ContainsAny(line, "\r\n"):
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		case len(line) > 75:
			t.Errorf("line %d is %d octets long: %q", i+1, len(line), line)
		case !utf8.ValidString(line):
			t.Errorf("line %d is not valid UTF-8 on its own: %q", i+1, line)
		}
	}
	return lines
}

// parse unfolds the physical lines of raw (RFC 5545 3.1) and splits each
// content line at its first colon; Muster writes no parameters.
func parse(t *testing.T, raw []byte) []prop {
	t.Helper()
	var props []prop
	for i, line := range physicalLines(t, raw) {
		if rest, ok := strings.CutPrefix(line, " "); ok {
			if len(props) == 0 {
				t.Fatalf("line %d continues nothing: %q", i+1, line)
			}
			props[len(props)-1].Value += rest
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("line %d has no colon: %q", i+1, line)
		}
		props = append(props, prop{name, value})
	}
	return props
}

// unescape reads a TEXT value (RFC 5545 3.3.11), refusing an unescaped comma
// or semicolon and an unknown escape.
func unescape(v string) (string, error) {
	var sb strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ',' || c == ';':
			return "", fmt.Errorf("unescaped %q at %d in %q", c, i, v)
		case c != '\\':
			sb.WriteByte(c)
			continue
		case i+1 == len(v):
			return "", errors.New("dangling backslash in " + v)
		}
		i++
		switch v[i] {
		case '\\', ';', ',':
			sb.WriteByte(v[i])
		case 'n', 'N':
			sb.WriteByte('\n')
		default:
			return "", fmt.Errorf("unknown escape \\%c in %q", v[i], v)
		}
	}
	return sb.String(), nil
}

// textProps returns the unescaped value of each TEXT property among props.
func textProps(t *testing.T, props []prop) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, p := range props {
		switch p.Name {
		case "UID", "SUMMARY", "LOCATION", "DESCRIPTION":
			v, err := unescape(p.Value)
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			got[p.Name] = v
		}
	}
	return got
}
