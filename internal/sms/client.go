// Package sms sends text messages through Twilio's Messages API. It is the
// only package that imports twilio-go.
package sms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/muster-org/muster/internal/failure"
)

// Defaults applied by NewClient to zero fields of Config.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxConns = 64
)

// Twilio's bounds for ValidityPeriod, in seconds.
const (
	minValidity = 1
	maxValidity = 36000
)

// Message is one SMS to one number.
type Message struct {
	// ID is Muster's own reference (the outbox names its file by it); it is
	// never sent to Twilio.
	ID string
	// To is the recipient's number in E.164.
	To string
	// From is the sender number; MessagingServiceSID wins when both are set.
	From                string
	MessagingServiceSID string
	Body                string
	// StatusCallback, when set, is the URL Twilio posts delivery reports to.
	StatusCallback string
	// ValidityPeriod, when > 0, is how long Twilio may queue the message;
	// it is rounded up to whole seconds and clamped to 1 s..10 h.
	ValidityPeriod time.Duration
}

// ValiditySeconds returns ValidityPeriod as Twilio takes it, or 0 when unset.
func (m Message) ValiditySeconds() int {
	if m.ValidityPeriod <= 0 {
		return 0
	}
	s := int((m.ValidityPeriod + time.Second - 1) / time.Second)
	return max(minValidity, min(s, maxValidity))
}

// Config says how to reach Twilio.
type Config struct {
	AccountSID string // TWILIO_ACCOUNT_SID
	AuthToken  string // TWILIO_AUTH_TOKEN
	// BaseURL replaces https://api.twilio.com (MUSTER_TWILIO_BASE_URL).
	BaseURL string
	// Timeout bounds each request, its answer read whole (default 10 s).
	Timeout time.Duration
	// MaxConns is the idle connections kept to Twilio (default 64).
	MaxConns int
}

// Client sends messages; it is safe for concurrent use.
type Client struct {
	api *openapi.ApiService
}

// NewClient checks cfg and returns a client; it sends nothing yet.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	var base *url.URL
	if cfg.BaseURL != "" {
		base, _ = url.Parse(cfg.BaseURL) // validated above
	}
	hc := &http.Client{
		// No Client.Timeout: the transport bounds each request, so that its
		// errors keep their type (see transport).
		Transport: newTransport(base, cfg.MaxConns, cfg.Timeout),
		// Twilio does not redirect API calls; following one would resend the form.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c := &client.Client{Credentials: client.NewCredentials(cfg.AccountSID, cfg.AuthToken), HTTPClient: hc}
	// With our own client.Client, twilio-go ignores ClientParams.AccountSid:
	// without this the path would be /Accounts//Messages.json.
	c.SetAccountSid(cfg.AccountSID)
	return &Client{api: openapi.NewApiServiceWithClient(c)}, nil
}

// Send creates the message at Twilio and returns its SID. A failure is a
// *failure.Error; it is Ambiguous when Twilio may have created the message
// (the request went out whole and no answer came), and such a message must
// not be sent again silently. twilio-go takes no context: a done ctx stops
// Send before the request, and Config.Timeout bounds the request itself.
func (c *Client) Send(ctx context.Context, m Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", failure.New(failure.Transient, "canceled", fmt.Errorf("sms: %w", err))
	}
	created, err := c.api.CreateMessage(params(m))
	if err != nil {
		return "", classify(err)
	}
	if created.Sid == nil || *created.Sid == "" {
		// The transport lets no such answer through; should one come, the
		// message exists all the same.
		return "", failure.New(failure.Ambiguous, "no-sid", errors.New("sms: Twilio answered without a message SID"))
	}
	return *created.Sid, nil
}

func params(m Message) *openapi.CreateMessageParams {
	p := &openapi.CreateMessageParams{}
	p.SetTo(m.To)
	if m.MessagingServiceSID != "" {
		p.SetMessagingServiceSid(m.MessagingServiceSID)
	} else {
		p.SetFrom(m.From)
	}
	p.SetBody(m.Body)
	if m.StatusCallback != "" {
		p.SetStatusCallback(m.StatusCallback)
	}
	if s := m.ValiditySeconds(); s > 0 {
		p.SetValidityPeriod(s)
	}
	return p
}
