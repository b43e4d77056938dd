package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// clientOptions turns cfg into go-mail options. NOOP before each message and
// RSET after each delivered one are skipped: both are round trips, a pooled
// connection is checked by using it (a dead one is retried once, see
// Pool.deliver), and go-mail still sends RSET after a refused MAIL or RCPT.
func clientOptions(cfg Config) []gomail.Option {
	tlsConfig := &tls.Config{
		ServerName:         cfg.Host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // opt-in through the URL, for test relays
	}
	d := dialer{}
	opts := []gomail.Option{
		gomail.WithTimeout(cfg.Timeout), gomail.WithoutNoop(), gomail.WithoutRset(),
		gomail.WithTLSConfig(tlsConfig),
	}
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		d.tls = tlsConfig
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	opts = append(opts, gomail.WithDialContextFunc(d.dial), gomail.WithPort(cfg.Port))
	if cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(cfg.HELO))
	}
	if cfg.Username != "" {
		// PLAIN where offered, else LOGIN (Office 365 offers only LOGIN). Both
		// refuse to run without TLS except towards localhost, which
		// Config.validate already demands.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return opts
}

// dialer opens the TCP (or, for implicit TLS, TLS) connection for go-mail and
// hands it back through the context: DialToSMTPClientWithContext does not
// close the connection when EHLO, STARTTLS or AUTH fail after the dial.
type dialer struct {
	tls *tls.Config // set for implicit TLS
}

type dialedKey struct{}

// dialed receives the connection made during one dial.
type dialed struct{ wire *wire }

// dial returns the TCP connection wrapped in a wire, under TLS for implicit
// TLS: go-mail must get the *tls.Conn itself to know the session is
// encrypted, and the wire must see the bytes as they leave.
func (d dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	raw, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	w := &wire{Conn: raw}
	if slot, ok := ctx.Value(dialedKey{}).(*dialed); ok {
		slot.wire = w
	}
	if d.tls == nil {
		return w, nil
	}
	tc := tls.Client(w, d.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		_ = raw.Close()
		return nil, err
	}
	return tc, nil
}

// session is one open SMTP connection. wire is kept beside client because
// closing client waits for the command in flight, and ctx must interrupt it;
// closing the wire closes any TLS above it too.
type session struct {
	client *smtp.Client
	wire   *wire
}

// dial opens one SMTP session, ready for MAIL FROM.
func (p *Pool) dial(ctx context.Context) (*session, error) {
	slot := &dialed{}
	c, err := p.client.DialToSMTPClientWithContext(context.WithValue(ctx, dialedKey{}, slot))
	if err != nil {
		if slot.wire != nil {
			_ = slot.wire.Close()
		}
		return nil, fmt.Errorf("mail: connect to %s: %w", p.addr, err)
	}
	return &session{client: c, wire: slot.wire}, nil
}

// quit ends s politely, within a short deadline.
func (s *session) quit() {
	_ = s.wire.SetDeadline(time.Now().Add(2 * time.Second))
	_ = s.client.Quit()
	_ = s.wire.Close()
}
