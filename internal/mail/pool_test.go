package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/smtptest"
)

func newPool(t *testing.T, rawURL string, edit func(*mail.Config)) *mail.Pool {
	t.Helper()
	cfg, err := mail.ParseURL(rawURL)
	if err != nil {
		t.Fatalf("ParseURL: %v", err)
	}
	cfg.Timeout = 5 * time.Second
	if edit != nil {
		edit(&cfg)
	}
	p, err := mail.NewPool(cfg, nil)
	if err != nil {
		t.Fatalf("NewPool: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPoolReusesConnectionsAcrossGoroutines(t *testing.T) {
	srv := smtptest.NewServer(t)
	const poolSize, senders, perSender = 4, 32, 7
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = poolSize })

	var wg sync.WaitGroup
	errs := make(chan error, senders*perSender)
	for g := range senders {
		wg.Go(func() {
			for i := range perSender {
				m := sampleMessage(fmt.Sprintf("s%d.m%d@example.org", g, i))
				m.MessageID = fmt.Sprintf("a1.s%d.m%d@example.org", g, i)
				if _, err := p.Send(context.Background(), m); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Send: %v", err)
	}

	if got, want := srv.Count(), senders*perSender; got != want {
		t.Errorf("server received %d messages, want %d", got, want)
	}
	if got := srv.Connections(); got < 1 || got > poolSize {
		t.Errorf("server saw %d connections, want 1..%d", got, poolSize)
	}
	for g := range senders {
		if got := srv.CountTo(fmt.Sprintf("s%d.m0@example.org", g)); got != 1 {
			t.Errorf("s%d.m0 received %d copies, want 1", g, got)
		}
	}
}

func TestPoolSendDeliversTheWrittenMessage(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.WithAuth("muster", "s3cret pass"))
	p := newPool(t, srv.URL(), nil)
	m := sampleMessage("ana@example.org")

	id, err := p.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id != m.MessageID {
		t.Errorf("Send returned Message-ID %q, want %q", id, m.MessageID)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	envelope := struct{ From, To string }{got[0].From, strings.Join(got[0].To, ",")}
	if diff := cmp.Diff(struct{ From, To string }{"alerts@example.org", "ana@example.org"}, envelope); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
	var written strings.Builder
	if err := mail.WriteMessage(&written, m); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(parseMessage(t, []byte(written.String())), parseMessage(t, got[0].Data)); diff != "" {
		t.Errorf("sent message differs from WriteMessage (-written +sent):\n%s", diff)
	}
}

func TestPoolSendMakesMessageIDWhenEmpty(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), nil)
	m := sampleMessage("ana@example.org")
	m.MessageID = ""

	id, err := p.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	header := srv.Messages()[0].Header.Get("Message-Id")
	if id == "" || header != "<"+id+">" {
		t.Errorf("Send returned %q, header is %q", id, header)
	}
}

// verdict is what a Send's failure says: its class and code, and whether it
// may decide for others (Suppress the address, or, Fresh, block the channel).
type verdict struct {
	Class    failure.Class
	Code     string
	Suppress bool
	Fresh    bool
}

func TestPoolClassifiesServerReplies(t *testing.T) {
	const rcpt = "bob@example.org"
	plain := []smtptest.Option{smtptest.WithoutEnhancedStatusCodes()}
	tests := []struct {
		name  string
		opts  []smtptest.Option
		setup func(*smtptest.Server)
		url   func(*smtptest.Server) string
		edit  func(*mail.Config)
		to    string // default rcpt
		want  verdict
	}{
		{name: "450 mailbox busy", want: verdict{failure.Transient, "450 4.2.1", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 450, "4.2.1", "Mailbox busy", -1) }},
		{name: "421 closing channel", want: verdict{failure.RateLimited, "421 4.7.0", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 421, "4.7.0", "Too many connections", -1) }},
		{name: "451 4.7.1 throttled", want: verdict{failure.RateLimited, "451 4.7.1", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 451, "4.7.1", "Slow down", -1) }},
		{name: "550 5.1.1 unknown user", want: verdict{failure.Recipient, "550 5.1.1", true, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 550, "5.1.1", "No such user <"+rcpt+">", -1) }},
		{name: "550 5.1.2 no such domain", want: verdict{failure.Recipient, "550 5.1.2", true, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 550, "5.1.2", "Host unknown", -1) }},
		{name: "553 5.1.3 bad address syntax", want: verdict{failure.Recipient, "553 5.1.3", true, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 553, "5.1.3", "Bad address syntax", -1) }},
		{name: "556 5.1.10 null MX", want: verdict{failure.Recipient, "556 5.1.10", true, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 556, "5.1.10", "Domain does not accept mail", -1) }},
		{name: "550 5.1.0 unspecified address status", want: verdict{failure.Recipient, "550 5.1.0", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 550, "5.1.0", "Address rejected", -1) }},
		{name: "550 5.2.1 mailbox disabled", want: verdict{failure.Recipient, "550 5.2.1", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 550, "5.2.1", "Mailbox disabled", -1) }},
		{name: "552 5.2.2 mailbox full", want: verdict{failure.Recipient, "552 5.2.2", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 552, "5.2.2", "Mailbox full", -1) }},
		{name: "550 5.0.0 generic refusal", want: verdict{failure.Recipient, "550 5.0.0", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 550, "5.0.0", "Refused", -1) }},
		{name: "553 without enhanced code from an RFC 2034 server", want: verdict{failure.Recipient, "553", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 553, "", "Mailbox name not allowed", -1) }},
		{name: "550 from a server without enhanced status codes", opts: plain,
			want:  verdict{failure.Recipient, "550", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 550, "5.1.1", "No such user", -1) }},
		{name: "553 5.1.8 sender domain refused at RCPT", want: verdict{failure.Config, "553 5.1.8", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 553, "5.1.8", "Sender address rejected: Domain not found", -1) }},
		{name: "554 5.7.1 relaying denied", want: verdict{failure.Config, "554 5.7.1", false, false},
			setup: func(s *smtptest.Server) { s.Fail(rcpt, 554, "5.7.1", "Relay access denied", -1) }},
		{name: "552 message too big", want: verdict{failure.Config, "552 5.3.4", false, false},
			opts: []smtptest.Option{smtptest.WithMaxMessageBytes(200)}},
		{name: "550 5.1.1 after DATA", want: verdict{failure.Recipient, "550 5.1.1", true, false},
			setup: func(s *smtptest.Server) { s.FailData(rcpt, 550, "5.1.1", "No such user", -1) }},
		{name: "552 5.2.2 mailbox full after DATA", want: verdict{failure.Recipient, "552 5.2.2", false, false},
			setup: func(s *smtptest.Server) { s.FailData(rcpt, 552, "5.2.2", "Mailbox full", -1) }},
		{name: "554 5.7.1 content refused after DATA", want: verdict{failure.Config, "554 5.7.1", false, false},
			setup: func(s *smtptest.Server) { s.FailData(rcpt, 554, "5.7.1", "Spam", -1) }},
		{name: "550 after DATA from a server without enhanced status codes", opts: plain,
			want:  verdict{failure.Config, "550", false, false},
			setup: func(s *smtptest.Server) { s.FailData(rcpt, 550, "5.1.1", "No such user", -1) }},
		{name: "451 after DATA", want: verdict{failure.Transient, "451 4.3.0", false, false},
			setup: func(s *smtptest.Server) { s.FailData(rcpt, 451, "4.3.0", "Try later", -1) }},
		{name: "535 wrong password", want: verdict{failure.Config, "535 5.7.8", false, true},
			opts: []smtptest.Option{smtptest.WithAuth("muster", "right")},
			url:  func(s *smtptest.Server) string { return strings.Replace(s.URL(), ":right@", ":wrong@", 1) }},
		{name: "535 wrong password, without enhanced status codes", want: verdict{failure.Config, "535", false, true},
			opts: []smtptest.Option{smtptest.WithAuth("muster", "right"), smtptest.WithoutEnhancedStatusCodes()},
			url:  func(s *smtptest.Server) string { return strings.Replace(s.URL(), ":right@", ":wrong@", 1) }},
		{name: "530 authentication required at MAIL FROM", want: verdict{failure.Config, "530 5.7.0", false, false},
			opts: []smtptest.Option{smtptest.WithAuth("muster", "right")},
			url:  func(s *smtptest.Server) string { return strings.Replace(s.URL(), "muster:right@", "", 1) }},
		{name: "STARTTLS not offered", want: verdict{failure.Config, "setup", false, true},
			edit: func(c *mail.Config) { c.TLS = mail.TLSStartTLS }},
		{name: "TLS handshake with a plain server", want: verdict{failure.Config, "setup", false, true},
			edit: func(c *mail.Config) { c.TLS = mail.TLSImplicit }},
		{name: "connection refused", want: verdict{failure.Transient, "network", false, false},
			url: func(*smtptest.Server) string { return "smtp://127.0.0.1:" + closedPort(t) + "?tls=none" }},
		{name: "invalid address", want: verdict{failure.Recipient, "invalid-address", true, false}, to: "bob at example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.NewServer(t, tt.opts...)
			if tt.setup != nil {
				tt.setup(srv)
			}
			rawURL := srv.URL()
			if tt.url != nil {
				rawURL = tt.url(srv)
			}
			p := newPool(t, rawURL, tt.edit)
			to := rcpt
			if tt.to != "" {
				to = tt.to
			}

			_, err := p.Send(context.Background(), sampleMessage(to))
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Fatalf("Send error %v is not a *failure.Error", err)
			}
			if diff := cmp.Diff(tt.want, verdict{fe.Class, fe.Code, fe.Suppress, fe.Fresh}); diff != "" {
				t.Errorf("Send verdict (-want +got):\n%s\nerr: %v", diff, err)
			}
			if strings.Contains(err.Error(), "bob") {
				t.Errorf("error text names the recipient: %v", err)
			}
			if srv.Count() != 0 {
				t.Errorf("server accepted %d messages, want 0", srv.Count())
			}
		})
	}
}

