package worker

import (
	"context"
	"fmt"
	"time"

	"github.com/muster-org/muster/internal/compose"
	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
)

// testPrefix marks a test copy, so that nobody takes it for the real alert.
const testPrefix = "[TEST] "

// Tester sends test copies of an alert being previewed: rendered and built
// exactly as the alert's messages will be, to one address or number the
// organizer gives, through the same providers, outside the ledger and the rate
// limits.
type Tester struct {
	d *Deliverer
}

// NewTester builds a Tester from a Worker's dependencies; it uses the
// renderer, the providers, the settings and the logger only.
func NewTester(deps Deps) *Tester {
	return &Tester{d: &Deliverer{render: deps.Renderer, email: deps.Email, sms: deps.SMS, set: deps.Settings, log: deps.Logger}}
}

// TestCopy says what became of one test copy.
type TestCopy struct {
	Channel    store.Channel `json:"channel"`
	To         string        `json:"to"`     // masked, as in the logs
	Status     string        `json:"status"` // "sent" or "failed"
	ProviderID string        `json:"provider_id,omitempty"`
	Error      string        `json:"error,omitempty"`
}

// Send renders a, an alert of c that need not be stored, for p, and sends it to
// email and to phone (either may be empty). It reports each copy, failures
// included: a failure here is the organizer's news, not an error.
func (t *Tester) Send(ctx context.Context, a store.Alert, c store.Campaign, p render.Person, email, phone string) ([]TestCopy, error) {
	prep, err := t.d.render.Prepare(compose.Message(a), compose.Campaign(c))
	if err != nil {
		return nil, fmt.Errorf("test copy: %w", err)
	}
	now := t.d.now()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	j := &job{alert: a, campaign: c, domain: compose.Domain(c.EmailFrom)}
	j.calendar = compose.Calendar(a, c, j.domain)
	var out []TestCopy
	if email != "" {
		out = append(out, t.email(ctx, j, prep, p, email, now))
	}
	if phone != "" {
		out = append(out, t.sms(ctx, j, prep, p, phone, now))
	}
	return out, nil
}

func (t *Tester) email(ctx context.Context, j *job, prep *render.Prepared, p render.Person, to string, now time.Time) TestCopy {
	tc := TestCopy{Channel: store.ChannelEmail, To: contact.MaskEmail(to)}
	e, err := prep.Email(p)
	if err == nil {
		e.Subject = testPrefix + e.Subject
		id := fmt.Sprintf("muster.test.%d@%s", now.UnixNano(), j.domain)
		tc.ProviderID, err = t.d.email.Send(ctx, emailMessage(j, e, store.Supporter{Email: to, Name: p.Name}, id, now))
	}
	return tc.settle(err)
}

func (t *Tester) sms(ctx context.Context, j *job, prep *render.Prepared, p render.Person, to string, now time.Time) TestCopy {
	tc := TestCopy{Channel: store.ChannelSMS, To: contact.MaskPhone(to)}
	s, err := prep.SMS(p)
	if err == nil {
		s.Body = testPrefix + s.Body
		tc.ProviderID, err = t.d.sms.Send(ctx, t.d.smsMessage(j, s, to, fmt.Sprintf("test-%d", now.UnixNano())))
	}
	return tc.settle(err)
}

func (tc TestCopy) settle(err error) TestCopy {
	if err != nil {
		tc.Status, tc.Error, tc.ProviderID = "failed", err.Error(), ""
		return tc
	}
	tc.Status = "sent"
	return tc
}
