package token_test

import (
	"testing"

	"github.com/muster-org/muster/internal/token"
)

func BenchmarkVerify(b *testing.B) {
	s := newSigner(b, testSecret())
	tok := s.Unsubscribe(123456, 42, "email", now)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, token.Unsubscribe, now); err != nil {
			b.Fatal(err)
		}
	}
}
