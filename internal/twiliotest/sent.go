package twiliotest

import (
	"fmt"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/poll"
)

// Messages returns the accepted messages, oldest first.
func (s *Server) Messages() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Count returns how many messages were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// CountTo returns how many accepted messages went to the number to; always 0
// WithDiscard.
func (s *Server) CountTo(to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.countTo[to]
}

// Requests returns how many HTTP requests arrived, refused ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Connections returns how many connections clients opened in all, so that
// tests can assert that connections are reused.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// WaitCount waits until at least n messages were accepted, failing the test
// after timeout.
func (s *Server) WaitCount(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	poll.Until(t, timeout, func() bool { return s.Count() >= n },
		func() string { return fmt.Sprintf("twiliotest: %d messages, want %d", s.Count(), n) })
}
