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

// classifyReply decides what a server reply means for the delivery. The
// rules, by reply code first and enhanced status code (RFC 3463) second, never
// by the reply text:
//   - 421 (the server is closing the channel, often "too many connections" or
//     "slow down") and 4xx with 4.7.0, 4.7.1 or 4.7.28 (policy deferrals:
//     throttling, rate limits, greylisting) are RateLimited: wait, do not
//     spend the retry budget;
//   - any other 4xx is Transient;
//   - 5.1.7 and 5.1.8, at any stage, are about our sender's address: Config;
//   - 5xx at RCPT TO is Recipient, unless its enhanced code is 5.7.x: a policy
//     refusal at our own relay (relaying denied, authentication required)
//     would refuse every recipient alike, so it is Config;
//   - 5xx after DATA is Recipient only with a 5.1.x (address) or 5.2.x
//     (mailbox) code but 5.2.3 (too long), as some servers check recipients
//     and quotas late; otherwise the content or the sender was refused (552
//     message too big, 554 5.7.1 spam), which would fail every message of the
//     alert: Config;
//   - 5xx during setup (AUTH 535/534/530, greeting 554) or at MAIL FROM (the
//     sender refused) is Config.
//
// A Recipient failure suppresses the address only when the reply is a
// verdict on it (addressVerdict). Without an enhanced code (go-mail reads
// none from a server that does not advertise ENHANCEDSTATUSCODES) a bare 5xx
// says nothing about which address, if any, was refused.
func classifyReply(st stage, code int, enhanced string, err error) *failure.Error {
	f := failure.New(replyClass(st, code, enhanced), replyCode(code, enhanced), err)
	f.Suppress = f.Class == failure.Recipient && addressVerdict(enhanced)
	return f
}

func replyClass(st stage, code int, enhanced string) failure.Class {
	switch {
	case code == 421 || code/100 == 4 && throttling(enhanced):
		return failure.RateLimited
	case code/100 != 5:
		return failure.Transient
	case enhanced == "5.1.7" || enhanced == "5.1.8":
		return failure.Config
	case st == stageRcpt && !strings.HasPrefix(enhanced, "5.7."):
		return failure.Recipient
	case st == stageData && mailboxStatus(enhanced):
		return failure.Recipient
	default:
		return failure.Config
	}
}

// mailboxStatus reports the enhanced codes that, after DATA, are about one
// recipient: address (5.1.x) and mailbox (5.2.x) status, but a message too
// long for the site (5.2.3).
func mailboxStatus(enhanced string) bool {
	return strings.HasPrefix(enhanced, "5.1.") ||
		strings.HasPrefix(enhanced, "5.2.") && enhanced != "5.2.3"
}

// addressVerdict reports the enhanced codes that say the address itself
// cannot receive mail, for good: no such mailbox (5.1.1), no such domain
// (5.1.2), bad syntax (5.1.3), moved without a forwarding address (5.1.6),
// and a domain that accepts no mail (5.1.10, RFC 7505). Others decide
// nothing about the person: 5.1.0 and 5.1.4 name no clear cause; a disabled
// or full mailbox (5.2.1, 5.2.2) exists and may come back; 5.0.0, 5.4.x,
// 5.5.x... are about the system, the route or the protocol.
func addressVerdict(enhanced string) bool {
	switch enhanced {
	case "5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10":
		return true
	}
	return false
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
//
// A Config failure here is Fresh: it happened while a new session was set
// up, so every session would meet it.
func classifyDial(err error) error {
	var reply *textproto.Error
	var f *failure.Error
	switch {
	case errors.As(err, &reply):
		enhanced := enhancedCode(reply.Msg)
		f = classifyReply(stageSetup, reply.Code, enhanced, err)
	case isNetwork(err):
		f = failure.New(failure.Transient, "network", err)
	default:
		f = failure.New(failure.Config, "setup", err)
	}
	f.Fresh = f.Class == failure.Config
	return f
}

// codeNoReply is the code of a message whose reply to the final dot never
// came.
const codeNoReply = "no-reply-after-data"

// classifySend classifies an error of SendWithSMTPClient for one message.
// wroteAll says that every write of the session's connection succeeded
// during this send. The error of a refused RCPT TO is not wrapped: go-mail's
// text names the recipient, and recipients' addresses never reach the logs.
//
// A failure closing DATA without a reply code is Ambiguous when every write
// succeeded: go-mail writes the final dot and reads the reply in one step
// (smtp.DataCloser.Close, which drops the write's error), and the dot is the
// last thing written, so the server may have the whole message and have
// accepted it. When a write failed, the dot did not leave whole, and a
// server discards an unterminated DATA: Transient.
func classifySend(err error, wroteAll bool) *failure.Error {
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
	case code == 0 && se.Reason == gomail.ErrSMTPDataClose && wroteAll:
		return failure.New(failure.Ambiguous, codeNoReply, fmt.Errorf("mail: send: no reply to the final dot: %w", se))
	case code == 0:
		return failure.New(failure.Transient, "network", cause)
	}
	return classifyReply(sendStage(se.Reason), code, se.EnhancedStatusCode(), cause)
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
// idle, before this message: no reply at all to MAIL FROM (the first command
// of the transaction; go-mail sends no NOOP), or 421 to it as MTAs answer
// after their idle timeout (4.4.2). Only there can the server not have the
// message, so only there may it be sent again on a new connection. A 421
// that says throttling (4.7.x), or anything later in the transaction, is
// not retried around.
func diedIdle(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch {
	case se.Reason == gomail.ErrConnCheck:
		return true
	case se.Reason != gomail.ErrSMTPMailFrom:
		return false
	case se.ErrorCode() == 0:
		return true
	default:
		return se.ErrorCode() == 421 && !strings.HasPrefix(se.EnhancedStatusCode(), "4.7.")
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
