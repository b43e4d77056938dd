// Package failure classifies why a provider refused or failed a message, so that
// each class gets its own action: retry, wait, give up on the recipient, or stop
// the channel.
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
	// Transient failures (network errors, SMTP 4xx, Twilio 5xx) are retried with backoff.
	Transient Class = "transient"
	// RateLimited failures wait and retry without spending the retry budget.
	RateLimited Class = "rate_limited"
	// Recipient failures (unknown mailbox, invalid number, STOP) fail at once and suppress.
	Recipient Class = "recipient"
	// Config failures (bad credentials, bad sender) stop the alert's channel.
	Config Class = "config"
)

// Error is a classified provider error.
type Error struct {
	Class Class
	// Code is the provider's code: an SMTP reply code with its enhanced status
	// ("550 5.1.1"), a Twilio error code ("21610"), or a short word ("network").
	Code string
	// Unsubscribe is set when the recipient asked to stop (Twilio 21610): the
	// subscription becomes unsubscribed rather than suppressed.
	Unsubscribe bool
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
