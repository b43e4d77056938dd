package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/compose"
	"github.com/muster-org/muster/internal/localtime"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// maxInlineWait is the longest a batch waits in place for rate-limit permits;
// past it, the batch goes back to the queue until permits are due.
const maxInlineWait = time.Second

// Deliverer handles TypeDeliver tasks: it sends one batch of an alert's
// deliveries on one channel, a chunk at a time: permits from the shared rate
// limiter first, then a claim in the store (queued -> sending), the sends, and
// the results recorded together. A message recorded as sent is never claimed
// again, whatever asynq re-runs.
type Deliverer struct {
	st     *store.Store
	render renderer
	email  emailSender
	sms    smsSender
	limit  limiter
	zones  *localtime.Zones
	tokens *token.Signer // nil: emails carry no unsubscribe link (tests)
	set    Settings
	log    *slog.Logger
	// prepared is the per-alert rendering cache.
	prepared prepared
}

// job is one run of a batch task: the batch and what every message of it shares.
type job struct {
	batch    store.Batch
	alert    store.Alert
	campaign store.Campaign
	prep     *render.Prepared // nil when prepErr says why the alert cannot be rendered
	prepErr  error
	domain   string       // for Message-IDs
	quiet    quiet.Window // the campaign's SMS quiet hours
	calendar []byte       // the .ics every email carries, or nil
	outcome  outcome
}

// outcome sums up what happened to a job's messages.
type outcome struct {
	retried     int    // transient failures queued for a retry
	rateLimited int    // rate-limited messages queued again
	blocked     string // a configuration error stopped the channel
	blockCode   string
}

