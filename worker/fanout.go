package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/store"
)

// batchEnqueuer hands batches of deliveries to the delivery queues.
type batchEnqueuer interface {
	EnqueueBatch(ctx context.Context, b store.Batch, suffix string) error
}

// Fanout handles TypeFanout tasks: it walks the alert's audience a page at a
// time, records each page's deliveries with the checkpoint in one transaction,
// and enqueues one delivery task per page and channel. A crash resumes from the
// checkpoint: no gap, no duplicate.
type Fanout struct {
	st  *store.Store
	q   batchEnqueuer
	set Settings
	log *slog.Logger
}

// ProcessTask implements asynq.Handler.
func (f *Fanout) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p FanoutPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.AlertID == 0 {
		return fmt.Errorf("fan-out: bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	a, err := f.st.AlertByID(ctx, p.AlertID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("fan-out: %w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return fmt.Errorf("fan-out: load alert: %w", err)
	}
	if a.Status.Final() || a.FanoutDone {
		return nil
	}
	if a.Expired(f.set.now()) {
		_, err := f.st.ExpireAlerts(ctx, f.set.now())
		return err
	}
	if err := f.st.StartAlert(ctx, a.ID, f.set.now()); err != nil {
		return fmt.Errorf("fan-out: start alert: %w", err)
	}
	return f.walk(ctx, a.ID)
}

func (f *Fanout) walk(ctx context.Context, alertID int64) error {
	for pages := 0; ; pages++ {
		res, err := f.st.FanoutPage(ctx, alertID, f.set.BatchSize, f.set.now())
		if err != nil {
			return fmt.Errorf("fan-out: page: %w", err)
		}
		for _, b := range res.Batches {
			if err := f.q.EnqueueBatch(ctx, b, ""); err != nil {
				// The page is recorded: the reconciler re-drives it if this retry does not.
				return fmt.Errorf("fan-out: %w", err)
			}
		}
		if res.Done {
			f.log.Info("alert fanned out", "alert", alertID, "pages", pages)
			_, err := f.st.FinishAlert(ctx, alertID, f.set.now())
			return err
		}
		if stop, err := f.ended(ctx, alertID); stop || err != nil {
			return err
		}
	}
}

// ended reports whether the alert was cancelled or ended otherwise mid-walk,
// or expired meanwhile: then it ends it, with its queued deliveries.
func (f *Fanout) ended(ctx context.Context, alertID int64) (bool, error) {
	a, err := f.st.AlertByID(ctx, alertID)
	if err != nil {
		return true, fmt.Errorf("fan-out: reload alert: %w", err)
	}
	if !a.Status.Final() && a.Expired(f.set.now()) {
		if _, err := f.st.ExpireAlerts(ctx, f.set.now()); err != nil {
			return true, fmt.Errorf("fan-out: expire: %w", err)
		}
		return true, nil
	}
	return a.Status.Final(), nil
}
