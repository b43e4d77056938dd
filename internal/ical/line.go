package ical

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLine is the longest a physical line may be, in octets and without its
// CRLF (RFC 5545 3.1).
const maxLine = 75

// appendLine appends the content line name:value, folded.
func appendLine(b []byte, name, value string) []byte {
	return appendFolded(b, name+":"+value)
}

// appendText appends a property whose value is TEXT, escaped.
func appendText(b []byte, name, value string) []byte {
	return appendLine(b, name, escape(value))
}

// appendOptional appends the property with add unless value is empty.
func appendOptional(b []byte, add func([]byte, string, string) []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	return add(b, name, value)
}

// appendFolded appends line ended by CRLF, broken before it passes maxLine
// octets by CRLF and a space (RFC 5545 3.1), never inside a UTF-8 sequence.
// The space counts towards the continuation line's length. line must be
// valid UTF-8.
func appendFolded(b []byte, line string) []byte {
	limit := maxLine
	for len(line) > limit {
		cut := limit
		for !utf8.RuneStart(line[cut]) {
			cut--
		}
		b = append(b, line[:cut]...)
		b = append(b, "\r\n "...)
		line = line[cut:]
		limit = maxLine - 1
	}
	b = append(b, line...)
	return append(b, "\r\n"...)
}

// escape escapes a TEXT value (RFC 5545 3.3.11). s has been cleaned, so its
// only line breaks are LF.
func escape(s string) string {
	if !strings.ContainsAny(s, "\\;,\n") {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '\\', ';', ',':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case '\n':
			sb.WriteString(`\n`)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// clean makes s fit for a TEXT value: CRLF and a lone CR become LF, other
// control characters except the tab are dropped (RFC 5545 3.3.11 allows
// none), and invalid UTF-8 becomes U+FFFD.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}
