package sms

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/twilio/twilio-go/client"

	"github.com/muster-org/muster/internal/failure"
)

// classify turns an error of CreateMessage into a *failure.Error. Twilio's
// message text is left out: it often quotes the recipient's number, and
// numbers never reach the logs. Its code and more_info link say enough.
func classify(err error) error {
	var tre *client.TwilioRestError
	if !errors.As(err, &tre) {
		// Timeouts, refused or reset connections: Twilio may not have seen it.
		return failure.New(failure.Transient, "network", fmt.Errorf("sms: %w", err))
	}
	code := strconv.Itoa(tre.Code)
	if tre.Code == 0 {
		code = "http " + strconv.Itoa(tre.Status)
	}
	f := failure.New(class(tre.Status, tre.Code), code,
		fmt.Errorf("sms: Twilio refused the message: HTTP %d, code %d %s", tre.Status, tre.Code, tre.MoreInfo))
	f.Unsubscribe = tre.Code == 21610
	return f
}

// class decides by Twilio's error code first, then by HTTP status (see
// docs/libraries.md §12). Codes about our own request (sender, body, callback
// URL) are Config: they would fail every recipient alike, and suppressing
// supporters for our mistake cannot be undone. 404 is Config too: the account
// SID in the path is wrong.
func class(status, code int) failure.Class {
	switch {
	case code == 20429 || status == 429:
		return failure.RateLimited
	case code == 21610:
		return failure.Recipient // with Unsubscribe: they replied STOP
	case configCode(code):
		return failure.Config
	case recipientCode(code):
		return failure.Recipient
	case code == 20503 || code == 21611 || code == 21730 || status >= 500:
		return failure.Transient
	case status == 401 || status == 403 || status == 404:
		return failure.Config
	case status >= 400:
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
		21701, 21705, // the Messaging Service
		21602, 21617, 21609, 21624, // body, callback URL, validity period
		21222, 21224: // credentials twilio-go refuses to send
		return true
	}
	return false
}

func recipientCode(code int) bool {
	switch code {
	case 21211, 21612, 21614, 21635, 21408:
		return true
	}
	return false
}
