package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/store"
)

// reconcileLimit bounds the work one reconciler pass takes on.
const reconcileLimit = 1000

// Reconciler re-drives work that Redis lost or that nobody is doing: alerts
// whose fan-out stalled, queued messages long past due, messages left in
// sending by a dead process, as far as no live task in Redis covers them. It
// also expires and completes alerts. The store is the truth; running it twice,
// or in several processes, is harmless: the tasks it enqueues claim only what
// is still due.
type Reconciler struct {
	st  *store.Store
	q   *Queue
	ins *asynq.Inspector
	rdb redis.UniversalClient
	set Settings
	log *slog.Logger
	// confirm sends the double opt-in emails whose task was lost (only when
	// the workers can sign their links).
	confirm bool
}

// Run reconciles every Settings.Reconcile until ctx ends.
func (r *Reconciler) Run(ctx context.Context) {
	t := time.NewTicker(r.set.Reconcile)
	defer t.Stop()
	for {
		if err := r.Pass(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("reconcile", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Pass runs the reconciler once.
func (r *Reconciler) Pass(ctx context.Context) error {
	now := r.set.now()
	stale := now.Add(-r.set.SendLease)
	// Re-drives within one lease share a task id, so processes that reconcile
	// at the same time enqueue each re-drive once.
	suffix := ":r" + strconv.FormatInt(now.UnixNano()/int64(r.set.SendLease), 10)
	errExpire := r.expire(ctx, now)
	if err := registerQueues(ctx, r.rdb); err != nil {
		return errors.Join(errExpire, err, r.finish(ctx, now))
	}
	live, err := readLiveWork(r.ins)
	if err != nil {
		return errors.Join(errExpire, err, r.finish(ctx, now))
	}
	return errors.Join(errExpire,
		r.fanouts(ctx, live, now, stale, suffix),
		r.batches(ctx, live, stale, suffix),
		r.confirmations(ctx, stale, suffix),
		r.finish(ctx, now),
	)
}

// confirmations enqueues the double opt-in emails that were never sent a lease
// after their subscription: the join page's task was lost, or Redis was away.
func (r *Reconciler) confirmations(ctx context.Context, stale time.Time, suffix string) error {
	if !r.confirm {
		return nil
	}
	subs, err := r.st.UnsentConfirmations(ctx, stale, reconcileLimit)
	if err != nil {
		return fmt.Errorf("unsent confirmations: %w", err)
	}
	for _, s := range subs {
		if err := r.q.enqueueConfirmation(ctx, s.SupporterID, s.CampaignID, suffix); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reconciler) expire(ctx context.Context, now time.Time) error {
	ids, err := r.st.ExpireAlerts(ctx, now)
	if len(ids) > 0 {
		r.log.Info("alerts expired", "alerts", ids)
	}
	return err
}

func (r *Reconciler) fanouts(ctx context.Context, live liveWork, now, stale time.Time, suffix string) error {
	alerts, err := r.st.StalledFanouts(ctx, now, stale, reconcileLimit)
	if err != nil {
		return fmt.Errorf("stalled fan-outs: %w", err)
	}
	for _, a := range alerts {
		if live.alerts[a.ID] {
			continue // its fan-out task waits its turn
		}
		r.log.Info("re-driving a stalled fan-out", "alert", a.ID)
		if err := r.q.enqueueFanout(ctx, a.ID, now, suffix); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reconciler) batches(ctx context.Context, live liveWork, stale time.Time, suffix string) error {
	bs, err := r.st.StalledBatches(ctx, stale, stale, r.set.BatchSize, reconcileLimit)
	if err != nil {
		return fmt.Errorf("stalled batches: %w", err)
	}
	redriven := 0
	for _, b := range bs {
		for _, part := range live.uncovered(b) {
			if err := r.q.EnqueueBatch(ctx, part, suffix); err != nil {
				return err
			}
			redriven++
		}
	}
	if redriven > 0 {
		r.log.Info("re-driving stalled deliveries", "batches", redriven)
	}
	return nil
}

func (r *Reconciler) finish(ctx context.Context, now time.Time) error {
	ids, err := r.st.UnfinishedAlerts(ctx, reconcileLimit)
	if err != nil {
		return fmt.Errorf("unfinished alerts: %w", err)
	}
	for _, id := range ids {
		if _, err := r.st.FinishAlert(ctx, id, now); err != nil {
			return fmt.Errorf("finish alert %d: %w", id, err)
		}
	}
	return nil
}
