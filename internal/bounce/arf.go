package bounce

import (
	"net/mail"
	"net/textproto"
	"strings"
)

// arfReport reads a feedback report (RFC 5965). The recipients are the
// report's Original-Rcpt-To fields or, as most mailbox providers leave those
// out, the original message's To.
func arfReport(p parts) Report {
	fields := textproto.MIMEHeader{}
	for _, block := range readBlocks(p.report) { // one block, unless a stray blank line split it
		for k, v := range block {
			fields[k] = append(fields[k], v...)
		}
	}
	feedbackType := strings.ToLower(firstWord(fields.Get("Feedback-Type")))
	kind := feedbackKind(feedbackType)
	addrs := rcptTo(fields.Values("Original-Rcpt-To"))
	if len(addrs) == 0 {
		addrs = toAddresses(p.original.Values("To"))
	}
	rep := Report{Kind: kind, FeedbackType: feedbackType}
	for _, a := range addrs {
		rep.Recipients = append(rep.Recipients, Recipient{Address: a, Kind: kind})
	}
	rep.MessageID = firstMessageID(p.original.Get("Message-Id"), p.header.Get("In-Reply-To"))
	return rep
}

// feedbackKind classifies a Feedback-Type. Abuse and fraud are the recipient
// saying they did not want the message. Virus, auth-failure (RFC 6591),
// not-spam (RFC 6430), other and unknown types are reports about the message
// or the sender's authentication, not the recipient's wish: soft.
func feedbackKind(feedbackType string) Kind {
	switch feedbackType {
	case "abuse", "fraud":
		return Complaint
	}
	return Soft
}

// rcptTo returns the addresses in Original-Rcpt-To values ("<a@example.net>").
func rcptTo(values []string) []string {
	var addrs []string
	for _, v := range values {
		if a := mailbox(v); a != "" {
			addrs = append(addrs, a)
		}
	}
	return addrs
}

// toAddresses returns the addresses in To header values; values that do not
// parse, such as a provider's redaction, give none.
func toAddresses(values []string) []string {
	var addrs []string
	for _, v := range values {
		list, err := mail.ParseAddressList(v)
		if err != nil {
			continue
		}
		for _, a := range list {
			if m := mailbox(a.Address); m != "" {
				addrs = append(addrs, m)
			}
		}
	}
	return addrs
}
