package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/smtptest"
)

// TestPoolNeverSendsASilentSecondCopy loses the reply to the final dot in
// every way a client can: the server may have the message, so it is
// Ambiguous and never sent again on another connection.
func TestPoolNeverSendsASilentSecondCopy(t *testing.T) {
	const rcpt = "lost@example.org"
	tests := []struct {
		name    string
		pooled  bool // sent on a connection that already carried a message
		timeout time.Duration
		// lose sets the server up to lose the reply; cancel, when set, is
		// called once the server holds the reply.
		lose   func(*smtptest.Server) (reached <-chan struct{}, release func())
		cancel bool
	}{
		{name: "connection lost after the final dot, pooled connection", pooled: true, lose: dropReply},
		{name: "connection lost after the final dot, new connection", lose: dropReply},
		{name: "no reply before the timeout, pooled connection", pooled: true, timeout: 300 * time.Millisecond, lose: holdReply},
		{name: "cancelled while waiting for the reply", pooled: true, lose: holdReply, cancel: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.NewServer(t)
			p := newPool(t, srv.URL(), func(c *mail.Config) {
				c.PoolSize = 1
				if tt.timeout > 0 {
					c.Timeout = tt.timeout
				}
			})
			if tt.pooled {
				if _, err := p.Send(context.Background(), sampleMessage("first@example.org")); err != nil {
					t.Fatalf("first Send: %v", err)
				}
			}
			reached, release := tt.lose(srv)
			defer release()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				go func() {
					<-reached
					cancel()
				}()
			}

			_, err := p.Send(ctx, sampleMessage(rcpt))
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Class != failure.Ambiguous || fe.Code != "no-reply-after-data" {
				t.Fatalf("Send error %v, want ambiguous (no-reply-after-data)", err)
			}
			if strings.Contains(err.Error(), "lost@") {
				t.Errorf("error text names the recipient: %v", err)
			}
			// One copy, and no new connection to send a second one.
			if got := []int{srv.CountTo(rcpt), srv.Connections()}; !cmp.Equal(got, []int{1, 1}) {
				t.Errorf("copies, connections = %v, want [1 1]", got)
			}
			// The connection whose reply was lost is not reused.
			release()
			if _, err := p.Send(context.Background(), sampleMessage("next@example.org")); err != nil {
				t.Fatalf("Send after the lost reply: %v", err)
			}
			if got := []int{srv.CountTo(rcpt), srv.Connections()}; !cmp.Equal(got, []int{1, 2}) {
				t.Errorf("copies, connections after the next Send = %v, want [1 2]", got)
			}
		})
	}
}

func dropReply(s *smtptest.Server) (<-chan struct{}, func()) {
	s.DropReply("lost@example.org", 1)
	reached := make(chan struct{})
	close(reached)
	return reached, func() {}
}

func holdReply(s *smtptest.Server) (<-chan struct{}, func()) {
	return s.HoldReply("lost@example.org")
}

// TestPoolCancelMidDataIsTransient cancels a Send while its message is still
// being written: without the final dot the server discards it, so the
// failure is an ordinary transient one.
func TestPoolCancelMidDataIsTransient(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
	reached, release := srv.HoldData("big@example.org")
	defer release()
	m := sampleMessage("big@example.org")
	// More than the connection's buffers hold, so that the client is stuck
	// writing while the server does not read.
	m.HTML = strings.Repeat("<p>Nos vemos en Parliament Square.</p>\n", 16<<20/40)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-reached
		cancel()
	}()

	_, err := p.Send(ctx, m)
	if got := failure.ClassOf(err); err == nil || got != failure.Transient {
		t.Fatalf("Send error %v (class %q), want transient", err, got)
	}
	release()
	if srv.CountTo("big@example.org") != 0 {
		t.Errorf("server received the cancelled message")
	}
}

// TestPoolOverTLS sends, and loses a reply, inside TLS: the session must see
// the bytes leave beneath TLS to tell a lost reply from a message cut short.
func TestPoolOverTLS(t *testing.T) {
	tests := []struct {
		name string
		opt  smtptest.Option
	}{
		{"STARTTLS", smtptest.WithStartTLS()},
		{"implicit TLS", smtptest.WithImplicitTLS()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.NewServer(t, tt.opt, smtptest.WithAuth("muster", "s3cret"))
			p := newPool(t, srv.URL(), func(c *mail.Config) { c.PoolSize = 1 })
			if _, err := p.Send(context.Background(), sampleMessage("first@example.org")); err != nil {
				t.Fatalf("first Send: %v", err)
			}
			srv.DropReply("lost@example.org", 1)

			_, err := p.Send(context.Background(), sampleMessage("lost@example.org"))
			if got := failure.ClassOf(err); got != failure.Ambiguous {
				t.Fatalf("Send error %v (class %q), want ambiguous", err, got)
			}
			if got := []int{srv.Count(), srv.CountTo("lost@example.org"), srv.Connections()}; !cmp.Equal(got, []int{2, 1, 1}) {
				t.Errorf("messages, copies, connections = %v, want [2 1 1]", got)
			}
		})
	}
}
