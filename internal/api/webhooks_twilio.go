package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/muster-org/muster/internal/sms"
)

// maxWebhookBytes bounds a webhook's form body; Twilio's are a few kilobytes.
const maxWebhookBytes = 64 << 10

// twilioForm reads a Twilio webhook's form body and checks its
// X-Twilio-Signature against the public URL of the endpoint
// (MUSTER_BASE_URL, as Twilio was told to call it): 403 otherwise, and 403
// when no Twilio auth token is configured, since nothing can be checked then.
func (s *server) twilioForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if s.cfg.TwilioAuthToken == "" {
		return nil, fail(http.StatusForbidden, "Twilio is not configured on this server")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, fail(http.StatusRequestEntityTooLarge, "the form body is too large")
		}
		return nil, fail(http.StatusBadRequest, "the body is not a form")
	}
	public := strings.TrimSuffix(s.cfg.BaseURL, "/") + r.URL.RequestURI()
	if !sms.ValidSignature(s.cfg.TwilioAuthToken, public, r.PostForm, r.Header.Get("X-Twilio-Signature")) {
		return nil, fail(http.StatusForbidden, "the X-Twilio-Signature does not match this request")
	}
	return r.PostForm, nil
}
