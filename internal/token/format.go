package token

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// A token is base64url without padding (RFC 4648 §5) of payload || mac:
//
//	payload = version     1 byte, 1
//	          purpose     1 byte, 1 unsubscribe, 2 confirm
//	          supporter   uvarint, > 0
//	          campaign    uvarint, > 0
//	          channel     1 byte, 1 email, 2 sms (confirm: email only)
//	          issued      uvarint, Unix seconds, > 0
//	          lifetime    uvarint, seconds from issued to expiry, > 0 (confirm only)
//	mac     = HMAC-SHA256(key(purpose), payload), first 16 bytes
//	key(p)  = HMAC-SHA256(secret, "muster token key v1: " + p)
//
// A token has exactly one spelling: Verify decodes it, re-encodes what it
// read and refuses any difference (padding bits, line breaks, non-minimal
// varints, trailing bytes).
const (
	version1 = 1
	// macLen keeps 128 bits of the MAC: out of reach of forgery, and short
	// enough for an unsubscribe link under 60 characters with any ids.
	macLen = 16
	// maxRaw is the longest token in bytes: three single bytes, four varints
	// and the MAC.
	maxRaw = 3 + 4*binary.MaxVarintLen64 + macLen
	// minRaw is the shortest: one-byte varints and no lifetime.
	minRaw = 6 + macLen
	// maxUnix is 9999-12-31T23:59:59Z, the last second RFC 3339 can write;
	// bounding times keeps their arithmetic far from overflow.
	maxUnix = 253402300799
	// maxLifetime is the longest lifetime in seconds, the longest ttl a
	// time.Duration holds: Confirm could not make a longer one.
	maxLifetime = math.MaxInt64 / int64(time.Second)
)

const (
	email = "email"
	sms   = "sms"
)

// encoding is strict so that non-zero padding bits are refused.
func encoding() *base64.Encoding { return base64.RawURLEncoding.Strict() }

// sign encodes c and appends its MAC. c must be valid.
func (s *Signer) sign(c Claims) string {
	if err := c.validate(); err != nil {
		panic("token: " + err.Error())
	}
	payload := encode(c)
	return encoding().EncodeToString(append(payload, mac(s.key(c.Purpose), payload)...))
}

// mac returns the truncated MAC of payload under key.
func mac(key, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(payload)
	return h.Sum(nil)[:macLen]
}

// verify returns the claims of token if its MAC is right for purpose and its
// payload is canonical.
func (s *Signer) verify(token string, purpose Purpose) (Claims, error) {
	key := s.key(purpose)
	if key == nil {
		return Claims{}, fmt.Errorf("%w: unknown purpose", ErrInvalid)
	}
	raw, err := unwrap(token)
	if err != nil {
		return Claims{}, err
	}
	payload, sum := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	if !hmac.Equal(sum, mac(key, payload)) {
		return Claims{}, fmt.Errorf("%w: signature does not match", ErrInvalid)
	}
	c, err := decode(payload)
	if err != nil {
		return Claims{}, err
	}
	if c.Purpose != purpose { // only if two purposes shared a key
		return Claims{}, fmt.Errorf("%w: made for %s", ErrInvalid, c.Purpose)
	}
	return c, nil
}

// unwrap returns the bytes of token, checking its length, its one spelling
// and its version.
func unwrap(token string) ([]byte, error) {
	if len(token) > encoding().EncodedLen(maxRaw) {
		return nil, fmt.Errorf("%w: %d characters is too long", ErrInvalid, len(token))
	}
	raw, err := encoding().DecodeString(token)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	// The decoder skips CR and LF even when strict.
	if encoding().EncodeToString(raw) != token {
		return nil, fmt.Errorf("%w: not in canonical base64url", ErrInvalid)
	}
	if len(raw) < minRaw {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrInvalid, len(raw))
	}
	if raw[0] != version1 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrInvalid, raw[0])
	}
	return raw, nil
}

// encode returns the payload of c, which must be valid.
func encode(c Claims) []byte {
	b := make([]byte, 0, maxRaw)
	b = append(b, version1, purposeCode(c.Purpose))
	b = binary.AppendUvarint(b, uint64(c.SupporterID))
	b = binary.AppendUvarint(b, uint64(c.CampaignID))
	b = append(b, channelCode(c.Channel))
	b = binary.AppendUvarint(b, uint64(c.Issued.Unix()))
	if c.Purpose == Confirm {
		b = binary.AppendUvarint(b, uint64(c.Expires.Unix()-c.Issued.Unix()))
	}
	return b
}

