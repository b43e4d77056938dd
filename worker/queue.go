package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/store"
)

// taskRetention keeps finished tasks' ids in Redis for a while, so that a
// re-enqueue of the same id within it is a harmless conflict.
const taskRetention = 24 * time.Hour

// Queue enqueues Muster's tasks. Enqueueing is idempotent per task id: an id
// that is already in Redis is not enqueued twice, and that is not an error.
type Queue struct {
	client *asynq.Client
}

// NewQueue returns a Queue on the given asynq client.
func NewQueue(c *asynq.Client) *Queue { return &Queue{client: c} }

// EnqueueFanout schedules the fan-out of an alert at at (now if at is past).
func (q *Queue) EnqueueFanout(ctx context.Context, alertID int64, at time.Time) error {
	return q.enqueueFanout(ctx, alertID, at, "")
}

func (q *Queue) enqueueFanout(ctx context.Context, alertID int64, at time.Time, suffix string) error {
	t, err := NewFanoutTask(alertID)
	if err != nil {
		return err
	}
	return q.enqueue(ctx, t, asynq.Queue(QueueFanout), asynq.TaskID(fanoutTaskID(alertID, suffix)),
		asynq.ProcessAt(at), asynq.MaxRetry(fanoutMaxRetry), asynq.Timeout(fanoutTimeout),
		asynq.Retention(taskRetention))
}

// EnqueueBatch enqueues the delivery task of a batch.
func (q *Queue) EnqueueBatch(ctx context.Context, b store.Batch, suffix string) error {
	t, err := NewDeliverTask(b)
	if err != nil {
		return err
	}
	return q.enqueue(ctx, t, asynq.Queue(QueueOf(b.Channel)), asynq.TaskID(deliverTaskID(b, suffix)),
		asynq.MaxRetry(deliverMaxRetry), asynq.Timeout(deliverTimeout), asynq.Retention(taskRetention))
}

func (q *Queue) enqueue(ctx context.Context, t *asynq.Task, opts ...asynq.Option) error {
	_, err := q.client.EnqueueContext(ctx, t, opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", t.Type(), err)
	}
	return nil
}
