package mail

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/muster-org/muster/internal/failure"
)

// stage is the point of the SMTP dialogue where the server said no.
type stage int

const (
	stageSetup stage = iota // greeting, EHLO, STARTTLS, AUTH
	stageMail               // MAIL FROM
	stageRcpt               // RCPT TO
	stageData               // DATA and the reply after the final dot
)

// replyClass decides what a server reply means for the delivery. The rules,
// by reply code first and enhanced status code (RFC 3463) second, never by
// the reply text:
//   - 421 (the server is closing the channel, often "too many connections" or
//     "slow down") and 4xx with 4.7.0, 4.7.1 or 4.7.28 (policy deferrals:
//     throttling, rate limits, greylisting) are RateLimited: wait, do not
//     spend the retry budget;
//   - any other 4xx is Transient;
//   - 5xx at RCPT TO is about the recipient (Recipient, which suppresses
//     them), unless its enhanced code is 5.7.x: a policy refusal at our own
//     relay (relaying denied, authentication required) would refuse every
//     recipient alike, so it is Config;
//   - 5xx after DATA is Recipient only with a 5.1.x (address) code, as some
//     servers check recipients late; otherwise the content or the sender was
//     refused (552 message too big, 554 5.7.1 spam), which would fail every
//     message of the alert: Config;
//   - 5xx during setup (AUTH 535/534/530, greeting 554) or at MAIL FROM (the
//     sender refused) is Config.
func replyClass(st stage, code int, enhanced string) failure.Class {
	switch {
	case code == 421 || code/100 == 4 && throttling(enhanced):
		return failure.RateLimited
	case code/100 != 5:
		return failure.Transient
	case st == stageRcpt && !strings.HasPrefix(enhanced, "5.7."):
		return failure.Recipient
	case st == stageData && strings.HasPrefix(enhanced, "5.1."):
		return failure.Recipient
	default:
		return failure.Config
	}
}

func throttling(enhanced string) bool {
	return enhanced == "4.7.0" || enhanced == "4.7.1" || enhanced == "4.7.28"
}

func replyCode(code int, enhanced string) string {
	if enhanced == "" {
		return strconv.Itoa(code)
	}
	return strconv.Itoa(code) + " " + enhanced
}

// classifyDial classifies a failure to open a session. Without a server
// reply, a network fault (refused, reset, timeout, EOF) is Transient and
// anything else (TLS handshake or certificate, STARTTLS not offered, no
// usable AUTH mechanism) is Config: retrying cannot mend it.
func classifyDial(err error) error {
	var reply *textproto.Error
	switch {
	case errors.As(err, &reply):
		enhanced := enhancedCode(reply.Msg)
		return failure.New(replyClass(stageSetup, reply.Code, enhanced), replyCode(reply.Code, enhanced), err)
	case isNetwork(err):
		return failure.New(failure.Transient, "network", err)
	default:
		return failure.New(failure.Config, "setup", err)
	}
}

// classifySend classifies an error of SendWithSMTPClient for one message.
// The error of a refused RCPT TO is not wrapped: go-mail's text names the
// recipient, and recipients' addresses never reach the logs.
func classifySend(err error) error {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return failure.New(failure.Transient, "network", fmt.Errorf("mail: send: %w", err))
	}
	cause := fmt.Errorf("mail: send: %w", se)
	if se.Reason == gomail.ErrSMTPRcptTo {
		cause = fmt.Errorf("mail: send: RCPT TO failed (%s)", replyCode(se.ErrorCode(), se.EnhancedStatusCode()))
	}
	code := se.ErrorCode()
	switch {
	case code == 0 && localReason(se.Reason):
		return failure.New(failure.Config, "invalid-message", cause)
	case code == 0:
		return failure.New(failure.Transient, "network", cause)
	}
	enhanced := se.EnhancedStatusCode()
	return failure.New(replyClass(sendStage(se.Reason), code, enhanced), replyCode(code, enhanced), cause)
}

func sendStage(r gomail.SendErrReason) stage {
	switch r {
	case gomail.ErrSMTPMailFrom:
		return stageMail
	case gomail.ErrSMTPRcptTo:
		return stageRcpt
	default:
		return stageData
	}
}

// localReason reports reasons go-mail finds before talking to the server.
func localReason(r gomail.SendErrReason) bool {
	return r == gomail.ErrGetSender || r == gomail.ErrGetRcpts || r == gomail.ErrNoUnencoded
}

// diedIdle reports whether err shows that a reused session had died while
// idle, before this message: no reply at all, or 421 to MAIL FROM (its first
// command) as MTAs answer after their idle timeout (4.4.2). A 421 that says
// throttling (4.7.x), or one given later in the transaction, is obeyed, not
// retried around on a new connection.
func diedIdle(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || localReason(se.Reason) {
		return false
	}
	switch se.ErrorCode() {
	case 0:
		return true
	case 421:
		return se.Reason == gomail.ErrSMTPMailFrom && !strings.HasPrefix(se.EnhancedStatusCode(), "4.7.")
	default:
		return false
	}
}

// reusable reports whether the session is still in a known state after err:
// a refused MAIL or RCPT (go-mail then sends RSET) or a refused message
// (the transaction ends with the reply to the final dot), but not after no
// reply at all or a 421, which closes the channel.
func reusable(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return true
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPDataClose:
		return se.ErrorCode() != 0 && se.ErrorCode() != 421
	default:
		return false
	}
}

func isNetwork(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed)
}

// enhancedCode returns the RFC 3463 status code that starts a reply text
// ("5.7.8 Authentication failed"), or "".
func enhancedCode(text string) string {
	word, _, _ := strings.Cut(text, " ")
	parts := strings.Split(word, ".")
	if len(parts) != 3 || len(parts[0]) != 1 || !strings.Contains("245", parts[0]) { //nolint:gocritic // is the class digit one of 2, 4, 5
		return ""
	}
	for _, p := range parts[1:] {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || len(p) > 3 {
			return ""
		}
	}
	return word
}
