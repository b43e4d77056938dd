package worker_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/worker"
)

// queued counts the tasks waiting in a queue.
func (h *harness) queued(queue string) int {
	h.t.Helper()
	ins := asynq.NewInspector(h.redis)
	defer func() { _ = ins.Close() }()
	info, err := ins.GetQueueInfo(queue)
	if err != nil {
		return 0 // the queue does not exist (any more)
	}
	return info.Pending + info.Scheduled + info.Retry + info.Active
}

// The reconciler re-drives what Redis lost, and only that: batches waiting
// their turn in the queue are left alone however long they wait, so Redis
// never holds two tasks for one batch.
func TestReconcilerRedrivesOnlyLostWork(t *testing.T) {
	const n = 1000
	h := newHarness(t)
	h.set.SendLease = time.Millisecond // every queued message looks overdue at once
	h.campaign("rec", n)
	a := h.postAlert("rec", mobilization)
	// Fan the alert out without workers: the batch tasks wait in Redis.
	w := h.idleWorker()
	fanout, err := worker.NewFanoutTask(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.FanoutHandler().ProcessTask(context.Background(), fanout); err != nil {
		t.Fatal(err)
	}
	batches := h.queued(worker.QueueEmail)
	if batches != n/h.set.BatchSize {
		t.Fatalf("%d email batch tasks after the fan-out, want %d", batches, n/h.set.BatchSize)
	}

	rec := w.Reconciler()
	for range 3 {
		if err := rec.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.queued(worker.QueueEmail); got != batches {
		t.Fatalf("%d email tasks after reconciling, want still %d: waiting batches were re-driven", got, batches)
	}

	if err := h.rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rec.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	redriven := h.queued(worker.QueueEmail)
	if redriven == 0 || redriven > 2*batches {
		t.Fatalf("%d email tasks after Redis was flushed, want the %d lost batches re-driven", redriven, batches)
	}
	if err := rec.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := h.queued(worker.QueueEmail); got != redriven {
		t.Fatalf("%d email tasks after a second pass, want still %d: the re-drives were re-driven", got, redriven)
	}

	// And the re-driven tasks deliver everything exactly once.
	h.set.SendLease = 2 * time.Second
	h.startWorker()
	if a = h.waitAlert(a.ID, 60*time.Second); a.Counts["email"]["sent"] != n || h.smtp.Count() != n {
		t.Fatalf("counts %v, server got %d; want %d sent", a.Counts, h.smtp.Count(), n)
	}
	for i := range n {
		if got := h.smtp.CountTo(email(i)); got != 1 {
			t.Fatalf("supporter %d got %d emails", i, got)
		}
	}
}