// TestPoolConfigOnAPooledConnectionIsNotFresh: a sender refused on a
// connection that carried messages before says nothing new about the
// session's setup.
func TestPoolConfigOnAPooledConnectionIsNotFresh(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	if _, err := p.Send(context.Background(), sampleMessage("first@example.org")); err != nil {
		t.Fatalf("first Send: %v", err)
	}
	srv.FailData("bob@example.org", 554, "5.7.1", "Message refused", 1)

	_, err := p.Send(context.Background(), sampleMessage("bob@example.org"))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Class != failure.Config || fe.Fresh {
		t.Fatalf("Send error %v, want config without Fresh", err)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	return port
}

func TestPoolRetriesOnceOnAFreshConnection(t *testing.T) {
	tests := []struct {
		name string
		opts []smtptest.Option
		kill func(*testing.T, *smtptest.Server)
	}{
		{"server timed the idle connection out (421)",
			[]smtptest.Option{smtptest.WithIdleTimeout(150 * time.Millisecond)},
			func(t *testing.T, s *smtptest.Server) {
				waitFor(t, "the idle timeout", func() bool { return s.Active() == 0 })
			}},
		{"server dropped the connection (EOF)", nil,
			func(_ *testing.T, s *smtptest.Server) { s.DropConnections() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.NewServer(t, tt.opts...)
			p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
			if _, err := p.Send(context.Background(), sampleMessage("first@example.org")); err != nil {
				t.Fatalf("first Send: %v", err)
			}
			tt.kill(t, srv)

			if _, err := p.Send(context.Background(), sampleMessage("second@example.org")); err != nil {
				t.Fatalf("second Send: %v", err)
			}
			if got := []int{srv.Count(), srv.Connections(), srv.CountTo("second@example.org")}; !cmp.Equal(got, []int{2, 2, 1}) {
				t.Errorf("messages, connections, copies of the second = %v, want [2 2 1]", got)
			}
		})
	}
}

func TestPoolRetriesOnlyOnce(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.WithIdleTimeout(150*time.Millisecond))
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	if _, err := p.Send(context.Background(), sampleMessage("first@example.org")); err != nil {
		t.Fatalf("first Send: %v", err)
	}
	waitFor(t, "the idle timeout", func() bool { return srv.Active() == 0 })
	srv.Fail("busy@example.org", 450, "4.2.1", "Mailbox busy", -1)

	_, err := p.Send(context.Background(), sampleMessage("busy@example.org"))
	var fe *failure.Error
	if !errors.As(err, &fe) || fe.Class != failure.Transient || fe.Code != "450 4.2.1" {
		t.Fatalf("Send error %v, want the fresh connection's 450 4.2.1", err)
	}
	// The dead pooled connection, then one fresh one: no third attempt.
	if got := srv.Connections(); got != 2 {
		t.Errorf("server saw %d connections, want 2", got)
	}
}

