package smtptest

import (
	"bytes"
	"io"
	"net/mail"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// errClientGone ends a command whose client hung up, or that we hung up on:
// nobody reads its reply.
var errClientGone = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Connection lost"}

// session is one SMTP connection; go-smtp calls it from that connection's
// goroutine only.
type session struct {
	srv    *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	sess := &session{srv: s, conn: c}
	s.mu.Lock()
	s.open[sess] = struct{}{}
	s.mu.Unlock()
	return sess, nil
}

// AuthMechanisms offers PLAIN when the server wants credentials.
func (ss *session) AuthMechanisms() []string {
	if ss.srv.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks PLAIN credentials.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.srv.user == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != ss.srv.user || pass != ss.srv.pass {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

// Mail starts a transaction.
func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.user != "" && !ss.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	ss.from, ss.to = from, nil
	return nil
}

// Rcpt adds a recipient unless a Fail rule answers for it, after any Hold.
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.srv.waitRcpt(to, ss.conn.Conn()) {
		return errClientGone
	}
	if err := ss.srv.takeRule(ss.srv.rcptRule, to); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

// Data receives the message (after any HoldData) and answers after the final
// dot, unless a FailData rule refuses it; a HoldReply then holds the answer and a DropReply
// rule hangs up instead of giving it.
func (ss *session) Data(r io.Reader) error {
	for _, to := range ss.to {
		ss.srv.waitData(to)
	}
	data, err := ss.read(r)
	if err != nil {
		return err // go-smtp answers a too-big message with 552 5.3.4
	}
	for _, to := range ss.to {
		if err := ss.srv.takeRule(ss.srv.dataRule, to); err != nil {
			return err
		}
	}
	if err := ss.accept(data); err != nil {
		return err
	}
	for _, to := range ss.to {
		if !ss.srv.waitReply(to, ss.conn.Conn()) {
			return errClientGone
		}
	}
	for _, to := range ss.to {
		if ss.srv.take(ss.srv.dropRule, to) != nil {
			// No reply to the final dot: go-smtp's own reply fails on the
			// closed connection, and its session ends.
			_ = ss.conn.Conn().Close()
			return errClientGone
		}
	}
	return nil
}

// accept records the message, or refuses a malformed one.
func (ss *session) accept(data []byte) error {
	if ss.srv.discard {
		ss.srv.record(Received{})
		return nil
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Malformed message header"}
	}
	to := append([]string(nil), ss.to...)
	ss.srv.record(Received{From: ss.from, To: to, Data: data, Header: msg.Header})
	return nil
}

func (ss *session) read(r io.Reader) ([]byte, error) {
	if ss.srv.discard {
		_, err := io.Copy(io.Discard, r)
		return nil, err
	}
	return io.ReadAll(r)
}

// Reset ends the transaction (RSET, or after DATA).
func (ss *session) Reset() {
	ss.from, ss.to = "", nil
}

// Logout runs when the connection closes.
func (ss *session) Logout() error {
	ss.srv.mu.Lock()
	delete(ss.srv.open, ss)
	ss.srv.mu.Unlock()
	return nil
}
