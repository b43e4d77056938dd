package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/sms"
)

// Texter writes each SMS to DIR/sms/<ID>.json.
type Texter struct {
	dir string
	now func() time.Time
}

// textFile is the JSON written for one SMS.
type textFile struct {
	ID                    string    `json:"id"`
	To                    string    `json:"to"`
	From                  string    `json:"from,omitempty"`
	MessagingServiceSID   string    `json:"messaging_service_sid,omitempty"`
	Body                  string    `json:"body"`
	StatusCallback        string    `json:"status_callback,omitempty"`
	ValidityPeriodSeconds int       `json:"validity_period_seconds,omitempty"`
	CreatedAt             time.Time `json:"created_at"`
}

// NewTexter creates DIR/sms if needed.
func NewTexter(dir string) (*Texter, error) {
	path, err := makeDir(dir, "sms")
	if err != nil {
		return nil, err
	}
	return &Texter{dir: path, now: time.Now}, nil
}

// Send writes m and returns "outbox-" + m.ID as the provider's ID. The sender
// is written as Twilio would use it: the Messaging Service when set, else
// From. Sending the same ID again replaces the file.
func (o *Texter) Send(ctx context.Context, m sms.Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", failure.New(failure.Transient, "canceled", fmt.Errorf("outbox: %w", err))
	}
	if m.ID == "" {
		return "", failure.New(failure.Config, "invalid-message", errors.New("outbox: the SMS has no ID"))
	}
	f := textFile{
		ID: m.ID, To: m.To, From: m.From, MessagingServiceSID: m.MessagingServiceSID, Body: m.Body,
		StatusCallback: m.StatusCallback, ValidityPeriodSeconds: m.ValiditySeconds(),
		CreatedAt: o.now().UTC(),
	}
	if f.MessagingServiceSID != "" {
		f.From = ""
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return "", fmt.Errorf("outbox: encode SMS: %w", err)
	}
	if err := writeFile(o.dir, fileName(m.ID)+".json", append(data, '\n')); err != nil {
		return "", err
	}
	return "outbox-" + m.ID, nil
}
