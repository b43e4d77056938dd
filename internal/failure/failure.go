// Package failure classifies why a provider refused or failed a message, so that
// each class gets its own action: retry, wait, give up on the recipient, stop
// the channel, or record that nobody can tell whether it went out.
package failure

import (
	"errors"
	"fmt"
	"time"
)

// Class is a kind of delivery failure.
type Class string

// The failure classes, as recorded on a delivery.
const (
	// Transient failures (network errors before the provider had the message,
	// SMTP 4xx, Twilio 5xx) are retried with backoff.
	Transient Class = "transient"
	// RateLimited failures wait and retry without spending the retry budget.
	RateLimited Class = "rate_limited"
	// Recipient failures are about this message's recipient: the message
	// fails at once. The address or number is suppressed only when the
	// provider's reply is a verdict on it (Error.Suppress).
	Recipient Class = "recipient"
	// Config failures (bad credentials, bad sender) are about our own account
	// or message: trusted on a fresh connection (Error.Fresh) or once several
	// recipients hit them, they stop the alert's channel.
	Config Class = "config"
	// Ambiguous failures leave the message's fate unknown: the provider may
	// have accepted it (the reply to the final dot of DATA was lost, Twilio
	// did not answer a request it had received). Such a message is never
	// re-sent silently.
	Ambiguous Class = "ambiguous"
)

// Error is a classified provider error.
type Error struct {
	Class Class
	// Code is the provider's code: an SMTP reply code with its enhanced status
	// ("550 5.1.1"), a Twilio error code ("21610"), or a short word ("network").
	Code string
	// Suppress is set on a Recipient failure whose reply is a verdict on the
	// address or number itself (the mailbox does not exist, the number is not
	// a mobile): the worker suppresses it on the channel. Without it, only
	// this message fails: an unknown code, or a bare 5xx from a server that
	// gives no enhanced status codes, decides nothing about the person.
	Suppress bool
	// Unsubscribe is set when the recipient asked to stop (Twilio 21610): the
	// subscription becomes unsubscribed rather than suppressed.
	Unsubscribe bool
	// Fresh is set on a Config failure that happened while setting up a new
	// connection or session (greeting, EHLO, STARTTLS, AUTH): a verdict on the
	// configuration that one occurrence suffices to trust.
	Fresh bool
	// RetryAfter is the provider's requested wait, if it gave one.
	RetryAfter time.Duration
	Err        error
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%s failure (%s): %v", e.Class, e.Code, e.Err)
}

// Unwrap returns the provider's error.
func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of err: the class of the *Error it wraps, or
// Transient for an unclassified error (a network fault is worth retrying).
func ClassOf(err error) Class {
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return Transient
}

// New returns a classified error.
func New(class Class, code string, err error) *Error {
	return &Error{Class: class, Code: code, Err: err}
}
