package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const alertColumns = `a.id, a.campaign_id, c.slug, a.status, a.template, a.content, a.data, a.audience,
	a.channels, a.send_at, a.expires_at, a.urgent, COALESCE(a.idempotency_key, ''), a.audience_size,
	a.fanout_cursor, a.fanout_done, a.blocked, a.created_at, a.updated_at, a.completed_at`

const alertFrom = ` FROM alerts a JOIN campaigns c ON c.id = a.campaign_id `

// CreateAlert stores a new alert (Status scheduled). When IdempotencyKey is set and
// an alert of the campaign already has it, that alert is returned with created false.
func (s *Store) CreateAlert(ctx context.Context, a Alert) (Alert, bool, error) {
	doc, err := encodeAlert(a)
	if err != nil {
		return Alert{}, false, fmt.Errorf("store: create alert: %w", err)
	}
	var created bool
	err = s.inTx(ctx, func(c conn) error {
		if err := c.queryRow(ctx, `SELECT id FROM campaigns WHERE id = ?`, a.CampaignID).Scan(new(int64)); err != nil {
			return err
		}
		var id int64
		id, created, err = insertAlert(ctx, c, a, doc, s.nowMS())
		if err != nil {
			return err
		}
		a, err = alertByID(ctx, c, id)
		return err
	})
	if err != nil {
		return Alert{}, false, s.wrap("create alert", err)
	}
	return a, created, nil
}

// insertAlert inserts a, or finds the alert of the campaign that has its idempotency key.
func insertAlert(ctx context.Context, c conn, a Alert, doc alertDoc, now int64) (int64, bool, error) {
	var id int64
	err := c.queryRow(ctx, `INSERT INTO alerts (campaign_id, status, template, content, data, audience, channels,
		send_at, expires_at, urgent, idempotency_key, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (campaign_id, idempotency_key) DO NOTHING RETURNING id`,
		a.CampaignID, AlertScheduled, a.Template, doc.content, doc.data, doc.audience, doc.channels,
		ms(a.SendAt), ms(a.ExpiresAt), boolInt(a.Urgent), nullable(a.IdempotencyKey), now, now).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err == nil, err
	}
	err = c.queryRow(ctx, `SELECT id FROM alerts WHERE campaign_id = ? AND idempotency_key = ?`,
		a.CampaignID, a.IdempotencyKey).Scan(&id)
	return id, false, err
}

// alertByIDSQL selects one alert by id.
const alertByIDSQL = `SELECT ` + alertColumns + alertFrom + `WHERE a.id = ?`

// AlertByID returns the alert, or ErrNotFound. Delivery workers call it before
// every chunk, so its statement is prepared once.
func (s *Store) AlertByID(ctx context.Context, id int64) (Alert, error) {
	st, err := s.rst.get(ctx, alertByIDSQL) //nolint:sqlclosecheck // cached; closed with the Store
	if err != nil {
		return Alert{}, s.wrap("alert by id", err)
	}
	a, err := scanAlert(st.QueryRowContext(ctx, id))
	return a, s.wrap("alert by id", err)
}

func alertByID(ctx context.Context, c conn, id int64) (Alert, error) {
	return scanAlert(c.queryRow(ctx, alertByIDSQL, id))
}

func scanAlert(r scanner) (Alert, error) {
	var a Alert
	var doc alertDoc
	var sendAt, expiresAt, created, updated, completed int64
	var urgent, done int
	err := r.Scan(&a.ID, &a.CampaignID, &a.CampaignSlug, &a.Status, &a.Template, &doc.content, &doc.data,
		&doc.audience, &doc.channels, &sendAt, &expiresAt, &urgent, &a.IdempotencyKey, &a.AudienceSize,
		&a.FanoutCursor, &done, &doc.blocked, &created, &updated, &completed)
	if err != nil {
		return Alert{}, err
	}
	a.SendAt, a.ExpiresAt, a.Urgent, a.FanoutDone = fromMS(sendAt), fromMS(expiresAt), urgent == 1, done == 1
	a.CreatedAt, a.UpdatedAt, a.CompletedAt = fromMS(created), fromMS(updated), fromMS(completed)
	if err := doc.decodeInto(&a); err != nil {
		return Alert{}, fmt.Errorf("alert %d: %w", a.ID, err)
	}
	return a, nil
}
