package bounce

import (
	"bufio"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// maxDepth bounds how deep Parse follows nested multiparts. Real reports nest
// two or three deep; the bound keeps hostile input from nesting thousands deep.
const maxDepth = 8

// parts holds what Parse needs from a message's MIME tree.
type parts struct {
	// header is the header of the message itself.
	header textproto.MIMEHeader
	// reportType is the media type of the first report part, empty if none.
	reportType string
	// report is that part's decoded body.
	report []byte
	// original is the header of the original message, nil when the report
	// does not include it.
	original textproto.MIMEHeader
}

// walk looks through the entity with header h and body body for a report part
// and the original message. It descends into multiparts, never into attached
// messages: a bounce forwarded as an attachment is not a bounce for us.
func (p *parts) walk(h textproto.MIMEHeader, body io.Reader, depth int) {
	mediaType, params := contentType(h)
	switch mediaType {
	case "message/delivery-status", "message/global-delivery-status", "message/feedback-report":
		if p.reportType == "" {
			p.reportType = mediaType
			p.report, _ = io.ReadAll(decode(h, body)) // a truncated part is read as far as it goes
		}
	case "text/rfc822-headers", "message/rfc822", "message/global-headers", "message/global":
		if p.original == nil {
			p.original, _ = readFields(bufio.NewReader(decode(h, body)))
			p.original = nonNil(p.original)
		}
	default:
		if strings.HasPrefix(mediaType, "multipart/") && depth < maxDepth {
			p.walkMultipart(body, params["boundary"], depth+1)
		}
	}
}

// walkMultipart walks each part of a multipart body. A malformed part ends the
// walk: what was found before it still counts.
func (p *parts) walkMultipart(body io.Reader, boundary string, depth int) {
	if boundary == "" {
		return
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			return
		}
		p.walk(part.Header, part, depth)
	}
}

// contentType returns the lower-cased media type of h and its parameters, whose
// names mime.ParseMediaType lower-cases too. A missing Content-Type is
// text/plain, as RFC 2045 says.
func contentType(h textproto.MIMEHeader) (string, map[string]string) {
	v := h.Get("Content-Type")
	if v == "" {
		return "text/plain", nil
	}
	// On a bad parameter ParseMediaType still returns the media type.
	mediaType, params, _ := mime.ParseMediaType(v)
	return mediaType, params
}

// decode undoes the Content-Transfer-Encoding of an entity's body.
func decode(h textproto.MIMEHeader, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, skipBlanks{body})
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	}
	return body
}

// skipBlanks reads r without its spaces and tabs, which some mailers leave in
// base64 bodies and encoding/base64 refuses (it skips line ends itself).
type skipBlanks struct{ r io.Reader }

// Read implements io.Reader.
func (s skipBlanks) Read(b []byte) (int, error) {
	n, err := s.r.Read(b)
	kept := 0
	for _, c := range b[:n] {
		if c != ' ' && c != '\t' {
			b[kept] = c
			kept++
		}
	}
	return kept, err
}

// nonNil returns h, or an empty header if h is nil, so that a part that was
// found but empty still counts as found.
func nonNil(h textproto.MIMEHeader) textproto.MIMEHeader {
	if h == nil {
		return textproto.MIMEHeader{}
	}
	return h
}
