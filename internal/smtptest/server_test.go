package smtptest_test

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/smtptest"
)

// dial opens a session with go-smtp's own client, independent of ours.
func dial(t *testing.T, s *smtptest.Server) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if err := c.Hello("client.test"); err != nil {
		t.Fatalf("EHLO: %v", err)
	}
	return c
}

func message(subject string) string {
	return "From: a@example.org\r\nTo: b@example.org\r\nSubject: " + subject + "\r\n\r\nbody\r\n"
}

// send runs one transaction and returns the first refusal.
func send(c *smtp.Client, from string, to []string, body string) error {
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt, nil); err != nil {
			_ = c.Reset()
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return err
	}
	return w.Close()
}

// reply returns "code x.y.z" of an SMTP refusal, or "ok".
func reply(err error) string {
	var se *smtp.SMTPError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &se):
		return fmt.Sprintf("%d %d.%d.%d", se.Code, se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2])
	default:
		return err.Error()
	}
}

func TestServerRecordsManyMessagesPerSession(t *testing.T) {
	s := smtptest.NewServer(t)
	c := dial(t, s)
	if ok, _ := c.Extension("ENHANCEDSTATUSCODES"); !ok {
		t.Error("EHLO does not advertise ENHANCEDSTATUSCODES")
	}
	if err := send(c, "a@example.org", []string{"b@example.org", "C@example.org"}, message("one")); err != nil {
		t.Fatalf("first message: %v", err)
	}
	if err := c.Mail("a@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Reset(); err != nil {
		t.Fatalf("RSET: %v", err)
	}
	if err := send(c, "a@example.org", []string{"c@example.org"}, message("two")); err != nil {
		t.Fatalf("second message: %v", err)
	}

	got := s.Messages()
	type summary struct {
		From, Subject string
		To            []string
	}
	var sums []summary
	for _, m := range got {
		sums = append(sums, summary{m.From, m.Header.Get("Subject"), m.To})
	}
	want := []summary{
		{"a@example.org", "one", []string{"b@example.org", "C@example.org"}},
		{"a@example.org", "two", []string{"c@example.org"}},
	}
	if diff := cmp.Diff(want, sums); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if got := []int{s.Count(), s.CountTo("c@EXAMPLE.org"), s.Connections()}; !cmp.Equal(got, []int{2, 2, 1}) {
		t.Errorf("count, count to c, connections = %v, want [2 2 1]", got)
	}
	if !strings.HasSuffix(string(got[0].Data), "body\r\n") {
		t.Errorf("data = %q, want the body with CRLF", got[0].Data)
	}
}

