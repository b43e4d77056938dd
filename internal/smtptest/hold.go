package smtptest

import (
	"net"
	"strings"
	"sync"
)

// hold keeps a reply to one recipient waiting until released.
type hold struct {
	reached     chan struct{}
	reachedOnce sync.Once
	released    chan struct{}
	releaseOnce sync.Once
}

func newHold() *hold {
	return &hold{reached: make(chan struct{}), released: make(chan struct{})}
}

func (h *hold) release() {
	h.releaseOnce.Do(func() { close(h.released) })
}

// Hold makes RCPT TO for rcpt (case-insensitive) wait, as a slow or stuck
// server would, until release is called or the server closes. reached is
// closed when the first such RCPT arrives, so a test knows its client is now
// waiting on the server.
func (s *Server) Hold(rcpt string) (reached <-chan struct{}, release func()) {
	h := newHold()
	s.mu.Lock()
	s.holds[strings.ToLower(rcpt)] = h
	s.mu.Unlock()
	return h.reached, h.release
}

// HoldData makes the server wait after its 354 to DATA for a message to
// rcpt (case-insensitive), before it reads a byte of the message, as a slow
// or stuck server would, until release is called or the server closes: a
// client with a message bigger than the connection's buffers is then stuck
// mid-DATA. reached is closed when the first such DATA arrives.
func (s *Server) HoldData(rcpt string) (reached <-chan struct{}, release func()) {
	h := newHold()
	s.mu.Lock()
	s.dataHolds[strings.ToLower(rcpt)] = h
	s.mu.Unlock()
	return h.reached, h.release
}

// HoldReply makes the server take every message to rcpt (case-insensitive)
// whole, record it as received (Count, CountTo and Messages include it), and
// then keep its reply to the final dot waiting until release is called or the
// server closes: the message is in the server's hands and the client does
// not know it yet. reached is closed when the first such message is held.
// A client that hangs up meanwhile (a killed process, a timeout) ends its
// wait at once, without a reply; Held counts the replies still waiting.
// release is idempotent; after it, messages to rcpt are answered at once.
func (s *Server) HoldReply(rcpt string) (reached <-chan struct{}, release func()) {
	h := newHold()
	s.mu.Lock()
	s.replyHolds[strings.ToLower(rcpt)] = h
	s.mu.Unlock()
	return h.reached, h.release
}

// Held returns how many replies HoldReply keeps waiting now, their clients
// still connected.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// pendingHold returns the hold in place for rcpt in holds, or nil when there
// is none or it was released.
func (s *Server) pendingHold(holds map[string]*hold, rcpt string) *hold {
	s.mu.Lock()
	h := holds[strings.ToLower(rcpt)]
	s.mu.Unlock()
	if h == nil {
		return nil
	}
	select {
	case <-h.released:
		return nil
	default:
		return h
	}
}

// waitRcpt blocks while a Hold for rcpt is in place and the client is
// connected; it reports whether the client is still there.
func (s *Server) waitRcpt(rcpt string, c net.Conn) bool {
	if h := s.pendingHold(s.holds, rcpt); h != nil {
		return h.wait(c)
	}
	return true
}

// waitData blocks while a HoldData for rcpt is in place. It does not watch
// the connection: the client is still writing the message, which must stay
// unread.
func (s *Server) waitData(rcpt string) {
	if h := s.pendingHold(s.dataHolds, rcpt); h != nil {
		h.wait(nil)
	}
}

// waitReply is waitRcpt for a HoldReply, counted by Held.
func (s *Server) waitReply(rcpt string, c net.Conn) bool {
	h := s.pendingHold(s.replyHolds, rcpt)
	if h == nil {
		return true
	}
	s.addHeld(1)
	defer s.addHeld(-1)
	return h.wait(c)
}

func (s *Server) addHeld(n int) {
	s.mu.Lock()
	s.held += n
	s.mu.Unlock()
}

// wait blocks until h is released or the client on c hangs up, and reports
// whether the client is still there.
func (h *hold) wait(c net.Conn) bool {
	h.reachedOnce.Do(func() { close(h.reached) })
	if cc, ok := c.(*conn); ok {
		return cc.waitOrGone(h.released)
	}
	<-h.released
	return true
}

func (s *Server) releaseHolds() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.holds {
		h.release()
	}
	for _, h := range s.replyHolds {
		h.release()
	}
	for _, h := range s.dataHolds {
		h.release()
	}
}
