package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/localtime"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// taskCheckInterval is how often an idle asynq server looks for new tasks: the
// first message of an alert waits at most about this long.
const taskCheckInterval = 50 * time.Millisecond

// fanoutConcurrency is how many alerts one process fans out at once.
const fanoutConcurrency = 2

// Deps is what a Worker is built from.
type Deps struct {
	Redis    asynq.RedisConnOpt
	Store    *store.Store
	Renderer renderer
	Email    emailSender
	SMS      smsSender
	Limiter  limiter
	Logger   *slog.Logger
	Settings Settings
	// Tokens signs the unsubscribe links of emails and the double opt-in links.
	Tokens *token.Signer
}

// Worker runs Muster's background work: one asynq server per queue (fan-out,
// email, SMS, so a slow provider never starves the other) and the reconciler.
type Worker struct {
	deps       Deps
	client     *asynq.Client
	inspector  *asynq.Inspector
	rdb        redis.UniversalClient
	reconciler *Reconciler
	fanout     *Fanout
	deliverer  *Deliverer
	units      []unit
}

// unit is one asynq server and the handler it serves.
type unit struct {
	srv *asynq.Server
	mux *asynq.ServeMux
}

// New builds a Worker.
func New(d Deps) *Worker {
	client := asynq.NewClient(d.Redis)
	q := NewQueue(client)
	del := &Deliverer{st: d.Store, render: d.Renderer, email: d.Email, sms: d.SMS,
		limit: d.Limiter, zones: localtime.NewZones(), tokens: d.Tokens, set: d.Settings, log: d.Logger}
	conf := &Confirmer{st: d.Store, render: d.Renderer, email: d.Email, sms: d.SMS, limit: d.Limiter,
		tokens: d.Tokens, set: d.Settings, log: d.Logger}
	fan := &Fanout{st: d.Store, q: q, set: d.Settings, log: d.Logger}
	rdb, _ := d.Redis.MakeRedisClient().(redis.UniversalClient)
	w := &Worker{deps: d, client: client, inspector: asynq.NewInspector(d.Redis), rdb: rdb, fanout: fan, deliverer: del}
	w.reconciler = &Reconciler{st: d.Store, q: q, ins: w.inspector, rdb: rdb, set: d.Settings, log: d.Logger,
		confirm: d.Tokens != nil}
	w.units = []unit{
		w.unit(QueueFanout, fanoutConcurrency, map[string]asynq.Handler{TypeFanout: fan}),
		w.unit(QueueEmail, d.Settings.EmailConcurrency, map[string]asynq.Handler{TypeDeliver: del, TypeConfirm: conf}),
		w.unit(QueueSMS, d.Settings.SMSConcurrency, map[string]asynq.Handler{TypeDeliver: del}),
	}
	return w
}

func (w *Worker) unit(queue string, concurrency int, handlers map[string]asynq.Handler) unit {
	set := w.deps.Settings
	log := w.deps.Logger.With("queue", queue)
	srv := asynq.NewServer(w.deps.Redis, asynq.Config{
		Concurrency:              max(concurrency, 1),
		Queues:                   map[string]int{queue: 1},
		TaskCheckInterval:        taskCheckInterval,
		DelayedTaskCheckInterval: set.QueuePoll,
		RetryDelayFunc:           set.retryDelay,
		IsFailure:                isFailure,
		ShutdownTimeout:          set.ShutdownTimeout,
		Logger:                   asynqLogger{log: log},
		LogLevel:                 asynq.WarnLevel,
		ErrorHandler:             errorLogger(log),
	})
	mux := asynq.NewServeMux()
	for taskType, h := range handlers {
		mux.Handle(taskType, h)
	}
	return unit{srv: srv, mux: mux}
}

// Queue returns a Queue on the worker's Redis, for tests and tools.
func (w *Worker) Queue() *Queue { return NewQueue(w.client) }

// FanoutHandler returns the handler of fan-out tasks, for tests and tools.
func (w *Worker) FanoutHandler() asynq.Handler { return w.fanout }

// DeliverHandler returns the handler of delivery tasks, for tests and tools.
func (w *Worker) DeliverHandler() asynq.Handler { return w.deliverer }

// Reconciler returns the worker's reconciler.
func (w *Worker) Reconciler() *Reconciler { return w.reconciler }

// Run processes tasks and reconciles until ctx ends, then shuts down: tasks in
// flight get Settings.ShutdownTimeout to finish, the rest go back to the queue.
func (w *Worker) Run(ctx context.Context) error {
	for i, u := range w.units {
		if err := u.srv.Start(u.mux); err != nil {
			for _, started := range w.units[:i] {
				started.srv.Shutdown()
			}
			return fmt.Errorf("worker: start: %w", err)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { w.reconciler.Run(ctx) })
	<-ctx.Done()
	for _, u := range w.units {
		wg.Go(u.srv.Shutdown)
	}
	wg.Wait()
	return errors.Join(w.client.Close(), w.inspector.Close(), w.rdb.Close())
}

// errorLogger logs failed task runs; waits for retries and rate limits are routine.
func errorLogger(log *slog.Logger) asynq.ErrorHandler {
	return asynq.ErrorHandlerFunc(func(_ context.Context, t *asynq.Task, err error) {
		var r *retryLater
		if errors.As(err, &r) {
			log.Debug("task waits", "type", t.Type(), "reason", err)
			return
		}
		log.Warn("task failed", "type", t.Type(), "err", err)
	})
}
