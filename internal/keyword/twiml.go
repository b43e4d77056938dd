package keyword

import (
	"encoding/xml"
	"strings"
)

const twimlHeader = `<?xml version="1.0" encoding="UTF-8"?>`

// TwiML returns the TwiML document that answers an inbound SMS with message,
// XML-escaped, or, when message is empty or blank, the document that sends
// no reply.
func TwiML(message string) string {
	if strings.TrimSpace(message) == "" {
		return twimlHeader + "<Response></Response>"
	}
	var b strings.Builder
	b.WriteString(twimlHeader + "<Response><Message>")
	_ = xml.EscapeText(&b, []byte(message)) // a strings.Builder never fails
	b.WriteString("</Message></Response>")
	return b.String()
}