func TestPoolObeysThrottlingOnAPooledConnection(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	if _, err := p.Send(context.Background(), sampleMessage("first@example.org")); err != nil {
		t.Fatalf("first Send: %v", err)
	}
	srv.Fail("busy@example.org", 421, "4.7.0", "Too many messages, slow down", 1)

	_, err := p.Send(context.Background(), sampleMessage("busy@example.org"))
	if got := failure.ClassOf(err); err == nil || got != failure.RateLimited {
		t.Fatalf("Send error %v (class %q), want rate_limited", err, got)
	}
	// No retry around the throttle on a new connection; the closed one is dropped.
	if got := []int{srv.CountTo("busy@example.org"), srv.Connections()}; !cmp.Equal(got, []int{0, 1}) {
		t.Errorf("copies, connections = %v, want [0 1]", got)
	}
	if _, err := p.Send(context.Background(), sampleMessage("busy@example.org")); err != nil {
		t.Fatalf("Send after the throttle: %v", err)
	}
	if got := srv.Connections(); got != 2 {
		t.Errorf("server saw %d connections, want 2 (the 421 connection is not reused)", got)
	}
}

func TestPoolKeepsConnectionAfterRecipientRefusal(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	srv.Fail("gone@example.org", 550, "5.1.1", "No such user", -1)

	for _, to := range []string{"a@example.org", "gone@example.org", "b@example.org"} {
		_, _ = p.Send(context.Background(), sampleMessage(to))
	}
	if got := []int{srv.Count(), srv.Connections()}; !cmp.Equal(got, []int{2, 1}) {
		t.Errorf("messages, connections = %v, want [2 1]", got)
	}
}

