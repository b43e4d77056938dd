package bounce

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// address returns the mailbox in a DSN recipient field such as
// "rfc822; a@example.net", or "" when the field holds none. The type is
// matched without regard to case; a field without a type is taken as rfc822,
// and a utf-8 address (RFC 6533) has its \x{HEX} escapes decoded.
func address(field string) string {
	typ, addr, ok := strings.Cut(field, ";")
	if !ok {
		typ, addr = "rfc822", field
	}
	switch strings.ToLower(strings.TrimSpace(typ)) {
	case "rfc822":
	case "utf-8":
		addr = unescapeUnicode(addr)
	default: // x400, unknown...: no address we could have sent to
		return ""
	}
	return mailbox(addr)
}

// mailbox returns addr without surrounding blanks and angle brackets if it
// looks like local@domain, else "".
func mailbox(addr string) string {
	addr = strings.TrimSpace(addr)
	if strings.HasPrefix(addr, "<") && strings.HasSuffix(addr, ">") {
		addr = strings.TrimSpace(addr[1 : len(addr)-1])
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 || !utf8.ValidString(addr) || strings.ContainsFunc(addr, notInAddress) {
		return ""
	}
	return addr
}

// notInAddress reports whether r cannot appear in a bare address that we
// would have sent to.
func notInAddress(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>,;", r)
}

// unescapeUnicode decodes the \x{HEX} escapes with which RFC 6533 writes
// non-ASCII characters in utf-8 addresses ("j\x{F6}rg@example.net"). Other
// text, malformed escapes included, is kept as it is.
func unescapeUnicode(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, `\x{`)
		if i < 0 {
			break
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			break
		}
		b.WriteString(s[:i])
		n, err := strconv.ParseUint(s[i+3:i+end], 16, 32)
		if r := rune(n); err == nil && utf8.ValidRune(r) {
			b.WriteRune(r)
		} else {
			b.WriteString(s[i : i+end+1])
		}
		s = s[i+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// firstMessageID returns the first of values that holds a message ID, without
// its angle brackets, or "".
func firstMessageID(values ...string) string {
	for _, v := range values {
		if id := messageID(v); id != "" {
			return id
		}
	}
	return ""
}

// messageID returns the first message ID in a Message-ID or In-Reply-To value
// ("<a@example.org>"), without angle brackets; a bare ID is accepted too.
func messageID(v string) string {
	v = strings.TrimSpace(v)
	if start := strings.IndexByte(v, '<'); start >= 0 {
		end := strings.IndexByte(v[start:], '>')
		if end < 0 {
			return ""
		}
		v = strings.TrimSpace(v[start+1 : start+end])
	}
	if v == "" || !utf8.ValidString(v) || strings.ContainsFunc(v, notInAddress) {
		return ""
	}
	return v
}
