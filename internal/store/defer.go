package store

import (
	"context"
	"time"
)

// DeferQueued makes the batch's queued deliveries that are due before until
// due at until: the batch waits for rate-limit permits, and the reconciler must
// not take its messages for lost meanwhile. It returns how many moved.
func (s *Store) DeferQueued(ctx context.Context, b Batch, until time.Time) (int64, error) {
	res, err := s.write().exec(ctx, `UPDATE deliveries SET next_attempt_at = ?
		WHERE alert_id = ? AND channel = ? AND status = 'queued' AND id BETWEEN ? AND ? AND next_attempt_at < ?`,
		ms(until), b.AlertID, b.Channel, b.FirstID, b.LastID, ms(until))
	if err != nil {
		return 0, s.wrap("defer queued", err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap("defer queued", err)
}
