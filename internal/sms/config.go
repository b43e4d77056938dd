package sms

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// validate reports the first problem of c, naming the variable to fix and
// never repeating the token. twilio-go itself refuses credentials that are
// not letters and digits, but only when sending.
func (c Config) validate() error {
	switch {
	case c.AccountSID == "":
		return errors.New("TWILIO_ACCOUNT_SID is required")
	case !strings.HasPrefix(c.AccountSID, "AC") || !alphanumeric(c.AccountSID):
		return errors.New("TWILIO_ACCOUNT_SID must be an account SID: AC followed by letters and digits")
	case c.AuthToken == "":
		return errors.New("TWILIO_AUTH_TOKEN is required")
	case !alphanumeric(c.AuthToken):
		return errors.New("TWILIO_AUTH_TOKEN must be letters and digits only")
	case c.Timeout < 0 || c.MaxConns < 0:
		return errors.New("sms: Timeout and MaxConns must not be negative")
	}
	return validateBaseURL(c.BaseURL)
}

func validateBaseURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("MUSTER_TWILIO_BASE_URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return fmt.Errorf("MUSTER_TWILIO_BASE_URL %q is not an absolute http(s) URL", raw)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "", u.User != nil:
		return fmt.Errorf("MUSTER_TWILIO_BASE_URL %q must be only a scheme and a host, like https://api.twilio.com", raw)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxConns == 0 {
		c.MaxConns = DefaultMaxConns
	}
	return c
}

func alphanumeric(s string) bool {
	for _, r := range s {
		alnum := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		if !alnum {
			return false
		}
	}
	return true
}
