package worker

import (
	"context"
	"time"

	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/sms"
)

// emailSender sends one email and returns the provider's id for it; errors
// are classified with package failure.
type emailSender interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

// smsSender sends one SMS and returns the provider's id for it.
type smsSender interface {
	Send(ctx context.Context, m sms.Message) (string, error)
}

// renderer prepares an alert for rendering per supporter, and renders the
// messages Muster sends itself (the double opt-in email).
type renderer interface {
	Prepare(m render.Message, c render.Campaign) (*render.Prepared, error)
	System(name string, data map[string]any, c render.Campaign, p render.Person) (render.Email, error)
}

// limiter hands out provider send permits shared by every worker process.
type limiter interface {
	Take(ctx context.Context, key string, n int) (int, time.Duration, error)
}

// Settings tunes the worker. Every delay is configurable so that tests run
// the real paths in seconds.
type Settings struct {
	BaseURL          string        // public URL, for Twilio status callbacks
	BatchSize        int           // recipients per delivery task
	ChunkSize        int           // deliveries claimed and recorded together
	EmailParallel    int           // emails in flight per batch (the SMTP pool size)
	SMSParallel      int           // SMS requests in flight per batch
	EmailConcurrency int           // email batches at once per process
	SMSConcurrency   int           // SMS batches at once per process
	QuietHours       quiet.Window  // SMS quiet hours in the supporter's zone, unless the campaign sets its own
	RetryBudget      int           // transient failures before a message fails
	RetryBase        time.Duration // first retry delay, doubled each time
	RetryMax         time.Duration // longest retry delay
	RateLimitWait    time.Duration // wait after a provider rate limit with no wait of its own
	SendLease        time.Duration // a message in sending longer than this was lost with its process
	ConfirmTTL       time.Duration // how long a double opt-in link works (default 7 days)
	Reconcile        time.Duration // how often the reconciler runs
	QueuePoll        time.Duration // how often asynq moves due scheduled and retried tasks
	ShutdownTimeout  time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Jitter returns a number in [0, 1) that spreads retries; nil means math/rand/v2.
	Jitter func() float64
}
