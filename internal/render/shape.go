package render

import (
	"html/template"
	"strings"
	"unicode/utf8"
)

// A shape is an alert rendered once for every supporter who gets the same variant,
// time zone, and name and link presence, with stand-ins in place of their first
// name and unsubscribe link. The stand-ins are made of characters that every
// escaping context of html/template writes differently ('<' is "&lt;" in HTML
// text and attributes, "%3c" in a URL, "\u003c" in JavaScript, "\3c " or a
// filtered value in CSS; '=' and '`' tell unquoted attributes apart; '+' tells
// html/template's escaper from template.HTMLEscapeString), so where a stand-in
// shows up in any form other than an expected one, the place is not plainly
// escaped and the shape is rendered for each supporter instead.
const (
	hostileName = "zqFN<=`'\"&+>"
	nameMark    = "zqFN"
	// hostileURL is a link that html/template's URL filter and normalizer leave as
	// it is, as they leave every plainURL, so in an href it shows HTML-escaped only.
	hostileURL = "https://zqUR.invalid/u?a=&b=+"
	urlMark    = "zqUR"

	// The benign stand-ins check a shape: filled with them, it must give what a
	// direct rendering with them gives. A filter that blocks the hostile stand-in
	// but passes ordinary text, or text that happens to hold a stand-in, fails this.
	benignName = "QzName"
	benignURL  = "https://QzLink.invalid/u"
)

// slotValue names a per-supporter value.
type slotValue uint8

const (
	slotName slotValue = iota
	slotURL
	nSlotValues
)

// encoding is how a value is written where it lands.
type encoding uint8

const (
	encRaw        encoding = iota // plain text: subject, text part, SMS
	encHTML                       // html/template's escaper for HTML text, attributes and RCDATA
	encHTMLString                 // template.HTMLEscapeString, for inline content's text
	nEncodings
)

// encode writes s as e does.
func (e encoding) encode(s string) string {
	switch e {
	case encHTML:
		return htmlTemplateEscape(s)
	case encHTMLString:
		return template.HTMLEscapeString(s)
	}
	return s
}

// htmlTemplateEscape is what html/template's htmlEscaper, attrEscaper and
// rcdataEscaper do to a plain string: a byte-wise replacement of ASCII only, which
// template.HTMLEscapeString is not ('+' differs).
func htmlTemplateEscape(s string) string {
	if !strings.ContainsAny(s, "\x00\"&'+<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := range len(s) {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// plainURL reports whether html/template prints u unchanged but for HTML escaping
// wherever a URL may start or continue an attribute: an http(s) link made only of
// characters its URL normalizer keeps (no ',' either, for srcset).
func plainURL(u string) bool {
	rest, ok := strings.CutPrefix(u, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(u, "http://"); !ok {
			return false
		}
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~!#$&*+/:;=?@[]", c) >= 0:
		case c == '%' && i+2 < len(rest) && isHex(rest[i+1]) && isHex(rest[i+2]):
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// fillable reports whether a supporter's values may be filled into a shape: the
// first name is valid UTF-8 (so it cannot merge with bytes around it) and the link
// is plain. A first name never holds white space, so trimming and line tidying
// treat it as they treat the stand-in.
func fillable(name, url string) bool {
	return utf8.ValidString(name) && (url == "" || plainURL(url))
}

// standIn returns the hostile stand-in of v, and the mark that every form of it holds.
func standIn(v slotValue) (value, mark string) {
	if v == slotName {
		return hostileName, nameMark
	}
	return hostileURL, urlMark
}

// slot is a place in a part where a value goes, written with enc.
type slot struct {
	value slotValue
	enc   encoding
}

// cut is one part of a shape: lits[0], slots[0], lits[1], ... lits[len(slots)].
type cut struct {
	lits  []string
	slots []slot
	size  int // the literals' length
}

// cutAt cuts out the stand-ins of a part rendered with them. It fails where a
// stand-in's mark shows in a form other than those of encs.
func cutAt(out string, encs []encoding) (cut, bool) {
	var c cut
	last := 0
	for {
		at, v := nextMark(out, last)
		if at < 0 {
			break
		}
		start, end, enc, ok := formAt(out, at, v, encs)
		if !ok || start < last {
			return cut{}, false
		}
		c.lits = append(c.lits, out[last:start])
		c.slots = append(c.slots, slot{value: v, enc: enc})
		c.size += start - last
		last = end
	}
	c.lits = append(c.lits, out[last:])
	c.size += len(out) - last
	return c, true
}

// nextMark finds the first mark of any stand-in at or after from.
func nextMark(out string, from int) (int, slotValue) {
	at, which := -1, slotName
	for v := range nSlotValues {
		_, mark := standIn(v)
		if i := strings.Index(out[from:], mark); i >= 0 && (at < 0 || from+i < at) {
			at, which = from+i, v
		}
	}
	return at, which
}

// formAt finds which encoding of stand-in v has its mark at position at of out.
func formAt(out string, at int, v slotValue, encs []encoding) (start, end int, enc encoding, ok bool) {
	value, mark := standIn(v)
	for _, e := range encs {
		form := e.encode(value)
		start = at - strings.Index(form, mark)
		if start >= 0 && strings.HasPrefix(out[start:], form) {
			return start, start + len(form), e, true
		}
	}
	return 0, 0, 0, false
}

// values holds one supporter's values and their encodings, each made once.
type values struct {
	raw  [nSlotValues]string
	enc  [nSlotValues][nEncodings]string
	done [nSlotValues][nEncodings]bool
}

func (vs *values) get(s slot) string {
	if !vs.done[s.value][s.enc] {
		vs.enc[s.value][s.enc] = s.enc.encode(vs.raw[s.value])
		vs.done[s.value][s.enc] = true
	}
	return vs.enc[s.value][s.enc]
}

// fill puts the values into their places.
func (c *cut) fill(vs *values) string {
	if len(c.slots) == 0 {
		return c.lits[0]
	}
	n := c.size
	for _, s := range c.slots {
		n += len(vs.get(s))
	}
	var b strings.Builder
	b.Grow(n)
	for i, s := range c.slots {
		b.WriteString(c.lits[i])
		b.WriteString(vs.get(s))
	}
	b.WriteString(c.lits[len(c.slots)])
	return b.String()
}
