package smstext

import "strings"

// The typographic characters Normalize replaces, grouped by what replaces
// them. None of them is in the GSM-7 alphabet. Guillemets become straight
// double quotes too: the French no-break spaces inside them become plain
// spaces inside the quotes, which reads oddly but keeps the message in GSM-7.
const (
	singleQuotes = "‘’‚‛′"                          // become '
	doubleQuotes = "“”„‟″«»"                        // become "
	dashes       = "‐‑‒–—―−•"                       // become -, and so does the bullet
	ellipsis     = "…"                              // becomes ...
	zeroWidth    = "\u200b\u200c\u200d\u2060\ufeff" // are removed
	// spaces become a plain space: no-break, fixed-width and ideographic.
	spaces = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)

// Normalize returns body with typographic quotes, dashes, ellipses, spaces
// and zero-width characters replaced by GSM-7 ones, when that is all that
// keeps body out of GSM-7. Otherwise it returns body unchanged: a body that
// needs UCS-2 anyway keeps the organizer's typography, which then costs
// nothing more.
func Normalize(body string) string {
	if _, ok := gsmUnits(body); ok {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for _, r := range body {
		if s, ok := replacement(r); ok {
			b.WriteString(s)
			continue
		}
		if septets(r) == 0 {
			return body
		}
		b.WriteRune(r)
	}
	return b.String()
}

// replacement returns the GSM-7 text that stands in for the typographic
// character r, and false when r is not one Normalize replaces.
func replacement(r rune) (string, bool) {
	switch {
	case strings.ContainsRune(singleQuotes, r):
		return "'", true
	case strings.ContainsRune(doubleQuotes, r):
		return `"`, true
	case strings.ContainsRune(dashes, r):
		return "-", true
	case strings.ContainsRune(spaces, r):
		return " ", true
	case strings.ContainsRune(zeroWidth, r):
		return "", true
	case strings.ContainsRune(ellipsis, r):
		return "...", true
	}
	return "", false
}
