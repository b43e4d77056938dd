package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"
)

// due selects the deliveries a claim may take: queued ones that are due, and
// sending ones whose claimer went quiet. It binds now then staleBefore.
const due = `(status = 'queued' AND next_attempt_at <= ? OR status = 'sending' AND updated_at < ?)`

// claimSQL moves to sending the due deliveries of a batch, in id order, up to
// a limit. It returns only what the claimer does not know already: alert_id,
// channel, status and updated_at are the batch's, 'sending' and now.
//
// One statement is atomic: two claimers of the same batch never share a row.
// The condition is repeated outside the subquery for databases where
// concurrent writers can see a row change between the two.
//
// The statement is prepared once (Store.wst), so its text must not make SQLite
// prepare it again at each run: it says channel IN (?), which SQLite reads as
// channel = +?, because a bare channel = ? matches the condition of the partial
// index deliveries_provider_sms (channel = 'sms'), and a variable the planner
// compares with a partial index's condition expires the statement whenever it
// is bound.
const claimSQL = `UPDATE deliveries SET status = 'sending', attempts = attempts + 1,
	ambiguous = CASE WHEN status = 'sending' THEN 1 ELSE ambiguous END, updated_at = ?
	WHERE id IN (SELECT id FROM deliveries WHERE alert_id = ? AND channel IN (?)
		AND status IN ('queued', 'sending') AND id BETWEEN ? AND ? AND ` + due + ` ORDER BY id LIMIT ?)
	AND ` + due + ` RETURNING id, COALESCE(supporter_id, 0), attempts, failures, provider_id, error_code,
	error_class, error_message, ambiguous, next_attempt_at, created_at`

// ClaimDeliveries moves to sending, and returns, up to limit deliveries of the batch
// (in id order) that are due: queued with NextAttemptAt <= now, or sending with
// UpdatedAt before staleBefore (a process died holding them: those come back with
// Ambiguous set). Attempts is incremented.
func (s *Store) ClaimDeliveries(ctx context.Context, b Batch, limit int, now, staleBefore time.Time) ([]Claim, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("store: claim deliveries: limit %d is not positive", limit)
	}
	ds, err := s.claim(ctx, b, limit, now, staleBefore)
	if err != nil || len(ds) == 0 {
		return nil, s.wrap("claim deliveries", err)
	}
	claims, err := s.recipients(ctx, b, ds)
	return claims, s.wrap("claim deliveries", err)
}

// claim runs claimSQL and returns the claimed deliveries in id order.
func (s *Store) claim(ctx context.Context, b Batch, limit int, now, staleBefore time.Time) ([]Delivery, error) {
	st, err := s.wst.get(ctx, claimSQL) //nolint:sqlclosecheck // cached; closed with the Store
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, ms(now), b.AlertID, string(b.Channel), b.FirstID, b.LastID,
		ms(now), ms(staleBefore), limit, ms(now), ms(staleBefore))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ds := make([]Delivery, 0, limit)
	for rows.Next() {
		d := Delivery{AlertID: b.AlertID, Channel: b.Channel, Status: DeliverySending, UpdatedAt: fromMS(ms(now))}
		if err := scanClaimed(rows, &d); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(ds, func(x, y Delivery) int { return cmp.Compare(x.ID, y.ID) })
	return ds, nil
}

// scanClaimed reads the columns claimSQL returns into d.
func scanClaimed(r scanner, d *Delivery) error {
	var ambiguous int
	var next, created int64
	err := r.Scan(&d.ID, &d.SupporterID, &d.Attempts, &d.Failures, &d.ProviderID, &d.ErrorCode, &d.ErrorClass,
		&d.ErrorMessage, &ambiguous, &next, &created)
	d.Ambiguous = ambiguous == 1
	d.NextAttemptAt, d.CreatedAt = fromMS(next), fromMS(created)
	return err
}

// recipientsMax is the most supporters one recipients query looks up.
const recipientsMax = 128

// recipientsSQL selects up to n supporters and their subscription to an
// alert's campaign on a channel. n is a power of two and the list of ids is
// padded with NULLs to it, so that few query texts exist and each is prepared
// once.
func recipientsSQL(n int) string {
	return `SELECT ` + supporterColumns + `, COALESCE(sub.status, '') FROM supporters s
	LEFT JOIN subscriptions sub ON sub.campaign_id = (SELECT campaign_id FROM alerts WHERE id = ?)
		AND sub.supporter_id = s.id AND sub.channel = ?
	WHERE s.id IN (` + placeholders(n) + `)`
}

// recipients pairs claimed deliveries with their supporters and their current
// subscription to the alert's campaign on the batch's channel. An erased
// supporter leaves a zero Supporter and no subscription.
func (s *Store) recipients(ctx context.Context, b Batch, ds []Delivery) ([]Claim, error) {
	byID := make(map[int64]Claim, len(ds))
	for first := 0; first < len(ds); first += recipientsMax {
		part := ds[first:min(first+recipientsMax, len(ds))]
		n := binaryCeil(len(part))
		st, err := s.rst.get(ctx, recipientsSQL(n))
		if err != nil {
			return nil, err
		}
		args := make([]any, 2+n) // the ids after part's are NULL
		args[0], args[1] = b.AlertID, string(b.Channel)
		for i, d := range part {
			args[2+i] = d.SupporterID
		}
		if err := lookupRecipients(ctx, st, args, byID); err != nil {
			return nil, err
		}
	}
	claims := make([]Claim, len(ds))
	for i, d := range ds {
		claims[i] = byID[d.SupporterID]
		claims[i].Delivery = d
	}
	return claims, nil
}

// lookupRecipients runs the recipients statement and adds what it finds to byID.
func lookupRecipients(ctx context.Context, st *sql.Stmt, args []any, byID map[int64]Claim) error {
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanRecipient(rows)
		if err != nil {
			return err
		}
		byID[c.Supporter.ID] = c
	}
	return rows.Err()
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
