package sms

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/twilio/twilio-go/client"

	"github.com/muster-org/muster/internal/failure"
)

// classify turns an error of CreateMessage into a *failure.Error. Twilio's
// message text is left out: it often quotes the recipient's number, and
// numbers never reach the logs. Its code and more_info link say enough.
func classify(err error) error {
	var amb *ambiguousError
	var foreign *foreignError
	var tre *client.TwilioRestError
	switch {
	case errors.As(err, &amb):
		return failure.New(failure.Ambiguous, amb.code, fmt.Errorf("sms: %w", err))
	case errors.As(err, &foreign):
		return failure.New(failure.Config, "http "+strconv.Itoa(foreign.status), fmt.Errorf("sms: %w", err))
	case errors.As(err, &tre):
		return classifyRefusal(tre)
	default:
		// Refused or reset before the request was written whole, DNS, TLS:
		// Twilio cannot have the message.
		return failure.New(failure.Transient, "network", fmt.Errorf("sms: %w", err))
	}
}

// classifyRefusal classifies an error answer (see verdict).
func classifyRefusal(tre *client.TwilioRestError) error {
	code := strconv.Itoa(tre.Code)
	if tre.Code == 0 {
		code = "http " + strconv.Itoa(tre.Status)
	}
	f := failure.New(class(tre.Status, tre.Code), code,
		fmt.Errorf("sms: Twilio refused the message: HTTP %d, code %d %s", tre.Status, tre.Code, tre.MoreInfo))
	f.Suppress = f.Class == failure.Recipient && numberVerdict(tre.Code)
	f.Unsubscribe = tre.Code == 21610
	f.Fresh = f.Class == failure.Config && accountCode(tre.Status, tre.Code)
	return f
}

// class decides by Twilio's error code first, then by HTTP status (see
// docs/libraries.md §12). Codes about our own request or account (sender,
// body, callback URL, the account's geographic permissions) are Config: they
// would fail recipients alike, and suppressing supporters for our mistake
// cannot be undone. 404 is Config too: the account SID in the path is wrong.
// A 502 or 504 without Twilio's error body is a gateway's: it passed the
// request on and lost Twilio's answer, or gave up waiting for it, so the
// message may exist (Ambiguous). Other answers without Twilio's code (a 503
// maintenance page, a proxy's 500) come from something that did not take
// the message: Transient.
func class(status, code int) failure.Class {
	switch {
	case code == 20429 || status == 429:
		return failure.RateLimited
	case code == 21610:
		return failure.Recipient // with Unsubscribe: they replied STOP
	case configCode(code):
		return failure.Config
	case numberVerdict(code):
		return failure.Recipient
	case code == 0 && (status == http.StatusBadGateway || status == http.StatusGatewayTimeout):
		return failure.Ambiguous
	case code == 20503 || code == 21611 || code == 21730 || status >= 500:
		return failure.Transient
	case status == 401 || status == 403 || status == 404:
		return failure.Config
	case status >= 400:
		// An unknown code: the message fails, and nobody is suppressed.
		return failure.Recipient
	default:
		return failure.Transient
	}
}

func configCode(code int) bool {
	switch code {
	case 20003, // authentication
		21606, 21659, 21212, 21603, // the sender
		21608,        // unverified number on a trial account
		21408,        // the account's geographic permissions exclude the number's country
		21701, 21705, // the Messaging Service
		21602, 21617, 21609, 21624, // body, callback URL, validity period
		21222, 21224: // credentials twilio-go refuses to send
		return true
	}
	return false
}

// numberVerdict reports the codes that say the number itself cannot get an
// SMS: not a valid number (21211), a short code (21265), not reachable by
// SMS (21612), not a mobile (21614), a landline (21635), or the person texted
// STOP (21610). These suppress it; an unknown 4xx code fails only the
// message.
func numberVerdict(code int) bool {
	switch code {
	case 21211, 21265, 21612, 21614, 21635, 21610:
		return true
	}
	return false
}

// accountCode reports the Config answers about our credentials or account,
// the same for every request: one suffices to trust (Fresh). Refusals of a
// sender, a body or a number's country are not: like an SMTP MAIL FROM
// refusal they wait for several recipients to agree.
func accountCode(status, code int) bool {
	switch code {
	case 20003, 20403, 20404, 21222, 21224:
		return true
	case 0:
		return status == 401 || status == 403 || status == 404
	}
	return false
}
