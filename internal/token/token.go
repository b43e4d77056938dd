// Package token makes and checks the signed tokens in the links of emails:
// one-click unsubscribe links and the confirmation links of double opt-in.
// A token carries everything it stands for (purpose, supporter, campaign,
// channel, times) and an HMAC-SHA256 of it under a key derived from
// MUSTER_SECRET, so checking one needs no database lookup.
//
// Unsubscribe tokens never expire: an RFC 8058 one-click link in an email
// read a year later must still work, and a supporter who wants out must never
// meet "this link has expired". They carry their issue time all the same, for
// logs and for a future cut-off. Confirm tokens expire.
//
// Every token dies with the secret: rotating MUSTER_SECRET breaks every link
// already sent, unsubscribe links included.
package token

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"
)

// ErrInvalid is returned for a token that is malformed, forged, damaged, not
// in its one canonical spelling, or made for another purpose.
var ErrInvalid = errors.New("invalid token")

// ErrExpired is returned for a genuine confirm token checked at or after its
// expiry.
var ErrExpired = errors.New("expired token")

// minSecret is the shortest secret accepted, in bytes: the 256 bits of
// HMAC-SHA256's output.
const minSecret = 32

// Purpose is what a token may be used for. A token made for one purpose is
// refused for any other.
type Purpose string

// The purposes of tokens.
const (
	// Unsubscribe tokens end a supporter's subscription to a campaign on one
	// channel. They do not expire.
	Unsubscribe Purpose = "unsubscribe"
	// Confirm tokens confirm an email subscription (double opt-in). They
	// expire.
	Confirm Purpose = "confirm"
)

// Claims is what a genuine token says. Times are whole seconds in UTC.
type Claims struct {
	Purpose     Purpose
	SupporterID int64
	CampaignID  int64
	// Channel is "email" or "sms"; always "email" for Confirm.
	Channel string
	// Issued is when the token was made.
	Issued time.Time
	// Expires is the first instant the token is refused; zero for
	// Unsubscribe, which never expires.
	Expires time.Time
}

// Signer makes and checks tokens. It is safe for concurrent use.
type Signer struct {
	// Each purpose has its own key, so that a MAC made for one purpose
	// proves nothing for another even if the encodings ever met.
	unsubscribeKey, confirmKey []byte
}

// NewSigner returns a Signer whose keys are derived from secret
// (MUSTER_SECRET), which must be at least 32 bytes. It keeps no reference to
// secret.
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < minSecret {
		return nil, fmt.Errorf("token: secret is %d bytes, want at least %d", len(secret), minSecret)
	}
	return &Signer{
		unsubscribeKey: subkey(secret, Unsubscribe),
		confirmKey:     subkey(secret, Confirm),
	}, nil
}

// subkey derives the key of purpose p from secret.
func subkey(secret []byte, p Purpose) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("muster token key v1: " + string(p)))
	return h.Sum(nil)
}

// key returns the key of purpose p, or nil for an unknown purpose.
func (s *Signer) key(p Purpose) []byte {
	switch p {
	case Unsubscribe:
		return s.unsubscribeKey
	case Confirm:
		return s.confirmKey
	}
	return nil
}

// Unsubscribe returns a token that unsubscribes supporterID from campaignID
// on channel ("email" or "sms"), issued at now. The token never expires.
//
// It panics if an id is not positive, channel is unknown or now is not
// between 1970 and 9999: these are programming errors, and a token that
// Verify refuses would only put a dead link in an email.
func (s *Signer) Unsubscribe(supporterID, campaignID int64, channel string, now time.Time) string {
	return s.sign(Claims{
		Purpose: Unsubscribe, SupporterID: supporterID, CampaignID: campaignID,
		Channel: channel, Issued: seconds(now),
	})
}

// Confirm returns a token that confirms the email subscription of
// supporterID to campaignID, issued at now and valid for ttl, counted in
// whole seconds from now truncated to the second.
//
// It panics if an id is not positive, ttl is under a second or the token
// would not live between 1970 and 9999: these are programming errors.
func (s *Signer) Confirm(supporterID, campaignID int64, now time.Time, ttl time.Duration) string {
	issued := seconds(now)
	return s.sign(Claims{
		Purpose: Confirm, SupporterID: supporterID, CampaignID: campaignID,
		Channel: email, Issued: issued, Expires: issued.Add(ttl.Truncate(time.Second)),
	})
}

// seconds drops t's fraction of a second, which tokens do not carry.
func seconds(t time.Time) time.Time { return time.Unix(t.Unix(), 0).UTC() }

// Verify checks token for purpose at now and returns its claims. It returns
// an error wrapping ErrInvalid for anything Signer did not make for purpose,
// and one wrapping ErrExpired for a confirm token at or after its expiry; in
// that case only, the claims are returned too, as they are genuine: a caller
// may offer to send a fresh link. Unsubscribe tokens are accepted whatever
// now is, even before their issue time (another server's clock may run
// ahead).
func (s *Signer) Verify(token string, purpose Purpose, now time.Time) (Claims, error) {
	c, err := s.verify(token, purpose)
	if err != nil {
		return Claims{}, fmt.Errorf("verify %s token: %w", purpose, err)
	}
	if purpose == Confirm && !now.Before(c.Expires) {
		return c, fmt.Errorf("verify %s token: expired at %s: %w", purpose, c.Expires.Format(time.RFC3339), ErrExpired)
	}
	return c, nil
}
