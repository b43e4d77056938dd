package worker

import (
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// retryLater asks asynq to run a batch task again after a wait: its messages
// are queued for a retry or for rate-limit permits.
type retryLater struct {
	after time.Duration
	// rateLimited retries do not count as task failures.
	rateLimited bool
}

func (e *retryLater) Error() string {
	kind := "retries"
	if e.rateLimited {
		kind = "rate limit"
	}
	return fmt.Sprintf("messages wait for %s: run again in %v", kind, e.after.Round(time.Millisecond))
}

// isFailure tells asynq which errors count against a task's retries: waiting
// for a rate limit does not.
func isFailure(err error) bool {
	var r *retryLater
	return !errors.As(err, &r) || !r.rateLimited
}

// retryDelay is asynq's RetryDelayFunc: the wait a retryLater asks for, else
// the configured exponential backoff.
func (s Settings) retryDelay(n int, err error, _ *asynq.Task) time.Duration {
	var r *retryLater
	if errors.As(err, &r) {
		return r.after
	}
	return s.backoff(n + 1)
}
