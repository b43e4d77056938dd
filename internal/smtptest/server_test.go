package smtptest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

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
