package token_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/token"
)

var (
	// now has a fraction of a second, which tokens drop, and a zone, which
	// they forget.
	now       = time.Date(2026, 3, 14, 15, 9, 26, 535_897_932, time.FixedZone("CET", 3600))
	nowSecond = time.Date(2026, 3, 14, 14, 9, 26, 0, time.UTC)
)

const day = 24 * time.Hour

func testSecret() []byte { return []byte("a test secret of 32 bytes, no...") }

func newSigner(t testing.TB, secret []byte) *token.Signer {
	t.Helper()
	s, err := token.NewSigner(secret)
	if err != nil {
		t.Fatalf("NewSigner: %v", err)
	}
	return s
}

// payload spells a payload by hand, as the format comment in format.go
// describes it.
func payload(version, purpose byte, supporter, campaign uint64, channel byte, issued uint64, lifetime ...uint64) []byte {
	b := []byte{version, purpose}
	b = binary.AppendUvarint(b, supporter)
	b = binary.AppendUvarint(b, campaign)
	b = append(b, channel)
	b = binary.AppendUvarint(b, issued)
	for _, l := range lifetime {
		b = binary.AppendUvarint(b, l)
	}
	return b
}

// Codes of the format.
const (
	v1          = 1
	unsubscribe = 1
	confirm     = 2
	email       = 1
	sms         = 2
)

func TestNewSigner(t *testing.T) {
	tests := []struct {
		name    string
		secret  []byte
		wantErr bool
	}{
		{name: "nil", secret: nil, wantErr: true},
		{name: "31 bytes", secret: bytes.Repeat([]byte("k"), 31), wantErr: true},
		{name: "32 bytes", secret: bytes.Repeat([]byte("k"), 32)},
		{name: "64 bytes", secret: bytes.Repeat([]byte("k"), 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := token.NewSigner(tt.secret)
			if (err != nil) != tt.wantErr || (s == nil) != tt.wantErr {
				t.Fatalf("NewSigner(%d bytes) = %v, %v; want error: %v", len(tt.secret), s, err, tt.wantErr)
			}
		})
	}
}

