// Package twiliotest runs an HTTP server that speaks the part of Twilio's REST
// API that Muster uses, POST /2010-04-01/Accounts/{sid}/Messages.json, with
// Twilio's authentication, validation, response and error shapes. Tests and
// the benchmark point MUSTER_TWILIO_BASE_URL at it.
package twiliotest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Sent is one message the server accepted.
type Sent struct {
	SID                 string
	To                  string
	From                string
	MessagingServiceSID string
	Body                string
	StatusCallback      string
	ValidityPeriod      string
	// Form is the whole form body as received.
	Form url.Values
}

// Server is a running stand-in for Twilio. Its methods are safe for
// concurrent use.
type Server struct {
	hs         *http.Server
	url        string
	served     chan struct{}
	accountSID string
	authToken  string
	discard    bool
	now        func() time.Time

	mu       sync.Mutex
	sent     []Sent
	count    int
	countTo  map[string]int
	requests int
	conns    int
	rawFails map[string]*rule // answered before authentication, like a load balancer
	apiFails map[string]*rule // answered after validation, like Twilio
	losses   map[string]*loss // created, then unanswered
}

// Option configures a Server.
type Option func(*Server)

// WithDiscard keeps no messages, only their count: for the benchmark.
// Messages and CountTo are then empty.
func WithDiscard() Option {
	return func(s *Server) { s.discard = true }
}

// NewServer starts a server for this account that is closed when the test ends.
func NewServer(t testing.TB, accountSID, authToken string, opts ...Option) *Server {
	t.Helper()
	s, err := Start(accountSID, authToken, opts...)
	if err != nil {
		t.Fatalf("twiliotest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Start starts a server on 127.0.0.1 at a free port; Close stops it.
func Start(accountSID, authToken string, opts ...Option) (*Server, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("twiliotest: listen: %w", err)
	}
	s := &Server{
		url:        "http://" + ln.Addr().String(),
		served:     make(chan struct{}),
		accountSID: accountSID,
		authToken:  authToken,
		now:        time.Now,
		countTo:    map[string]int{},
		rawFails:   map[string]*rule{},
		apiFails:   map[string]*rule{},
		losses:     map[string]*loss{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.hs = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second, ConnState: s.countConn}
	go func() {
		defer close(s.served)
		_ = s.hs.Serve(ln)
	}()
	return s, nil
}

// Close stops the server and closes its connections.
func (s *Server) Close() {
	_ = s.hs.Close()
	<-s.served
}

// URL returns the base URL for MUSTER_TWILIO_BASE_URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.url }

func (s *Server) countConn(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
	}
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", s.createMessage)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
}
