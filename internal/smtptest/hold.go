package smtptest

import (
	"strings"
	"sync"
)

// hold keeps RCPT TO for one recipient waiting until released.
type hold struct {
	reached     chan struct{}
	reachedOnce sync.Once
	released    chan struct{}
	releaseOnce sync.Once
}

// Hold makes RCPT TO for rcpt (case-insensitive) wait, as a slow or stuck
// server would, until release is called or the server closes. reached is
// closed when the first such RCPT arrives, so a test knows its client is now
// waiting on the server.
func (s *Server) Hold(rcpt string) (reached <-chan struct{}, release func()) {
	h := &hold{reached: make(chan struct{}), released: make(chan struct{})}
	s.mu.Lock()
	s.holds[strings.ToLower(rcpt)] = h
	s.mu.Unlock()
	return h.reached, h.release
}

func (h *hold) release() {
	h.releaseOnce.Do(func() { close(h.released) })
}

// wait blocks while a hold for rcpt is in place.
func (s *Server) wait(rcpt string) {
	s.mu.Lock()
	h := s.holds[strings.ToLower(rcpt)]
	s.mu.Unlock()
	if h == nil {
		return
	}
	h.reachedOnce.Do(func() { close(h.reached) })
	<-h.released
}

func (s *Server) releaseHolds() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.holds {
		h.release()
	}
}
