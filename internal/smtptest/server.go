// Package smtptest runs a real SMTP server in-process on 127.0.0.1, for tests
// and for the benchmark's sink. It is built on github.com/emersion/go-smtp and
// behaves like an MTA: many messages per session, RSET, EHLO with
// ENHANCEDSTATUSCODES (or, as older MTAs, without), AUTH PLAIN when asked
// for, and replies injected, held or lost per recipient.
package smtptest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is a running SMTP server. Its methods are safe for concurrent use.
type Server struct {
	srv     *smtp.Server
	ln      net.Listener
	addr    string
	user    string
	pass    string
	discard bool
	idle    time.Duration
	maxSize int64
	plain   bool // no ENHANCEDSTATUSCODES
	tlsMode int
	tls     *tls.Config

	served    chan struct{}
	closeOnce sync.Once
	closeErr  error

	mu       sync.Mutex
	received []Received
	count    int
	countTo  map[string]int
	rcptRule map[string]*rule
	dataRule map[string]*rule
	dropRule map[string]*rule
	holds    map[string]*hold
	// dataHolds hold the reading of a message after 354.
	dataHolds map[string]*hold
	// replyHolds hold the reply to the final dot; held counts those waiting.
	replyHolds  map[string]*hold
	held        int
	connections int
	open        map[*session]struct{}
}

// Option configures a Server.
type Option func(*Server)

// WithAuth requires AUTH PLAIN with these credentials before MAIL FROM;
// wrong ones are answered 535 5.7.8, MAIL without AUTH 530 5.7.0.
func WithAuth(user, pass string) Option {
	return func(s *Server) { s.user, s.pass = user, pass }
}

// WithDiscard keeps no messages, only their count: for the benchmark.
// Messages, Received bodies and CountTo are then empty.
func WithDiscard() Option {
	return func(s *Server) { s.discard = true }
}

// WithIdleTimeout closes a session that sends nothing for d, answering
// "421 4.4.2 Idle timeout" first, as MTAs do.
func WithIdleTimeout(d time.Duration) Option {
	return func(s *Server) { s.idle = d }
}

// WithMaxMessageBytes advertises SIZE n and refuses bigger messages after
// DATA with 552 5.3.4.
func WithMaxMessageBytes(n int64) Option {
	return func(s *Server) { s.maxSize = n }
}

// WithoutEnhancedStatusCodes makes the server speak as MTAs that do not
// implement RFC 2034 do: EHLO does not advertise ENHANCEDSTATUSCODES and no
// reply carries an enhanced status code ("550 No such user", not
// "550 5.1.1 No such user"), whatever Fail and FailData were given.
func WithoutEnhancedStatusCodes() Option {
	return func(s *Server) { s.plain = true }
}

// NewServer starts a server that is closed when the test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Start starts a server on 127.0.0.1 at a free port; Close stops it.
func Start(opts ...Option) (*Server, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("smtptest: listen: %w", err)
	}
	s := &Server{
		ln:       ln,
		addr:     ln.Addr().String(),
		served:   make(chan struct{}),
		countTo:  map[string]int{},
		rcptRule: map[string]*rule{},
		dataRule: map[string]*rule{},
		dropRule: map[string]*rule{},
		holds:    map[string]*hold{},
		open:     map[*session]struct{}{},

		replyHolds: map[string]*hold{},
		dataHolds:  map[string]*hold{},
	}
	for _, opt := range opts {
		opt(s)
	}
	if err := s.setUpTLS(); err != nil {
		_ = ln.Close()
		return nil, err
	}
	s.srv = s.newSMTPServer()
	go func() {
		defer close(s.served)
		_ = s.srv.Serve(listener{Listener: ln, srv: s, plain: s.plain, tls: s.implicitTLS()})
	}()
	return s, nil
}

func (s *Server) setUpTLS() error {
	if s.tlsMode == tlsNone {
		return nil
	}
	if s.tlsMode == tlsStart && s.plain {
		// The rewriting happens below go-smtp's STARTTLS, on the ciphertext.
		return errors.New("smtptest: WithStartTLS cannot be combined with WithoutEnhancedStatusCodes")
	}
	cfg, err := selfSigned()
	s.tls = cfg
	return err
}

// implicitTLS returns the TLS configuration the listener must speak from the
// first byte, or nil.
func (s *Server) implicitTLS() *tls.Config {
	if s.tlsMode == tlsImplicit {
		return s.tls
	}
	return nil
}

func (s *Server) newSMTPServer() *smtp.Server {
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "smtptest.localhost"
	srv.AllowInsecureAuth = true // plain TCP on loopback
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout = s.idle
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = s.maxSize
	if s.tlsMode == tlsStart {
		srv.TLSConfig = s.tls
	}
	return srv
}

// Close stops the server and closes its sessions.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		// Connections first: a held reply is then lost, not given.
		s.closeErr = s.srv.Close()
		s.releaseHolds()
		// Serve may not have registered the listener with go-smtp yet.
		if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) && s.closeErr == nil {
			s.closeErr = err
		}
		<-s.served
	})
	return s.closeErr
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return s.addr }

// URL returns a MUSTER_SMTP_URL for this server:
// smtp://[user:pass@]127.0.0.1:PORT?tls=none, or with WithStartTLS
// ?tls=starttls&insecure_skip_verify=true, or with WithImplicitTLS
// smtps://[user:pass@]127.0.0.1:PORT?insecure_skip_verify=true.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr, RawQuery: "tls=none"}
	switch s.tlsMode {
	case tlsStart:
		u.RawQuery = "tls=starttls&insecure_skip_verify=true"
	case tlsImplicit:
		u.Scheme, u.RawQuery = "smtps", "insecure_skip_verify=true"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
	}
	return u.String()
}

// Connections returns how many connections have been opened in all, so
// that tests can assert that connections are reused.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

// Active returns how many sessions are open now.
func (s *Server) Active() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.open)
}

// DropConnections closes every open session abruptly, without a reply, as
// a crashed or restarted MTA would; clients see EOF or a reset.
func (s *Server) DropConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.open))
	for sess := range s.open {
		conns = append(conns, sess.conn.Conn())
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
	}
}
