package smtptest

import (
	"fmt"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/muster-org/muster/internal/poll"
)

// Received is one message as the server got it.
type Received struct {
	From   string   // MAIL FROM
	To     []string // RCPT TO, accepted ones only
	Data   []byte   // the message as sent after DATA, CRLF line ends
	Header mail.Header
}

func (s *Server) record(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	if !s.discard {
		s.received = append(s.received, r)
		for _, to := range r.To {
			s.countTo[strings.ToLower(to)]++
		}
	}
}

// Messages returns the messages received so far, oldest first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Count returns how many messages were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// CountTo returns how many accepted messages had rcpt among their recipients
// (case-insensitive); always 0 WithDiscard.
func (s *Server) CountTo(rcpt string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.countTo[strings.ToLower(rcpt)]
}

// WaitCount waits until at least n messages were accepted, failing the test
// after timeout.
func (s *Server) WaitCount(t testing.TB, n int, timeout time.Duration) {
	t.Helper()
	poll.Until(t, timeout, func() bool { return s.Count() >= n },
		func() string { return fmt.Sprintf("smtptest: %d messages, want %d", s.Count(), n) })
}
