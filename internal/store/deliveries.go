package store

import (
	"context"
	"database/sql"
	"time"
)

// deliveryColumns are a delivery's columns, unqualified so that RETURNING can use them.
const deliveryColumns = `id, alert_id, COALESCE(supporter_id, 0), channel, status, attempts, failures,
	provider_id, error_code, error_class, error_message, ambiguous, next_attempt_at, created_at, updated_at, sent_at, delivered_at`

// AlertCounts counts the alert's deliveries by channel and status.
func (s *Store) AlertCounts(ctx context.Context, id int64) (map[Channel]map[DeliveryStatus]int64, error) {
	rows, err := s.read().query(ctx, `SELECT channel, status, count(*) FROM deliveries WHERE alert_id = ?
		GROUP BY channel, status`, id)
	if err != nil {
		return nil, s.wrap("alert counts", err)
	}
	defer rows.Close()
	counts := map[Channel]map[DeliveryStatus]int64{}
	for rows.Next() {
		var ch Channel
		var st DeliveryStatus
		var n int64
		if err := rows.Scan(&ch, &st, &n); err != nil {
			return nil, s.wrap("alert counts", err)
		}
		if counts[ch] == nil {
			counts[ch] = map[DeliveryStatus]int64{}
		}
		counts[ch][st] = n
	}
	if err := rows.Err(); err != nil || len(counts) > 0 {
		return counts, s.wrap("alert counts", err)
	}
	_, err = alertByID(ctx, s.read(), id)
	return counts, s.wrap("alert counts", err)
}

// ListDeliveries returns a page of the alert's deliveries by id, and the next cursor.
func (s *Store) ListDeliveries(ctx context.Context, alertID int64, f DeliveryFilter, p Page) ([]Delivery, string, error) {
	after, err := p.after()
	if err != nil {
		return nil, "", err
	}
	var w where
	w.and("alert_id = ?", alertID)
	if f.Channel != "" {
		w.and("channel = ?", f.Channel)
	}
	if f.Status != "" {
		w.and("status = ?", f.Status)
	}
	w.and("id > ?", after)
	rows, err := s.read().query(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE `+w.sql()+`
		ORDER BY id LIMIT ?`, append(w.args, p.limit()+1)...)
	if err != nil {
		return nil, "", s.wrap("list deliveries", err)
	}
	ds, err := collect(rows, scanDelivery)
	if err != nil {
		return nil, "", s.wrap("list deliveries", err)
	}
	ds, next := nextCursor(ds, p.limit(), func(d Delivery) int64 { return d.ID })
	return ds, next, nil
}

// BatchPending tells how many deliveries of the batch are still queued or sending,
// and the earliest NextAttemptAt of the queued ones.
func (s *Store) BatchPending(ctx context.Context, b Batch) (int64, time.Time, error) {
	var n int64
	var next sql.NullInt64
	err := s.read().queryRow(ctx, `SELECT count(*), min(CASE WHEN status = 'queued' THEN next_attempt_at END)
		FROM deliveries WHERE alert_id = ? AND channel = ? AND status IN ('queued', 'sending')
		AND id BETWEEN ? AND ?`, b.AlertID, b.Channel, b.FirstID, b.LastID).Scan(&n, &next)
	if err != nil {
		return 0, time.Time{}, s.wrap("batch pending", err)
	}
	return n, fromMS(next.Int64), nil
}

func scanDelivery(r scanner) (Delivery, error) {
	var d Delivery
	var ambiguous int
	var next, created, updated, sent, delivered int64
	err := r.Scan(&d.ID, &d.AlertID, &d.SupporterID, &d.Channel, &d.Status, &d.Attempts, &d.Failures,
		&d.ProviderID, &d.ErrorCode, &d.ErrorClass, &d.ErrorMessage, &ambiguous, &next, &created, &updated, &sent, &delivered)
	d.Ambiguous = ambiguous == 1
	d.NextAttemptAt, d.CreatedAt, d.UpdatedAt, d.SentAt = fromMS(next), fromMS(created), fromMS(updated), fromMS(sent)
	d.DeliveredAt = fromMS(delivered)
	return d, err
}