// ProcessTask implements asynq.Handler.
func (d *Deliverer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var b store.Batch
	if err := json.Unmarshal(t.Payload(), &b); err != nil || b.AlertID == 0 || !b.Channel.Valid() {
		return fmt.Errorf("deliver: bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	j, err := d.load(ctx, b)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("deliver: %w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	return d.run(ctx, j)
}

func (d *Deliverer) load(ctx context.Context, b store.Batch) (*job, error) {
	a, err := d.st.AlertByID(ctx, b.AlertID)
	if err != nil {
		return nil, fmt.Errorf("deliver: load alert %d: %w", b.AlertID, err)
	}
	c, err := d.st.CampaignByID(ctx, a.CampaignID)
	if err != nil {
		return nil, fmt.Errorf("deliver: load campaign %d: %w", a.CampaignID, err)
	}
	j := &job{batch: b, alert: a, campaign: c, domain: compose.Domain(c.EmailFrom), quiet: d.quietWindow(c)}
	if b.Channel == store.ChannelEmail {
		j.calendar = compose.Calendar(a, c, j.domain)
	}
	j.prep, j.prepErr = d.prepared.get(d.render, a, c)
	return j, nil
}

func (d *Deliverer) run(ctx context.Context, j *job) error {
	for {
		stop, err := d.ended(ctx, j)
		if stop || err != nil {
			return err
		}
		n, wait, err := d.limit.Take(ctx, string(j.batch.Channel), d.set.ChunkSize)
		if err != nil {
			return fmt.Errorf("deliver: %w", err)
		}
		if n == 0 {
			if wait > maxInlineWait {
				return d.deferBatch(ctx, j, wait)
			}
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		claimed, err := d.chunk(ctx, j, n)
		if err != nil {
			return err
		}
		if claimed == 0 {
			return d.settle(ctx, j)
		}
	}
}

// chunk claims up to n deliveries, sends them and records the results. It
// returns how many it claimed.
func (d *Deliverer) chunk(ctx context.Context, j *job, n int) (int, error) {
	now := d.now()
	claims, err := d.st.ClaimDeliveries(ctx, j.batch, n, now, now.Add(-d.set.SendLease))
	if err != nil || len(claims) == 0 {
		return 0, err
	}
	results := d.sendAll(ctx, j, claims)
	// The sends happened: record them even if the task is being cancelled.
	if err := d.st.RecordResults(context.WithoutCancel(ctx), results); err != nil {
		return 0, fmt.Errorf("deliver: record results: %w", err)
	}
	j.outcome.add(results)
	if j.outcome.blocked != "" {
		return 0, d.block(context.WithoutCancel(ctx), j)
	}
	return len(claims), ctx.Err()
}

// ended stops the batch when the alert was cancelled, expired, or its channel
// stopped after a configuration error; the batch's queued messages end with it.
func (d *Deliverer) ended(ctx context.Context, j *job) (bool, error) {
	a, err := d.st.AlertByID(ctx, j.alert.ID)
	if err != nil {
		return true, fmt.Errorf("deliver: reload alert %d: %w", j.alert.ID, err)
	}
	j.alert = a
	now := d.now()
	var r store.Result
	switch reason, blocked := a.Blocked[j.batch.Channel]; {
	case a.Status == store.AlertCancelled:
		r = store.Result{Status: store.DeliveryCancelled, ErrorMessage: "alert cancelled"}
	case a.Expired(now):
		r = store.Result{Status: store.DeliveryExpired, ErrorMessage: "alert expired before it was sent"}
	case blocked:
		r = blockedResult(reason)
	default:
		return false, nil
	}
	r.At = now
	if _, err := d.st.FinishQueued(ctx, j.batch, r); err != nil {
		return true, fmt.Errorf("deliver: end batch: %w", err)
	}
	return true, d.finishAlert(ctx, j)
}

func blockedResult(reason string) store.Result {
	code, _, _ := strings.Cut(reason, ": ")
	return store.Result{
		Status: store.DeliveryFailed, ErrorClass: "config", ErrorCode: code,
		ErrorMessage: "not sent: the channel stopped after a configuration error: " + reason,
	}
}

// block stops the alert's channel after a configuration error, instead of
// spending every recipient's retries against a broken account.
func (d *Deliverer) block(ctx context.Context, j *job) error {
	o := j.outcome
	now := d.now()
	if err := d.st.BlockChannel(ctx, j.alert.ID, j.batch.Channel, o.blocked, now); err != nil {
		return fmt.Errorf("deliver: block channel: %w", err)
	}
	d.log.Error("channel stopped by a configuration error", "alert", j.alert.ID,
		"channel", j.batch.Channel, "code", o.blockCode, "reason", o.blocked)
	r := blockedResult(o.blocked)
	r.At = now
	if _, err := d.st.FinishQueued(ctx, j.batch, r); err != nil {
		return fmt.Errorf("deliver: end batch: %w", err)
	}
	return d.finishAlert(ctx, j)
}

// settle ends the task when the batch is done, or asks asynq to run it again
// when its earliest queued message is due.
func (d *Deliverer) settle(ctx context.Context, j *job) error {
	pending, due, err := d.st.BatchPending(ctx, j.batch)
	if err != nil {
		return fmt.Errorf("deliver: batch pending: %w", err)
	}
	if pending == 0 {
		return d.finishAlert(ctx, j)
	}
	wait := max(due.Sub(d.now()), 0)
	if due.IsZero() {
		// Only messages another run is sending are left: look again when
		// theirs would be taken for lost.
		wait = d.set.SendLease
	}
	return &retryLater{after: wait, rateLimited: j.outcome.retried == 0}
}

// deferBatch gives the batch back to the queue until rate-limit permits are due,
// and says so in the store so the reconciler does not take it for lost.
func (d *Deliverer) deferBatch(ctx context.Context, j *job, wait time.Duration) error {
	if _, err := d.st.DeferQueued(ctx, j.batch, d.now().Add(wait)); err != nil {
		return fmt.Errorf("deliver: defer batch: %w", err)
	}
	return &retryLater{after: wait, rateLimited: true}
}

func (d *Deliverer) finishAlert(ctx context.Context, j *job) error {
	if _, err := d.st.FinishAlert(ctx, j.alert.ID, d.now()); err != nil {
		return fmt.Errorf("deliver: finish alert: %w", err)
	}
	return nil
}

func (d *Deliverer) now() time.Time { return d.set.now() }

func (o *outcome) add(rs []store.Result) {
	for _, r := range rs {
		switch {
		case r.Status == store.DeliveryQueued && r.CountFailure:
			o.retried++
		case r.Status == store.DeliveryQueued:
			o.rateLimited++
		case r.ErrorClass == "config" && r.ErrorCode != codeRender && o.blocked == "":
			o.blocked, o.blockCode = r.ErrorCode+": "+r.ErrorMessage, r.ErrorCode
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
