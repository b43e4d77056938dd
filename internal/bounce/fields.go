package bounce

import (
	"bufio"
	"bytes"
	"net/textproto"
	"strings"
)

// readBlocks reads every non-empty block of header fields in data, as in the
// body of a message/delivery-status part, where blank lines separate blocks.
func readBlocks(data []byte) []textproto.MIMEHeader {
	br := bufio.NewReader(bytes.NewReader(data))
	var blocks []textproto.MIMEHeader
	for done := false; !done; {
		var h textproto.MIMEHeader
		h, done = readFields(br)
		if len(h) > 0 {
			blocks = append(blocks, h)
		}
	}
	return blocks
}

// readFields reads one block of header fields, up to a blank line or the end
// of the input, and reports whether the input ended. Unlike net/textproto it
// takes what real mailers write: LF or CRLF line ends, an mbox "From " line,
// lines that are no field at all (skipped). Folded lines are unfolded with one
// space. The header is nil when the block has no field.
func readFields(br *bufio.Reader) (textproto.MIMEHeader, bool) {
	var h textproto.MIMEHeader
	var field []string // the current field's lines, folded ones included
	for {
		line, err := br.ReadString('\n')
		if strings.TrimSpace(line) == "" {
			return addField(h, field), err != nil
		}
		if line[0] != ' ' && line[0] != '\t' {
			h = addField(h, field)
			field = field[:0]
		}
		field = append(field, strings.TrimSpace(line))
		if err != nil {
			return addField(h, field), true
		}
	}
}

// addField adds the field whose lines are lines to h, allocating h if needed,
// and returns h. Lines that do not start with a field name are dropped.
func addField(h textproto.MIMEHeader, lines []string) textproto.MIMEHeader {
	if len(lines) == 0 {
		return h
	}
	name, value, ok := strings.Cut(lines[0], ":")
	name = strings.TrimRight(name, " \t")
	if !ok || !validName(name) {
		return h
	}
	if h == nil {
		h = textproto.MIMEHeader{}
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	value = strings.TrimSpace(value + " " + strings.Join(lines[1:], " "))
	h[key] = append(h[key], value)
	return h
}

// validName reports whether name is a field name: printable ASCII without
// spaces or colons (RFC 5322 section 3.6.8).
func validName(name string) bool {
	if name == "" {
		return false
	}
	for i := range len(name) {
		if name[i] <= ' ' || name[i] >= 0x7f {
			return false
		}
	}
	return true
}
