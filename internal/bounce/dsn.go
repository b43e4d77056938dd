package bounce

import (
	"net/textproto"
	"strings"
)

// dsnReport reads a delivery status notification (RFC 3464).
func dsnReport(p parts) Report {
	rep := Report{Kind: Soft}
	var perMessage textproto.MIMEHeader
	for _, block := range readBlocks(p.report) {
		if !isRecipientBlock(block) {
			if perMessage == nil {
				perMessage = block
			}
			continue
		}
		r, ok := dsnRecipient(block)
		if !ok {
			continue
		}
		rep.Recipients = append(rep.Recipients, r)
		if r.Kind == Hard {
			rep.Kind = Hard
		}
	}
	// Gmail names the original message in the per-message fields; Microsoft
	// threads its reports to it.
	rep.MessageID = firstMessageID(p.original.Get("Message-Id"),
		perMessage.Get("X-Original-Message-Id"), p.header.Get("In-Reply-To"))
	return rep
}

// isRecipientBlock reports whether block holds per-recipient fields. Blocks are
// told apart by their fields rather than by position, so that a report without
// per-message fields, or with both kinds in one block, still reads.
func isRecipientBlock(block textproto.MIMEHeader) bool {
	return block.Get("Final-Recipient") != "" || block.Get("Original-Recipient") != ""
}

// dsnRecipient returns the recipient that block describes, and false when it
// has no usable address or was not a failure (delivered, relayed, expanded).
func dsnRecipient(block textproto.MIMEHeader) (Recipient, bool) {
	addr := address(block.Get("Original-Recipient"))
	if addr == "" {
		addr = address(block.Get("Final-Recipient"))
	}
	if addr == "" {
		return Recipient{}, false
	}
	r := Recipient{
		Address:    addr,
		Action:     strings.ToLower(firstWord(block.Get("Action"))),
		Status:     statusCode(block.Get("Status")),
		Diagnostic: diagnostic(block.Get("Diagnostic-Code")),
	}
	kind, ok := classify(r.Action, effectiveStatus(r.Status, r.Diagnostic))
	r.Kind = kind
	return r, ok
}

// classify returns the kind of a recipient with the given action and status,
// and false when the action says the message was not a failure. A missing or
// unknown action is inferred from the status class.
func classify(action, status string) (Kind, bool) {
	switch action {
	case "delivered", "relayed", "expanded":
		return "", false
	case "delayed":
		return Soft, true
	case "failed":
		return failureKind(status), true
	}
	switch statusClass(status) {
	case "5":
		return failureKind(status), true
	case "4":
		return Soft, true
	}
	return "", false
}

// failureKind classifies a failed recipient by its status. Only a permanent
// status (5.x.x) is hard, and not every one: suppression is for good, so a
// status about our sender or message, or one the recipient can fix, is soft.
func failureKind(status string) Kind {
	class, rest, _ := strings.Cut(status, ".")
	subject, _, _ := strings.Cut(rest, ".")
	if class != "5" {
		return Soft // 4.x.x, or no status at all: nothing proves the address bad
	}
	switch subject {
	case "6", "7": // media and policy: our content, reputation or authentication
		return Soft
	}
	switch rest {
	case "1.7", "1.8", // bad sender's mailbox or system: our address, not theirs
		"2.2",        // mailbox full
		"2.3", "3.4", // message too big
		"4.7": // delivery time expired: unreachable for days, not proven gone
		return Soft
	}
	return Hard
}

// effectiveStatus returns the status to classify by. Some MTAs (Exim) put a
// generic 5.0.0 in Status and the remote server's specific code, which may be
// a 5.7.1 policy block, only in its SMTP reply in the Diagnostic-Code.
func effectiveStatus(status, diag string) string {
	d := diagnosticStatus(diag)
	switch {
	case d == "":
		return status
	case status == "":
		return d
	case status[1:] == ".0.0" && status[0] == d[0]:
		return d
	}
	return status
}

// diagnosticStatus returns the enhanced status code in an SMTP reply such as
// "550 5.1.1 <a@example.net>: User unknown", "550-5.7.1 ..." or
// "550 #5.1.0 Address rejected", or "" if the reply has none.
func diagnosticStatus(reply string) string {
	if len(reply) < 4 || !isDigits(reply[:3], 3) || (reply[3] != ' ' && reply[3] != '-') {
		return ""
	}
	code := strings.TrimPrefix(firstWord(reply[4:]), "#")
	if !validStatus(code) {
		return ""
	}
	return code
}

// statusCode returns the enhanced status code that a Status field starts
// with, without any comment after it, or "" if it does not start with one.
func statusCode(field string) string {
	code := firstWord(field)
	if !validStatus(code) {
		return ""
	}
	return code
}

// validStatus reports whether code is an enhanced status code (RFC 3463):
// class 2, 4 or 5, then subject and detail of one to three digits.
func validStatus(code string) bool {
	class, rest, ok := strings.Cut(code, ".")
	subject, detail, ok2 := strings.Cut(rest, ".")
	return ok && ok2 && (class == "2" || class == "4" || class == "5") &&
		isDigits(subject, 3) && isDigits(detail, 3)
}

// statusClass returns the class digit of a valid status code, or "".
func statusClass(status string) string {
	if status == "" {
		return ""
	}
	return status[:1]
}

// diagnostic returns a Diagnostic-Code without its type ("smtp; 550 ..." gives
// "550 ..."). A field without a type is returned whole.
func diagnostic(field string) string {
	typ, text, ok := strings.Cut(field, ";")
	if ok && isAtom(strings.TrimSpace(typ)) {
		return strings.TrimSpace(text)
	}
	return strings.TrimSpace(field)
}

// firstWord returns s up to its first space or tab, without leading blanks.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t")
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i]
	}
	return s
}

// isDigits reports whether s is one to max ASCII digits.
func isDigits(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isAtom reports whether s is a non-empty run of ASCII letters, digits and
// hyphens, such as the type of a DSN field ("smtp", "X-Postfix").
func isAtom(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if !isAtomByte(s[i]) {
			return false
		}
	}
	return true
}

// isAtomByte reports whether c is an ASCII letter, digit or hyphen.
func isAtomByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}
