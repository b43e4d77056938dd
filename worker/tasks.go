// Package worker holds Muster's asynq task types, their payloads and handlers:
// the fan-out of an alert into deliveries, the delivery of batches of messages,
// and the reconciler that re-drives whatever Redis lost.
package worker

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/store"
)

// Task types.
const (
	// TypeFanout walks an alert's audience and records its deliveries.
	TypeFanout = "alert:fanout"
	// TypeDeliver sends one batch of an alert's deliveries on one channel.
	TypeDeliver = "alert:deliver"
)

// Queue names. Each channel has its own queue, served by its own asynq server,
// so a slow SMS provider never holds up email.
const (
	QueueFanout = "fanout"
	QueueEmail  = "email"
	QueueSMS    = "sms"
)

// FanoutPayload is the payload of a TypeFanout task: ids only, never personal data.
type FanoutPayload struct {
	AlertID int64 `json:"alert_id"`
}

// NewFanoutTask returns the fan-out task of an alert.
func NewFanoutTask(alertID int64) (*asynq.Task, error) {
	b, err := json.Marshal(FanoutPayload{AlertID: alertID})
	if err != nil {
		return nil, fmt.Errorf("encode fan-out payload: %w", err)
	}
	return asynq.NewTask(TypeFanout, b), nil
}

// NewDeliverTask returns the delivery task of a batch.
func NewDeliverTask(b store.Batch) (*asynq.Task, error) {
	p, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("encode deliver payload: %w", err)
	}
	return asynq.NewTask(TypeDeliver, p), nil
}

// QueueOf returns the queue that serves a channel.
func QueueOf(ch store.Channel) string {
	if ch == store.ChannelSMS {
		return QueueSMS
	}
	return QueueEmail
}

// fanoutTaskID is the id of an alert's first fan-out task; suffix tells re-drives apart.
func fanoutTaskID(alertID int64, suffix string) string {
	return "fanout:" + strconv.FormatInt(alertID, 10) + suffix
}

// deliverTaskID is the id of a batch's task; suffix tells re-drives apart.
func deliverTaskID(b store.Batch, suffix string) string {
	return "dlv:" + strconv.FormatInt(b.AlertID, 10) + ":" + string(b.Channel) + ":" +
		strconv.FormatInt(b.FirstID, 10) + "-" + strconv.FormatInt(b.LastID, 10) + suffix
}
