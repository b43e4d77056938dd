package store

import (
	"context"
	"fmt"
)

// suppressSQL ends a supporter's live subscriptions on a channel, on every campaign.
const suppressSQL = `UPDATE subscriptions SET status = ?, reason = ?, updated_at = ?
	WHERE supporter_id = ? AND channel = ? AND status IN ('pending', 'active')`

// RecordResults writes the outcomes of claimed deliveries, and their suppressions,
// in one transaction. Only deliveries still in sending are changed.
func (s *Store) RecordResults(ctx context.Context, rs []Result) error {
	for _, r := range rs {
		if err := validateResult(r); err != nil {
			return fmt.Errorf("store: record results: delivery %d: %w", r.DeliveryID, err)
		}
	}
	if len(rs) == 0 {
		return nil
	}
	// Prepared before any transaction: preparing takes the writer's only connection.
	plan, err := s.planRecord(ctx, firstResults(rs))
	if err != nil {
		return s.wrap("record results", err)
	}
	now := s.nowMS()
	if len(plan) == 1 && !anySuppression(rs) {
		// One statement is a transaction of its own, and spares BEGIN, COMMIT
		// and the statement journal of a multi-row change in a transaction.
		return s.wrap("record results", plan[0].exec(ctx, s.write(), now))
	}
	err = s.inTx(ctx, func(c conn) error {
		for _, p := range plan {
			if err := p.exec(ctx, c, now); err != nil {
				return err
			}
		}
		return suppressAll(ctx, c, rs, now)
	})
	return s.wrap("record results", err)
}

func validateResult(r Result) error {
	switch r.Status {
	case DeliverySent, DeliveryFailed, DeliverySuppressed, DeliveryExpired, DeliveryCancelled, DeliveryQueued:
	default:
		return fmt.Errorf("a result cannot be %q", r.Status)
	}
	if p := r.Suppress; p != nil && (p.Status != SubSuppressed && p.Status != SubUnsubscribed || !p.Channel.Valid()) {
		return fmt.Errorf("cannot suppress with status %q on channel %q", p.Status, p.Channel)
	}
	return nil
}

// suppressAll applies the suppressions of rs.
func suppressAll(ctx context.Context, c conn, rs []Result, now int64) error {
	for _, r := range rs {
		p := r.Suppress
		if p == nil {
			continue
		}
		if _, err := c.exec(ctx, suppressSQL, p.Status, p.Reason, resultAt(r, now), p.SupporterID, p.Channel); err != nil {
			return fmt.Errorf("delivery %d: %w", r.DeliveryID, err)
		}
	}
	return nil
}

// FinishQueued moves every queued delivery of the batch to a final status
// (expired, cancelled, or failed with the given error), and returns how many moved.
func (s *Store) FinishQueued(ctx context.Context, b Batch, r Result) (int64, error) {
	if r.Status != DeliveryExpired && r.Status != DeliveryCancelled && r.Status != DeliveryFailed {
		return 0, fmt.Errorf("store: finish queued: cannot finish deliveries as %q", r.Status)
	}
	at := ms(r.At)
	if at == 0 {
		at = s.nowMS()
	}
	res, err := s.write().exec(ctx, `UPDATE deliveries SET status = ?, error_code = ?, error_class = ?,
		error_message = ?, updated_at = ?
		WHERE alert_id = ? AND channel = ? AND status = 'queued' AND id BETWEEN ? AND ?`,
		r.Status, r.ErrorCode, r.ErrorClass, r.ErrorMessage, at, b.AlertID, b.Channel, b.FirstID, b.LastID)
	if err != nil {
		return 0, s.wrap("finish queued", err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap("finish queued", err)
}
