package store

import (
	"context"
	"database/sql"
	"fmt"
)

// recordSQL writes one result on a delivery that is still sending. A retry
// (queued) keeps no provider id; a sent message keeps no error.
const recordSQL = `UPDATE deliveries SET status = ?, provider_id = ?, error_code = ?, error_class = ?,
	error_message = ?, failures = failures + ?, sent_at = ?, updated_at = ?,
	next_attempt_at = CASE WHEN ? = 1 THEN ? ELSE next_attempt_at END
	WHERE id = ? AND status = 'sending'`

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
	now := s.nowMS()
	err := s.inTx(ctx, func(c conn) error {
		record, err := c.prepare(ctx, recordSQL)
		if err != nil {
			return err
		}
		defer record.Close()
		for _, r := range rs {
			if err := recordResult(ctx, c, record, r, now); err != nil {
				return fmt.Errorf("delivery %d: %w", r.DeliveryID, err)
			}
		}
		return nil
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

func recordResult(ctx context.Context, c conn, record *sql.Stmt, r Result, now int64) error {
	at := ms(r.At)
	if at == 0 {
		at = now
	}
	retry := r.Status == DeliveryQueued
	next := ms(r.NextAttemptAt)
	if retry && next == 0 {
		next = at
	}
	provider, code, class, msg := r.ProviderID, r.ErrorCode, r.ErrorClass, r.ErrorMessage
	var sentAt int64
	switch r.Status {
	case DeliveryQueued:
		provider = ""
	case DeliverySent:
		code, class, msg, sentAt = "", "", "", at
	}
	if _, err := record.ExecContext(ctx, r.Status, provider, code, class, msg, boolInt(r.CountFailure), sentAt, at,
		boolInt(retry), next, r.DeliveryID); err != nil {
		return err
	}
	if p := r.Suppress; p != nil {
		_, err := c.exec(ctx, suppressSQL, p.Status, p.Reason, at, p.SupporterID, p.Channel)
		return err
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
