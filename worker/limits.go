package worker

import "time"

// Task limits. The retry budget of each message lives in the store, not in
// asynq: a batch task is retried until its messages are final, and a task that
// asynq gives up on anyway is re-driven by the reconciler.
const (
	fanoutMaxRetry  = 100
	fanoutTimeout   = time.Hour
	deliverMaxRetry = 1000
	deliverTimeout  = 30 * time.Minute
)
