package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/store"
)

// listPage is how many tasks one Inspector call lists.
const listPage = 1000

// liveWork is the work that tasks in Redis will still do: the delivery ranges
// of batch tasks and the alerts of fan-out tasks that are pending, scheduled,
// waiting for a retry, or running in a live process. The reconciler re-drives
// only what no live task covers, so Redis never holds two tasks for one batch
// however long the batch waits its turn.
type liveWork struct {
	ranges map[rangeKey][][2]int64
	alerts map[int64]bool
}

type rangeKey struct {
	alert   int64
	channel store.Channel
}

// queuesKey is the Redis set where asynq lists queue names (asynq's
// internal/base.AllQueues). asynq clients add a queue to it once per process,
// so after Redis is wiped the queues drop out of it, and out of the
// Inspector's sight, until each client restarts. Tasks in them are still
// processed; registerQueues puts the names back so they are seen too.
const queuesKey = "asynq:queues"

func registerQueues(ctx context.Context, rdb redis.UniversalClient) error {
	if err := rdb.SAdd(ctx, queuesKey, QueueFanout, QueueEmail, QueueSMS).Err(); err != nil {
		return fmt.Errorf("register queues: %w", err)
	}
	return nil
}

// readLiveWork lists the live tasks of Muster's queues.
func readLiveWork(ins *asynq.Inspector) (liveWork, error) {
	l := liveWork{ranges: map[rangeKey][][2]int64{}, alerts: map[int64]bool{}}
	for _, q := range []string{QueueFanout, QueueEmail, QueueSMS} {
		lists := []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
			ins.ListPendingTasks, ins.ListScheduledTasks, ins.ListRetryTasks, ins.ListActiveTasks,
		}
		for _, list := range lists {
			if err := l.addAll(q, list); err != nil {
				return l, err
			}
		}
	}
	return l, nil
}

func (l liveWork) addAll(queue string, list func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error)) error {
	for page := 1; ; page++ {
		tasks, err := list(queue, asynq.PageSize(listPage), asynq.Page(page))
		if errors.Is(err, asynq.ErrQueueNotFound) {
			return nil // nothing was ever enqueued there, or Redis was wiped
		}
		if err != nil {
			return fmt.Errorf("list %s tasks: %w", queue, err)
		}
		for _, t := range tasks {
			if !t.IsOrphaned { // an active task whose process died is not live
				l.add(t)
			}
		}
		if len(tasks) < listPage {
			return nil
		}
	}
}

func (l liveWork) add(t *asynq.TaskInfo) {
	switch t.Type {
	case TypeFanout:
		var p FanoutPayload
		if json.Unmarshal(t.Payload, &p) == nil {
			l.alerts[p.AlertID] = true
		}
	case TypeDeliver:
		var b store.Batch
		if json.Unmarshal(t.Payload, &b) == nil {
			k := rangeKey{b.AlertID, b.Channel}
			l.ranges[k] = append(l.ranges[k], [2]int64{b.FirstID, b.LastID})
		}
	}
}

// uncovered returns the parts of b that no live task's range covers.
func (l liveWork) uncovered(b store.Batch) []store.Batch {
	ranges := l.ranges[rangeKey{b.AlertID, b.Channel}]
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	var out []store.Batch
	next := b.FirstID
	for _, r := range ranges {
		if r[1] < next || r[0] > b.LastID {
			continue
		}
		if r[0] > next {
			out = append(out, store.Batch{AlertID: b.AlertID, Channel: b.Channel, FirstID: next, LastID: r[0] - 1})
		}
		next = max(next, r[1]+1)
	}
	if next <= b.LastID {
		out = append(out, store.Batch{AlertID: b.AlertID, Channel: b.Channel, FirstID: next, LastID: b.LastID})
	}
	return out
}
