// Package bounce reads the reports that mail systems send back after they
// accepted a message: delivery status notifications (RFC 3464) for bounces
// that arrive later, and feedback reports (RFC 5965) for spam complaints. It
// says which recipients to suppress and which message the report is about.
package bounce

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Kind is what a report, or one recipient in it, asks of the sender.
type Kind string

// The kinds of report.
const (
	// Hard is a permanent failure that is about the address itself (unknown
	// mailbox, disabled account, domain without mail): suppress the address.
	Hard Kind = "hard"
	// Soft is anything that does not condemn the address: a delay, a
	// transient failure, a permanent failure about the sender or the message
	// rather than the address (policy blocks, mailbox full, message too big),
	// or a feedback report that is not a complaint. Nothing to suppress.
	Soft Kind = "soft"
	// Complaint is a recipient's abuse or fraud report: suppress the recipient.
	Complaint Kind = "complaint"
)

// MaxSize is the largest message Parse accepts, in bytes: a report about
// one of Muster's messages, the message attached, is a few hundred kilobytes.
const MaxSize = 1 << 20

// MaxRecipients is the most recipients a report may name. Muster sends one
// message per recipient, so a genuine report names one (or a few, with
// aliases); one that names more is forged or broken, and suppressing the first
// thousand of a forged list would silence real people.
const MaxRecipients = 1000

var (
	// ErrNotReport is returned for a message that is neither a delivery status
	// notification nor a feedback report, such as an out-of-office reply.
	ErrNotReport = errors.New("bounce: not a delivery status or feedback report")
	// ErrTooLarge is returned for a message longer than MaxSize.
	ErrTooLarge = errors.New("bounce: message longer than MaxSize")
	// ErrTooManyRecipients is returned for a report that names more than
	// MaxRecipients recipients; nothing of it should be acted on.
	ErrTooManyRecipients = errors.New("bounce: report names more than MaxRecipients recipients")
)

// Report is what a bounce or a complaint says.
type Report struct {
	// Kind is Hard if any recipient is Hard; Complaint for an abuse or fraud
	// feedback report; Soft otherwise.
	Kind Kind
	// Recipients are the failed or delayed recipients of a delivery status
	// notification (delivered, relayed and expanded ones are left out), or the
	// recipients a feedback report is about. Every Address is non-empty.
	Recipients []Recipient
	// MessageID is the original message's Message-ID without angle brackets,
	// or empty when the report does not say it.
	MessageID string
	// FeedbackType is a feedback report's Feedback-Type, lower-cased ("abuse").
	FeedbackType string
}

// Recipient is one recipient of the original message that a report is about.
type Recipient struct {
	// Address is the bare address, as the report writes it: the
	// Original-Recipient of a delivery status notification when it has one
	// (the address as we submitted it, before the receiving side's aliases),
	// else its Final-Recipient.
	Address string
	// Action is the lower-cased action ("failed", "delayed"); empty for a
	// feedback report.
	Action string
	// Status is the enhanced status code (RFC 3463) such as "5.1.1", empty when
	// missing or malformed.
	Status string
	// Diagnostic is the Diagnostic-Code without its type, usually the remote
	// server's SMTP reply ("550 5.1.1 <a@example.net>: User unknown").
	Diagnostic string
	// Kind is the recipient's classification.
	Kind Kind
}

// Parse reads a raw RFC 5322 message and returns the report it carries. It
// returns ErrNotReport for a message that carries none, which the caller can
// acknowledge and drop, ErrTooLarge for a message longer than MaxSize, and
// ErrTooManyRecipients for a report naming more than MaxRecipients.
// Parse is lenient: a damaged report yields what can be read of it.
func Parse(r io.Reader) (Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return Report{}, fmt.Errorf("bounce: reading message: %w", err)
	}
	if len(data) > MaxSize {
		return Report{}, ErrTooLarge
	}
	br := bufio.NewReader(bytes.NewReader(data))
	header, _ := readFields(br)
	p := parts{header: header}
	p.walk(header, br, 0)
	var rep Report
	switch p.reportType {
	case "message/delivery-status", "message/global-delivery-status":
		rep = dsnReport(p)
	case "message/feedback-report":
		rep = arfReport(p)
	default:
		return Report{}, ErrNotReport
	}
	if len(rep.Recipients) > MaxRecipients {
		return Report{}, ErrTooManyRecipients
	}
	return rep, nil
}