func TestPoolHonoursContext(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := p.Send(ctx, sampleMessage("ana@example.org"))
	if !errors.Is(err, context.Canceled) || failure.ClassOf(err) != failure.Transient {
		t.Fatalf("Send error %v, want a transient context.Canceled", err)
	}
	if got := srv.Connections(); got != 0 {
		t.Errorf("server saw %d connections, want 0", got)
	}
}

func TestPoolClose(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), nil)
	if _, err := p.Send(context.Background(), sampleMessage("ana@example.org")); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	waitFor(t, "the pooled connection to close", func() bool { return srv.Active() == 0 })
	if _, err := p.Send(context.Background(), sampleMessage("ana@example.org")); !errors.Is(err, mail.ErrClosed) {
		t.Errorf("Send after Close = %v, want ErrClosed", err)
	}
}

func TestPoolSenderWaitsForAFreeConnection(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	reached, release := srv.Hold("slow@example.org")
	slow := make(chan error, 1)
	go func() {
		_, err := p.Send(context.Background(), sampleMessage("slow@example.org"))
		slow <- err
	}()
	<-reached // the only connection is busy

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := p.Send(ctx, sampleMessage("fast@example.org"))
	if !errors.Is(err, context.DeadlineExceeded) || failure.ClassOf(err) != failure.Transient {
		t.Errorf("Send while the pool is busy = %v, want a transient deadline error", err)
	}
	release()
	if err := <-slow; err != nil {
		t.Errorf("slow Send: %v", err)
	}
	if _, err := p.Send(context.Background(), sampleMessage("fast@example.org")); err != nil {
		t.Errorf("Send after the connection came back: %v", err)
	}
	if got := []int{srv.Count(), srv.Connections()}; !cmp.Equal(got, []int{2, 1}) {
		t.Errorf("messages, connections = %v, want [2 1]", got)
	}
}

func TestPoolCancelInterruptsASend(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	reached, release := srv.Hold("stuck@example.org")
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := p.Send(ctx, sampleMessage("stuck@example.org"))
		done <- err
	}()
	<-reached
	cancel()

	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || failure.ClassOf(err) != failure.Transient {
			t.Errorf("cancelled Send = %v, want a transient context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Send did not return after its context was cancelled")
	}
	// The interrupted connection is not reused.
	if _, err := p.Send(context.Background(), sampleMessage("next@example.org")); err != nil {
		t.Fatalf("Send after the cancel: %v", err)
	}
	if got := []int{srv.CountTo("stuck@example.org"), srv.CountTo("next@example.org"), srv.Connections()}; !cmp.Equal(got, []int{0, 1, 2}) {
		t.Errorf("stuck, next, connections = %v, want [0 1 2]", got)
	}
}
