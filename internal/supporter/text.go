package supporter

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FreeText trims one line of free text a person wrote (a name, a consent
// text, a campaign's name) and checks it: valid UTF-8, at most maxRunes
// characters, and no control characters, which no one types and which break
// the SMS, emails, CSV exports and logs the text ends up in.
func FreeText(s string, maxRunes int) (string, error) {
	return freeText(s, maxRunes, false)
}

// FreeTextLines is FreeText for text that may span lines, such as a postal
// address: line feeds are kept, and a CRLF or a lone CR becomes a line feed.
func FreeTextLines(s string, maxRunes int) (string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return freeText(strings.ReplaceAll(s, "\r", "\n"), maxRunes, true)
}

func freeText(s string, maxRunes int, lines bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("is not valid UTF-8")
	}
	s = strings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > maxRunes {
		return "", fmt.Errorf("is %d characters, more than the %d allowed", n, maxRunes)
	}
	for _, r := range s {
		if r == '\n' && lines {
			continue
		}
		if forbidden(r) {
			return "", fmt.Errorf("contains the control character U+%04X", r)
		}
	}
	return s, nil
}

// forbidden reports whether r may not appear in free text: a control
// character (C0, DEL, C1; tabs and line breaks included) or Unicode's line
// and paragraph separators, which break lines like a line feed. Format
// characters stay allowed: the zero-width joiners are part of emoji and of
// Persian and Indic writing.
func forbidden(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