func TestServerAuth(t *testing.T) {
	tests := []struct {
		name string
		auth sasl.Client
		want string
	}{
		{"right credentials", sasl.NewPlainClient("", "muster", "s3cret"), "ok"},
		{"wrong password", sasl.NewPlainClient("", "muster", "nope"), "535 5.7.8"},
		{"no AUTH before MAIL", nil, "530 5.7.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, smtptest.WithAuth("muster", "s3cret"))
			c := dial(t, s)
			if !c.SupportsAuth(sasl.Plain) {
				t.Fatal("EHLO does not advertise AUTH PLAIN")
			}
			var err error
			if tt.auth != nil {
				err = c.Auth(tt.auth)
			}
			if err == nil {
				err = send(c, "a@example.org", []string{"b@example.org"}, message("x"))
			}
			if got := reply(err); got != tt.want {
				t.Errorf("reply = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestServerFailInjection(t *testing.T) {
	const rcpt = "bob@example.org"
	tests := []struct {
		name  string
		setup func(*smtptest.Server)
		want  []string // replies to four attempts
	}{
		{"rcpt twice", func(s *smtptest.Server) { s.Fail(rcpt, 450, "4.2.1", "Busy", 2) },
			[]string{"450 4.2.1", "450 4.2.1", "ok", "ok"}},
		{"rcpt always", func(s *smtptest.Server) { s.Fail("BOB@example.org", 550, "5.1.1", "No such user", -1) },
			[]string{"550 5.1.1", "550 5.1.1", "550 5.1.1", "550 5.1.1"}},
		{"rcpt removed with times 0", func(s *smtptest.Server) {
			s.Fail(rcpt, 550, "5.1.1", "No such user", -1)
			s.Fail(rcpt, 550, "5.1.1", "No such user", 0)
		}, []string{"ok", "ok", "ok", "ok"}},
		{"data once", func(s *smtptest.Server) { s.FailData(rcpt, 554, "5.7.1", "Spam", 1) },
			[]string{"554 5.7.1", "ok", "ok", "ok"}},
		{"other recipients unaffected", func(s *smtptest.Server) { s.Fail("eve@example.org", 550, "5.1.1", "No", -1) },
			[]string{"ok", "ok", "ok", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t)
			tt.setup(s)
			c := dial(t, s)
			var got []string
			for range tt.want {
				got = append(got, reply(send(c, "a@example.org", []string{rcpt}, message("x"))))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("replies (-want +got):\n%s", diff)
			}
			if want := strings.Count(strings.Join(tt.want, ","), "ok"); s.Count() != want {
				t.Errorf("Count = %d, want %d", s.Count(), want)
			}
		})
	}
}

func TestServerMaxMessageBytes(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.WithMaxMessageBytes(64))
	c := dial(t, s)
	err := send(c, "a@example.org", []string{"b@example.org"}, message(strings.Repeat("x", 100)))
	if got := reply(err); got != "552 5.3.4" {
		t.Errorf("reply = %q, want 552 5.3.4", got)
	}
}

func TestServerRefusesMessageWithoutHeader(t *testing.T) {
	s := smtptest.NewServer(t)
	c := dial(t, s)
	err := send(c, "a@example.org", []string{"b@example.org"}, "no header line at all\r\n")
	if got := reply(err); got != "554 5.6.0" {
		t.Errorf("reply = %q, want 554 5.6.0", got)
	}
}

func TestServerDiscard(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.WithDiscard())
	c := dial(t, s)
	for i := range 3 {
		if err := send(c, "a@example.org", []string{"b@example.org"}, message(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	s.WaitCount(t, 3, time.Second)
	if got := []int{s.Count(), len(s.Messages()), s.CountTo("b@example.org")}; !cmp.Equal(got, []int{3, 0, 0}) {
		t.Errorf("count, kept, count to b = %v, want [3 0 0]", got)
	}
}

func TestServerIdleTimeout(t *testing.T) {
	s := smtptest.NewServer(t, smtptest.WithIdleTimeout(50*time.Millisecond))
	c := dial(t, s)
	deadline := time.Now().Add(5 * time.Second)
	for s.Active() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the idle session was not closed")
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The server said 421 before hanging up; the client reads it now.
	err := c.Noop()
	if got := reply(err); got != "421 4.4.2" {
		t.Errorf("reply after idling = %q, want 421 4.4.2", got)
	}
}

func TestServerURL(t *testing.T) {
	tests := []struct {
		name string
		opts []smtptest.Option
		want string
	}{
		{"no auth", nil, "smtp://ADDR?tls=none"},
		{"auth is escaped", []smtptest.Option{smtptest.WithAuth("mus ter", "p@ss")}, "smtp://mus%20ter:p%40ss@ADDR?tls=none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, tt.opts...)
			if want := strings.Replace(tt.want, "ADDR", s.Addr(), 1); s.URL() != want {
				t.Errorf("URL = %q, want %q", s.URL(), want)
			}
		})
	}
}

func TestStartAndClose(t *testing.T) {
	s, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := c.Noop(); err == nil {
		t.Error("session still answers after Close")
	}
	if _, err := smtp.Dial(s.Addr()); err == nil {
		t.Error("server still accepts connections after Close")
	}
}

func TestServerHold(t *testing.T) {
	s := smtptest.NewServer(t)
	reached, release := s.Hold("slow@example.org")
	c := dial(t, s)
	done := make(chan error, 1)
	go func() { done <- send(c, "a@example.org", []string{"slow@example.org"}, message("x")) }()

	<-reached
	select {
	case err := <-done:
		t.Fatalf("RCPT answered while held: %v", err)
	default:
	}
	if s.Count() != 0 {
		t.Fatalf("Count = %d while held", s.Count())
	}
	release()
	release() // twice is harmless
	if err := <-done; err != nil {
		t.Fatalf("send after release: %v", err)
	}
	if s.Count() != 1 {
		t.Errorf("Count = %d, want 1", s.Count())
	}
}

// rawSession speaks SMTP line by line, to see replies exactly as written.
type rawSession struct {
	t *testing.T
	c *textproto.Conn
}

func dialRaw(t *testing.T, s *smtptest.Server) *rawSession {
	t.Helper()
	c, err := textproto.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	r := &rawSession{t: t, c: c}
	r.lines() // greeting
	return r
}

// lines reads one reply, every line of it as written.
func (r *rawSession) lines() []string {
	r.t.Helper()
	var out []string
	for {
		line, err := r.c.ReadLine()
		if err != nil {
			r.t.Fatalf("read reply: %v (so far %q)", err, out)
		}
		out = append(out, line)
		if len(line) < 4 || line[3] != '-' {
			return out
		}
	}
}

// cmd sends one command and returns its reply's lines.
func (r *rawSession) cmd(line string) []string {
	r.t.Helper()
	if err := r.c.PrintfLine("%s", line); err != nil {
		r.t.Fatalf("write %q: %v", line, err)
	}
	return r.lines()
}

func TestServerWithoutEnhancedStatusCodes(t *testing.T) {
	tests := []struct {
		name         string
		opts         []smtptest.Option
		wantExt      bool
		wantRcpt     string
		wantAccepted string
	}{
		{"RFC 2034 server", nil, true, "550 5.1.1 No such user", "250 2.0.0 OK: queued"},
		{"older MTA", []smtptest.Option{smtptest.WithoutEnhancedStatusCodes()}, false, "550 No such user", "250 OK: queued"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, tt.opts...)
			s.Fail("gone@example.org", 550, "5.1.1", "No such user", -1)
			r := dialRaw(t, s)
			ehlo := r.cmd("EHLO client.test")
			if got := slices.Contains(ehlo, "250-ENHANCEDSTATUSCODES"); got != tt.wantExt {
				t.Errorf("EHLO advertises ENHANCEDSTATUSCODES = %v, want %v: %q", got, tt.wantExt, ehlo)
			}
			if last := ehlo[len(ehlo)-1]; !strings.HasPrefix(last, "250 ") {
				t.Errorf("EHLO reply ends with %q, want a last 250 line", last)
			}
			r.cmd("MAIL FROM:<a@example.org>")
			if got := r.cmd("RCPT TO:<gone@example.org>"); !cmp.Equal(got, []string{tt.wantRcpt}) {
				t.Errorf("RCPT reply %q, want %q", got, tt.wantRcpt)
			}
			r.cmd("RCPT TO:<b@example.org>")
			r.cmd("DATA")
			if got := r.cmd(message("x") + "."); !cmp.Equal(got, []string{tt.wantAccepted}) {
				t.Errorf("reply to the final dot %q, want %q", got, tt.wantAccepted)
			}
			if s.Count() != 1 {
				t.Errorf("Count = %d, want 1", s.Count())
			}
		})
	}
}

func TestServerDropReply(t *testing.T) {
	s := smtptest.NewServer(t)
	s.DropReply("Lost@example.org", 2)
	var got []string
	for range 3 {
		c := dial(t, s)
		got = append(got, reply(send(c, "a@example.org", []string{"lost@example.org"}, message("x"))))
	}
	if want := []string{"EOF", "EOF", "ok"}; !cmp.Equal(got, want) {
		t.Errorf("replies %q, want %q", got, want)
	}
	// Every copy arrived, including the two whose reply was lost.
	if got := []int{s.Count(), s.CountTo("lost@example.org")}; !cmp.Equal(got, []int{3, 3}) {
		t.Errorf("count, count to lost = %v, want [3 3]", got)
	}
	poll.Until(t, 5*time.Second, func() bool { return s.Active() <= 1 },
		func() string { return fmt.Sprintf("%d sessions open, want the dropped ones closed", s.Active()) })
}

func TestServerHoldReply(t *testing.T) {
	s := smtptest.NewServer(t)
	reached, release := s.HoldReply("held@example.org")
	c := dial(t, s)
	done := make(chan error, 1)
	go func() { done <- send(c, "a@example.org", []string{"held@example.org"}, message("x")) }()

	<-reached
	select {
	case err := <-done:
		t.Fatalf("final dot answered while held: %v", err)
	default:
	}
	// The message is in the server's hands before the client hears so.
	if got := []int{s.Count(), s.Held()}; !cmp.Equal(got, []int{1, 1}) {
		t.Errorf("count, held = %v while held, want [1 1]", got)
	}
	release()
	release() // twice is harmless
	if err := <-done; err != nil {
		t.Fatalf("send after release: %v", err)
	}
	// Released: the next message is answered at once, on the same session.
	if err := send(c, "a@example.org", []string{"held@example.org"}, message("y")); err != nil {
		t.Fatalf("send after release: %v", err)
	}
	if got := []int{s.Count(), s.Held(), s.Connections()}; !cmp.Equal(got, []int{2, 0, 1}) {
		t.Errorf("count, held, connections = %v, want [2 0 1]", got)
	}
}

func TestServerHoldReplyClientHangsUp(t *testing.T) {
	s := smtptest.NewServer(t)
	reached, release := s.HoldReply("held@example.org")
	defer release()
	r := dialRaw(t, s)
	r.cmd("EHLO client.test")
	r.cmd("MAIL FROM:<a@example.org>")
	r.cmd("RCPT TO:<held@example.org>")
	r.cmd("DATA")
	if err := r.c.PrintfLine("%s.", message("x")); err != nil {
		t.Fatal(err)
	}
	<-reached
	_ = r.c.Close() // as a killed client's kernel does

	poll.Until(t, 5*time.Second, func() bool { return s.Held() == 0 && s.Active() == 0 },
		func() string { return fmt.Sprintf("held %d, active %d after the client hung up", s.Held(), s.Active()) })
	if s.Count() != 1 {
		t.Errorf("Count = %d, want 1: the message arrived before the hang-up", s.Count())
	}
	// The server still serves; a later release and Close do not block.
	release()
	if err := send(dial(t, s), "a@example.org", []string{"held@example.org"}, message("y")); err != nil {
		t.Fatalf("send after the hang-up: %v", err)
	}
}

func TestServerCloseReleasesHeldReplies(t *testing.T) {
	s, err := smtptest.Start()
	if err != nil {
		t.Fatal(err)
	}
	reached, _ := s.HoldReply("held@example.org")
	c := dial(t, s)
	done := make(chan error, 1)
	go func() { done <- send(c, "a@example.org", []string{"held@example.org"}, message("x")) }()
	<-reached
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := <-done; err == nil {
		t.Error("the held send succeeded after Close, want a lost reply")
	}
}

func TestServerHoldData(t *testing.T) {
	s := smtptest.NewServer(t)
	reached, release := s.HoldData("slow@example.org")
	c := dial(t, s)
	done := make(chan error, 1)
	go func() { done <- send(c, "a@example.org", []string{"slow@example.org"}, message("x")) }()

	<-reached
	if s.Count() != 0 {
		t.Fatalf("Count = %d while the message is unread", s.Count())
	}
	release()
	if err := <-done; err != nil {
		t.Fatalf("send after release: %v", err)
	}
	if s.Count() != 1 {
		t.Errorf("Count = %d, want 1", s.Count())
	}
}

func TestServerTLS(t *testing.T) {
	insecure := &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the server's certificate is self-signed
	tests := []struct {
		name    string
		opts    []smtptest.Option
		dial    func(addr string) (*smtp.Client, error)
		wantURL string
	}{
		{"STARTTLS", []smtptest.Option{smtptest.WithStartTLS()},
			func(addr string) (*smtp.Client, error) { return smtp.DialStartTLS(addr, insecure) },
			"smtp://ADDR?tls=starttls&insecure_skip_verify=true"},
		{"implicit TLS without enhanced status codes",
			[]smtptest.Option{smtptest.WithImplicitTLS(), smtptest.WithoutEnhancedStatusCodes()},
			func(addr string) (*smtp.Client, error) { return smtp.DialTLS(addr, insecure) },
			"smtps://ADDR?insecure_skip_verify=true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.NewServer(t, tt.opts...)
			if want := strings.Replace(tt.wantURL, "ADDR", s.Addr(), 1); s.URL() != want {
				t.Errorf("URL = %q, want %q", s.URL(), want)
			}
			c, err := tt.dial(s.Addr())
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			t.Cleanup(func() { _ = c.Close() })
			if _, ok := c.TLSConnectionState(); !ok {
				t.Error("the session is not encrypted")
			}
			for range 2 {
				if err := send(c, "a@example.org", []string{"b@example.org"}, message("x")); err != nil {
					t.Fatalf("send: %v", err)
				}
			}
			if got := []int{s.Count(), s.Connections()}; !cmp.Equal(got, []int{2, 1}) {
				t.Errorf("count, connections = %v, want [2 1]", got)
			}
		})
	}
	if _, err := smtptest.Start(smtptest.WithStartTLS(), smtptest.WithoutEnhancedStatusCodes()); err == nil {
		t.Error("Start with STARTTLS and without enhanced status codes: no error")
	}
}
