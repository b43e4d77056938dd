package token_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/token"
)

// FuzzVerify mutates genuine tokens: Verify must never panic, and must
// accept nothing but the exact tokens the Signer made, with their claims.
func FuzzVerify(f *testing.F) {
	s := newSigner(f, testSecret())
	at := now.Add(12 * time.Hour)
	made := map[string]token.Claims{}
	add := func(tok string, c token.Claims) {
		made[tok] = c
		f.Add(tok)
	}
	add(s.Unsubscribe(1000, 20, "email", now),
		token.Claims{Purpose: token.Unsubscribe, SupporterID: 1000, CampaignID: 20, Channel: "email", Issued: nowSecond})
	add(s.Unsubscribe(100000, 7, "sms", now),
		token.Claims{Purpose: token.Unsubscribe, SupporterID: 100000, CampaignID: 7, Channel: "sms", Issued: nowSecond})
	add(s.Confirm(1000, 20, now, day),
		token.Claims{Purpose: token.Confirm, SupporterID: 1000, CampaignID: 20, Channel: "email", Issued: nowSecond, Expires: nowSecond.Add(day)})
	add(s.Confirm(3, 4, now, time.Hour), // expired at at
		token.Claims{Purpose: token.Confirm, SupporterID: 3, CampaignID: 4, Channel: "email", Issued: nowSecond, Expires: nowSecond.Add(time.Hour)})
	f.Add("")
	f.Add("!!")
	f.Fuzz(func(t *testing.T, tok string) {
		for _, p := range []token.Purpose{token.Unsubscribe, token.Confirm} {
			got, err := s.Verify(tok, p, at)
			checkVerified(t, made, tok, p, at, got, err)
		}
	})
}

// checkVerified fails t unless Verify's answer for tok is ErrInvalid with no
// claims, or the claims the Signer put in tok, and ErrExpired only past them.
func checkVerified(t *testing.T, made map[string]token.Claims, tok string, p token.Purpose, at time.Time, got token.Claims, err error) {
	t.Helper()
	if errors.Is(err, token.ErrInvalid) {
		if got != (token.Claims{}) {
			t.Fatalf("Verify(%q, %s) = %+v, %v: claims with an invalid token", tok, p, got, err)
		}
		return
	}
	want, ok := made[tok]
	if !ok || want.Purpose != p {
		t.Fatalf("Verify(%q, %s) = %+v, %v; the Signer made no such token", tok, p, got, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Verify(%q, %s) claims (-want +got):\n%s", tok, p, diff)
	}
	expired := p == token.Confirm && !at.Before(want.Expires)
	if (err != nil) != expired || (err != nil && !errors.Is(err, token.ErrExpired)) {
		t.Fatalf("Verify(%q, %s) = %v; want expired: %v", tok, p, err, expired)
	}
}

// FuzzVerifySigned MACs arbitrary payloads with the right key, which only
// the Signer can: whatever Verify accepts, the Signer must spell the same
// from the claims, so that a token has one valid spelling and the decoder
// accepts no payload the encoder would not write.
func FuzzVerifySigned(f *testing.F) {
	s := newSigner(f, testSecret())
	issued := uint64(nowSecond.Unix())
	f.Add(false, payload(v1, unsubscribe, 1000, 20, email, issued))
	f.Add(false, payload(v1, unsubscribe, 1000, 20, sms, issued))
	f.Add(true, payload(v1, confirm, 1000, 20, email, issued, 86400))
	f.Add(true, []byte{v1, confirm, 0x81, 0x00, 20, email, 1, 1})
	f.Fuzz(func(t *testing.T, isConfirm bool, raw []byte) {
		p := token.Unsubscribe
		if isConfirm {
			p = token.Confirm
		}
		tok := s.SignPayload(p, raw)
		c, err := s.Verify(tok, p, time.Unix(0, 0)) // before any expiry
		if errors.Is(err, token.ErrInvalid) {
			return
		}
		if err != nil {
			t.Fatalf("Verify(%q) = %v, want nil or ErrInvalid", tok, err)
		}
		var remade string
		if p == token.Confirm {
			remade = s.Confirm(c.SupporterID, c.CampaignID, c.Issued, c.Expires.Sub(c.Issued))
		} else {
			remade = s.Unsubscribe(c.SupporterID, c.CampaignID, c.Channel, c.Issued)
		}
		if remade != tok {
			t.Fatalf("Verify accepted %q (%+v), which the Signer spells %q", tok, c, remade)
		}
	})
}