// decode reads a payload that encode wrote, and nothing else.
func decode(payload []byte) (Claims, error) {
	r := reader{b: payload[1:]} // the version is checked by unwrap
	p := purposeOf(r.next())
	c := Claims{Purpose: p, SupporterID: r.int(), CampaignID: r.int(), Channel: channelOf(r.next())}
	issued := r.int()
	c.Issued = time.Unix(issued, 0).UTC()
	if p == Confirm {
		c.Expires = expiry(issued, r.int())
	}
	if r.err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, r.err)
	}
	if err := c.validate(); err != nil {
		return Claims{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if !bytes.Equal(encode(c), payload) {
		return Claims{}, fmt.Errorf("%w: payload not in canonical form", ErrInvalid)
	}
	return c, nil
}

// expiry returns issued plus lifetime seconds, or the zero Time (which
// validate refuses) if that overflows.
func expiry(issued, lifetime int64) time.Time {
	if lifetime > math.MaxInt64-issued {
		return time.Time{}
	}
	return time.Unix(issued+lifetime, 0).UTC()
}

// validate reports whether c is something Signer makes and Verify accepts.
func (c Claims) validate() error {
	switch {
	case purposeCode(c.Purpose) == 0:
		return fmt.Errorf("unknown purpose %q", c.Purpose)
	case c.SupporterID <= 0 || c.CampaignID <= 0:
		return fmt.Errorf("supporter %d, campaign %d: ids must be positive", c.SupporterID, c.CampaignID)
	case channelCode(c.Channel) == 0:
		return fmt.Errorf("unknown channel %q", c.Channel)
	case c.Issued.Unix() <= 0 || c.Issued.Unix() > maxUnix || c.Expires.Unix() > maxUnix:
		return fmt.Errorf("issued %s, expires %s: not between 1970 and 9999", c.Issued, c.Expires)
	}
	return c.validateExpiry()
}

// validateExpiry checks the fields that differ between purposes.
func (c Claims) validateExpiry() error {
	if c.Purpose == Unsubscribe {
		if !c.Expires.IsZero() {
			return errors.New("unsubscribe tokens do not expire")
		}
		return nil
	}
	if c.Channel != email {
		return fmt.Errorf("confirm token for channel %q, want email", c.Channel)
	}
	if l := c.Expires.Unix() - c.Issued.Unix(); l < 1 || l > maxLifetime {
		return fmt.Errorf("expires %s: want from a second to %d seconds after issued %s", c.Expires, maxLifetime, c.Issued)
	}
	return nil
}

// purposeCode returns the byte that stands for p, or 0 for none.
func purposeCode(p Purpose) byte {
	switch p {
	case Unsubscribe:
		return 1
	case Confirm:
		return 2
	}
	return 0
}

// purposeOf returns the purpose that b stands for, or "" for none.
func purposeOf(b byte) Purpose {
	switch b {
	case 1:
		return Unsubscribe
	case 2:
		return Confirm
	}
	return ""
}

// channelCode returns the byte that stands for channel, or 0 for none.
func channelCode(channel string) byte {
	switch channel {
	case email:
		return 1
	case sms:
		return 2
	}
	return 0
}

// channelOf returns the channel that b stands for, or "" for none.
func channelOf(b byte) string {
	switch b {
	case 1:
		return email
	case 2:
		return sms
	}
	return ""
}

// reader reads a payload field by field; the first error sticks and later
// reads return zero.
type reader struct {
	b   []byte
	err error
}

// next reads one byte.
func (r *reader) next() byte {
	if r.err != nil || len(r.b) == 0 {
		r.fail(errors.New("payload too short"))
		return 0
	}
	b := r.b[0]
	r.b = r.b[1:]
	return b
}

// int reads a uvarint that fits in an int64.
func (r *reader) int() int64 {
	v, n := binary.Uvarint(r.b)
	if r.err != nil || n <= 0 || v > math.MaxInt64 {
		r.fail(errors.New("bad varint"))
		return 0
	}
	r.b = r.b[n:]
	return int64(v)
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}
