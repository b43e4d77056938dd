package store

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// due selects the deliveries a claim may take: queued ones that are due, and
// sending ones whose claimer went quiet. It binds now then staleBefore.
const due = `(status = 'queued' AND next_attempt_at <= ? OR status = 'sending' AND updated_at < ?)`

// ClaimDeliveries moves to sending, and returns, up to limit deliveries of the batch
// (in id order) that are due: queued with NextAttemptAt <= now, or sending with
// UpdatedAt before staleBefore (a process died holding them: those come back with
// Ambiguous set). Attempts is incremented.
func (s *Store) ClaimDeliveries(ctx context.Context, b Batch, limit int, now, staleBefore time.Time) ([]Claim, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("store: claim deliveries: limit %d is not positive", limit)
	}
	// One statement is atomic: two claimers of the same batch never share a row.
	// The condition is repeated outside the subquery for databases where
	// concurrent writers can see a row change between the two.
	rows, err := s.write().query(ctx, `UPDATE deliveries SET status = 'sending', attempts = attempts + 1,
		ambiguous = CASE WHEN status = 'sending' THEN 1 ELSE ambiguous END, updated_at = ?
		WHERE id IN (SELECT id FROM deliveries WHERE alert_id = ? AND channel = ?
			AND status IN ('queued', 'sending') AND id BETWEEN ? AND ? AND `+due+` ORDER BY id LIMIT ?)
		AND `+due+` RETURNING `+deliveryColumns,
		ms(now), b.AlertID, b.Channel, b.FirstID, b.LastID, ms(now), ms(staleBefore), limit, ms(now), ms(staleBefore))
	if err != nil {
		return nil, s.wrap("claim deliveries", err)
	}
	ds, err := collect(rows, scanDelivery)
	if err != nil || len(ds) == 0 {
		return nil, s.wrap("claim deliveries", err)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i].ID < ds[j].ID })
	claims, err := s.recipients(ctx, b, ds)
	return claims, s.wrap("claim deliveries", err)
}

// recipients pairs claimed deliveries with their supporters and their current
// subscription to the alert's campaign on the batch's channel. An erased
// supporter leaves a zero Supporter and no subscription.
func (s *Store) recipients(ctx context.Context, b Batch, ds []Delivery) ([]Claim, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.SupporterID
	}
	args := append([]any{b.AlertID, b.Channel}, int64Args(ids)...)
	rows, err := s.read().query(ctx, `SELECT `+supporterColumns+`, COALESCE(sub.status, '') FROM supporters s
		LEFT JOIN subscriptions sub ON sub.campaign_id = (SELECT campaign_id FROM alerts WHERE id = ?)
			AND sub.supporter_id = s.id AND sub.channel = ?
		WHERE s.id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	found, err := collect(rows, scanRecipient)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Claim, len(found))
	for _, c := range found {
		byID[c.Supporter.ID] = c
	}
	claims := make([]Claim, len(ds))
	for i, d := range ds {
		claims[i] = byID[d.SupporterID]
		claims[i].Delivery = d
	}
	return claims, nil
}

func scanRecipient(r scanner) (Claim, error) {
	var c Claim
	var created, updated int64
	s := &c.Supporter
	err := r.Scan(&s.ID, &s.Email, &s.Phone, &s.Name, &s.Locale, &s.Country, &s.Timezone, &created, &updated,
		&c.SubscriptionStatus)
	s.CreatedAt, s.UpdatedAt = fromMS(created), fromMS(updated)
	return c, err
}