func TestNewSignerKeepsNoReference(t *testing.T) {
	secret := testSecret()
	s := newSigner(t, secret)
	copy(secret, "overwritten after NewSigner")
	tok := newSigner(t, testSecret()).Unsubscribe(1, 2, "email", now)
	if _, err := s.Verify(tok, token.Unsubscribe, now); err != nil {
		t.Fatalf("Verify after the secret slice changed: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	s := newSigner(t, testSecret())
	tests := []struct {
		name    string
		token   string
		purpose token.Purpose
		at      time.Time
		want    token.Claims
	}{
		{
			name: "unsubscribe email", token: s.Unsubscribe(123456, 42, "email", now),
			purpose: token.Unsubscribe, at: now,
			want: token.Claims{Purpose: token.Unsubscribe, SupporterID: 123456, CampaignID: 42, Channel: "email", Issued: nowSecond},
		},
		{
			name: "unsubscribe sms", token: s.Unsubscribe(7, 3, "sms", now),
			purpose: token.Unsubscribe, at: now,
			want: token.Claims{Purpose: token.Unsubscribe, SupporterID: 7, CampaignID: 3, Channel: "sms", Issued: nowSecond},
		},
		{
			name: "unsubscribe never expires", token: s.Unsubscribe(7, 3, "email", now),
			purpose: token.Unsubscribe, at: now.AddDate(30, 0, 0),
			want: token.Claims{Purpose: token.Unsubscribe, SupporterID: 7, CampaignID: 3, Channel: "email", Issued: nowSecond},
		},
		{
			name: "unsubscribe checked before its issue time", token: s.Unsubscribe(7, 3, "email", now),
			purpose: token.Unsubscribe, at: now.Add(-time.Hour),
			want: token.Claims{Purpose: token.Unsubscribe, SupporterID: 7, CampaignID: 3, Channel: "email", Issued: nowSecond},
		},
		{
			name: "largest ids", token: s.Unsubscribe(math.MaxInt64, math.MaxInt64, "sms", now),
			purpose: token.Unsubscribe, at: now,
			want: token.Claims{Purpose: token.Unsubscribe, SupporterID: math.MaxInt64, CampaignID: math.MaxInt64, Channel: "sms", Issued: nowSecond},
		},
		{
			name: "confirm", token: s.Confirm(123456, 42, now, 2*day),
			purpose: token.Confirm, at: now.Add(day),
			want: token.Claims{Purpose: token.Confirm, SupporterID: 123456, CampaignID: 42, Channel: "email", Issued: nowSecond, Expires: nowSecond.Add(2 * day)},
		},
		{
			name: "confirm one nanosecond before expiry", token: s.Confirm(1, 1, now, time.Hour),
			purpose: token.Confirm, at: nowSecond.Add(time.Hour - 1),
			want: token.Claims{Purpose: token.Confirm, SupporterID: 1, CampaignID: 1, Channel: "email", Issued: nowSecond, Expires: nowSecond.Add(time.Hour)},
		},
		{
			name: "confirm ttl counted in whole seconds", token: s.Confirm(1, 1, now, 1500*time.Millisecond),
			purpose: token.Confirm, at: nowSecond,
			want: token.Claims{Purpose: token.Confirm, SupporterID: 1, CampaignID: 1, Channel: "email", Issued: nowSecond, Expires: nowSecond.Add(time.Second)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Verify(tt.token, tt.purpose, tt.at)
			if err != nil {
				t.Fatalf("Verify(%q): %v", tt.token, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	s := newSigner(t, testSecret())
	other := newSigner(t, []byte("another secret, also of 32 bytes"))
	unsub := s.Unsubscribe(1000, 20, "email", now)
	conf := s.Confirm(1000, 20, now, day)
	odd := s.Unsubscribe(100000, 20, "email", now) // 28 bytes: its last character has padding bits
	issued := uint64(nowSecond.Unix())
	tests := []struct {
		name    string
		token   string
		purpose token.Purpose
		at      time.Time
		want    error
	}{
		// Purpose.
		{"confirm token used to unsubscribe", conf, token.Unsubscribe, now, token.ErrInvalid},
		{"unsubscribe token used to confirm", unsub, token.Confirm, now, token.ErrInvalid},
		{"unknown purpose", unsub, token.Purpose("delete"), now, token.ErrInvalid},
		{"confirm relabelled unsubscribe, old MAC", token.Reseal(conf, payload(v1, unsubscribe, 1000, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"unsubscribe relabelled confirm, old MAC", token.Reseal(unsub, payload(v1, confirm, 1000, 20, email, issued, 86400)), token.Confirm, now, token.ErrInvalid},
		{"confirm payload MACed with the unsubscribe key", s.SignPayload(token.Unsubscribe, payload(v1, confirm, 1000, 20, email, issued, 86400)), token.Confirm, now, token.ErrInvalid},
		{"confirm payload MACed with the unsubscribe key, used to unsubscribe", s.SignPayload(token.Unsubscribe, payload(v1, confirm, 1000, 20, email, issued, 86400)), token.Unsubscribe, now, token.ErrInvalid},
		{"unsubscribe payload MACed with the confirm key, used to confirm", s.SignPayload(token.Confirm, payload(v1, unsubscribe, 1000, 20, email, issued)), token.Confirm, now, token.ErrInvalid},

		// Forgery.
		{"made with another secret", other.Unsubscribe(1000, 20, "email", now), token.Unsubscribe, now, token.ErrInvalid},
		{"confirm made with another secret", other.Confirm(1000, 20, now, day), token.Confirm, now, token.ErrInvalid},
		{"other supporter, old MAC", token.Reseal(unsub, payload(v1, unsubscribe, 1001, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"other campaign, old MAC", token.Reseal(unsub, payload(v1, unsubscribe, 1000, 21, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"other channel, old MAC", token.Reseal(unsub, payload(v1, unsubscribe, 1000, 20, sms, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"confirm for another supporter, old MAC", token.Reseal(conf, payload(v1, confirm, 999, 20, email, issued, 86400)), token.Confirm, now, token.ErrInvalid},
		{"confirm lifetime stretched, old MAC", token.Reseal(conf, payload(v1, confirm, 1000, 20, email, issued, 86400*365)), token.Confirm, now, token.ErrInvalid},
		{"MAC cut short", unsub[:len(unsub)-2], token.Unsubscribe, now, token.ErrInvalid},

		// Expiry: Expires is the first instant the token is refused.
		{"confirm at its expiry instant", conf, token.Confirm, nowSecond.Add(day), token.ErrExpired},
		{"confirm after expiry", conf, token.Confirm, now.Add(30 * day), token.ErrExpired},

		// Malformed text.
		{"empty", "", token.Unsubscribe, now, token.ErrInvalid},
		{"not base64url", "!!", token.Unsubscribe, now, token.ErrInvalid},
		{"huge", strings.Repeat("A", 1<<20), token.Unsubscribe, now, token.ErrInvalid},
		{"one character appended", unsub + "A", token.Unsubscribe, now, token.ErrInvalid},
		{"padding appended", unsub + "=", token.Unsubscribe, now, token.ErrInvalid},
		{"padded", base64.URLEncoding.EncodeToString(mustDecode(t, odd)), token.Unsubscribe, now, token.ErrInvalid},
		{"standard alphabet", base64.RawStdEncoding.EncodeToString(mustDecode(t, unsub)), token.Unsubscribe, now, token.ErrInvalid},
		{"line break inside", unsub[:10] + "\n" + unsub[10:], token.Unsubscribe, now, token.ErrInvalid},
		{"CR LF after", unsub + "\r\n", token.Unsubscribe, now, token.ErrInvalid},
		{"space after", unsub + " ", token.Unsubscribe, now, token.ErrInvalid},
		{"non-zero padding bits", nonZeroPadding(t, odd), token.Unsubscribe, now, token.ErrInvalid},

		// Payloads a Signer never makes, MACed with the right key: the
		// decoder refuses them, not only the MAC.
		{"signed: unknown version", s.SignPayload(token.Unsubscribe, payload(2, unsubscribe, 1000, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: version 0", s.SignPayload(token.Unsubscribe, payload(0, unsubscribe, 1000, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: unknown purpose byte", s.SignPayload(token.Unsubscribe, payload(v1, 3, 1000, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: zero supporter", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 0, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: zero campaign", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 0, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: id over MaxInt64", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, math.MaxInt64+1, 20, email, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: channel 0", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, 0, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: unknown channel", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, 3, issued)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: issued 0", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, email, 0)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: issued after 9999", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, email, 253402300800)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: issued MaxInt64", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, email, math.MaxInt64)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: lifetime on unsubscribe", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, email, issued, 60)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: confirm without lifetime", s.SignPayload(token.Confirm, payload(v1, confirm, 1000, 20, email, issued)), token.Confirm, now, token.ErrInvalid},
		{"signed: confirm lifetime 0", s.SignPayload(token.Confirm, payload(v1, confirm, 1000, 20, email, issued, 0)), token.Confirm, now, token.ErrInvalid},
		{"signed: confirm lifetime overflows", s.SignPayload(token.Confirm, payload(v1, confirm, 1000, 20, email, issued, math.MaxInt64)), token.Confirm, now, token.ErrInvalid},
		{"signed: confirm lifetime beyond a time.Duration", s.SignPayload(token.Confirm, payload(v1, confirm, 1000, 20, email, issued, math.MaxInt64/uint64(time.Second)+1)), token.Confirm, now, token.ErrInvalid},
		{"signed: confirm for sms", s.SignPayload(token.Confirm, payload(v1, confirm, 1000, 20, sms, issued, 86400)), token.Confirm, now, token.ErrInvalid},
		{"signed: trailing byte", s.SignPayload(token.Unsubscribe, append(payload(v1, unsubscribe, 1000, 20, email, issued), 0)), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: truncated", s.SignPayload(token.Unsubscribe, payload(v1, unsubscribe, 1000, 20, email, issued)[:5]), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: varint not minimal", s.SignPayload(token.Unsubscribe, []byte{v1, unsubscribe, 0x81, 0x00, 20, email, 0x80, 0x80, 0x80, 0x80, 0x07}), token.Unsubscribe, now, token.ErrInvalid},
		{"signed: varint overflows 64 bits", s.SignPayload(token.Unsubscribe, []byte{v1, unsubscribe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 20, email, 1}), token.Unsubscribe, now, token.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Verify(tt.token, tt.purpose, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify(%q) = %+v, %v; want %v", tt.token, got, err, tt.want)
			}
			if errors.Is(err, token.ErrInvalid) && errors.Is(err, token.ErrExpired) {
				t.Errorf("error %v is both invalid and expired", err)
			}
			if errors.Is(err, token.ErrInvalid) && got != (token.Claims{}) {
				t.Errorf("claims of an invalid token = %+v, want none", got)
			}
		})
	}
}

// TestVerifyExpiredReturnsClaims: an expired confirm token is genuine, so
// its claims come back with ErrExpired for a caller to offer a fresh link.
func TestVerifyExpiredReturnsClaims(t *testing.T) {
	s := newSigner(t, testSecret())
	got, err := s.Verify(s.Confirm(5, 6, now, time.Hour), token.Confirm, now.Add(2*time.Hour))
	if !errors.Is(err, token.ErrExpired) {
		t.Fatalf("Verify = %v, want ErrExpired", err)
	}
	want := token.Claims{Purpose: token.Confirm, SupporterID: 5, CampaignID: 6, Channel: "email", Issued: nowSecond, Expires: nowSecond.Add(time.Hour)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
}

// TestVerifyFlippedBit flips every bit of the decoded token, and puts every
// other character of the alphabet in every position of the text.
func TestVerifyFlippedBit(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	s := newSigner(t, testSecret())
	tests := []struct {
		name    string
		token   string
		purpose token.Purpose
	}{
		{"unsubscribe", s.Unsubscribe(1000, 20, "sms", now), token.Unsubscribe},
		{"confirm", s.Confirm(1000, 20, now, day), token.Confirm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := mustDecode(t, tt.token)
			for i := range len(raw) * 8 {
				flipped := bytes.Clone(raw)
				flipped[i/8] ^= 1 << (i % 8)
				tok := base64.RawURLEncoding.EncodeToString(flipped)
				if _, err := s.Verify(tok, tt.purpose, now); !errors.Is(err, token.ErrInvalid) {
					t.Errorf("bit %d flipped: Verify(%q) = %v, want ErrInvalid", i, tok, err)
				}
			}
			for i := range len(tt.token) {
				for _, c := range alphabet {
					if byte(c) == tt.token[i] {
						continue
					}
					tok := tt.token[:i] + string(c) + tt.token[i+1:]
					if _, err := s.Verify(tok, tt.purpose, now); !errors.Is(err, token.ErrInvalid) {
						t.Errorf("character %d made %q: Verify(%q) = %v, want ErrInvalid", i, c, tok, err)
					}
				}
			}
		})
	}
}

func TestUnsubscribeLength(t *testing.T) {
	s := newSigner(t, testSecret())
	tests := []struct {
		name                string
		supporter, campaign int64
		channel             string
		at                  time.Time
		maxLen              int
	}{
		{"typical", 123456, 42, "email", now, 40},
		{"ids of a large list", 50_000_000, 100_000, "sms", now, 43},
		{"largest ids, year 9999", math.MaxInt64, math.MaxInt64, "email", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), 59},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := s.Unsubscribe(tt.supporter, tt.campaign, tt.channel, tt.at)
			if len(tok) > tt.maxLen {
				t.Errorf("Unsubscribe(%d, %d) = %q, %d characters; want at most %d", tt.supporter, tt.campaign, tok, len(tok), tt.maxLen)
			}
			t.Logf("%d characters: %s", len(tok), tok)
		})
	}
}

// TestSignerPanics: a Signer refuses to make a token that Verify would
// refuse, rather than put a dead link in an email.
func TestSignerPanics(t *testing.T) {
	s := newSigner(t, testSecret())
	tests := []struct {
		name string
		sign func()
	}{
		{"zero supporter", func() { s.Unsubscribe(0, 1, "email", now) }},
		{"negative campaign", func() { s.Unsubscribe(1, -1, "email", now) }},
		{"unknown channel", func() { s.Unsubscribe(1, 1, "fax", now) }},
		{"channel in capitals", func() { s.Unsubscribe(1, 1, "EMAIL", now) }},
		{"zero time", func() { s.Unsubscribe(1, 1, "email", time.Time{}) }},
		{"after 9999", func() { s.Unsubscribe(1, 1, "email", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)) }},
		{"confirm ttl under a second", func() { s.Confirm(1, 1, now, time.Second-1) }},
		{"confirm negative ttl", func() { s.Confirm(1, 1, now, -time.Hour) }},
		{"confirm expiring after 9999", func() { s.Confirm(1, 1, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), day) }},
		{"confirm zero supporter", func() { s.Confirm(0, 1, now, time.Hour) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tt.sign()
		})
	}
}

func mustDecode(t testing.TB, tok string) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatalf("decode %q: %v", tok, err)
	}
	return raw
}

// nonZeroPadding returns tok with a padding bit of its last character set:
// the same bytes to a lenient decoder, another spelling of the token.
func nonZeroPadding(t *testing.T, tok string) string {
	t.Helper()
	if len(tok)%4 == 0 {
		t.Fatalf("%q has no padding bits", tok)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, tok[len(tok)-1])
	forged := tok[:len(tok)-1] + string(alphabet[last|1])
	if !bytes.Equal(mustDecode(t, forged), mustDecode(t, tok)) {
		t.Fatalf("%q and %q decode differently", forged, tok)
	}
	return forged
}
