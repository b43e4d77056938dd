package twiliotest

import (
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// validate checks the form as Twilio does, returning the first error. Both
// From and MessagingServiceSid may be given, as Twilio allows.
func validate(form url.Values) *apiError {
	to, from, service := form.Get("To"), form.Get("From"), form.Get("MessagingServiceSid")
	body := form.Get("Body")
	bad := func(code int, msg string) *apiError { return newAPIError(http.StatusBadRequest, code, msg) }
	switch {
	case to == "":
		return bad(21604, "A 'To' phone number is required.")
	case !isE164(to):
		return bad(21211, "The 'To' number "+to+" is not a valid phone number.")
	case from == "" && service == "":
		return bad(21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.")
	case service != "" && !isServiceSID(service):
		return bad(21701, "The Messaging Service Sid "+service+" is invalid.")
	case from != "" && !isSender(from):
		return bad(21212, "The 'From' number "+from+" is not a valid phone number, shortcode, or alphanumeric sender ID.")
	case body == "":
		return bad(21602, "Message body is required.")
	case utf8.RuneCountInString(body) > 1600:
		return bad(21617, "The concatenated message body exceeds the 1600 character limit.")
	case form.Has("StatusCallback") && !isCallbackURL(form.Get("StatusCallback")):
		return bad(21609, "The StatusCallback URL "+form.Get("StatusCallback")+" is not a valid URL.")
	case form.Has("ValidityPeriod") && !isValidity(form.Get("ValidityPeriod")):
		return bad(21624, "Validity period can only be set to integers between 1 and 36,000 seconds.")
	}
	return nil
}

// isE164 accepts "+" and 2 to 15 digits, the first not 0.
func isE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return allDigits(s[1:])
}

func isServiceSID(s string) bool {
	if len(s) != 34 || s[:2] != "MG" {
		return false
	}
	for _, c := range s[2:] {
		hex := '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
		if !hex {
			return false
		}
	}
	return true
}

// isSender accepts a number in E.164, a short code, or an alphanumeric
// sender ID (up to 11 letters, digits and spaces, at least one letter).
func isSender(s string) bool {
	if isE164(s) || len(s) >= 3 && len(s) <= 8 && allDigits(s) {
		return true
	}
	if len(s) > 11 {
		return false
	}
	letter := false
	for _, c := range s {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letter = true
		case '0' <= c && c <= '9' || c == ' ':
		default:
			return false
		}
	}
	return letter
}

func isCallbackURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 4000
}

func isValidity(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 36000
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
