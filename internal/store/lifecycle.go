package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// anyChannel is "channel IN (every channel)": naming them all lets the
// (alert_id, channel, status) index seek on status for a whole alert.
func anyChannel() string {
	names := make([]string, 0, len(AllChannels()))
	for _, ch := range AllChannels() {
		names = append(names, "'"+string(ch)+"'")
	}
	return "channel IN (" + strings.Join(names, ", ") + ")"
}

// StartAlert moves a scheduled alert to sending (no-op otherwise) and touches UpdatedAt.
func (s *Store) StartAlert(ctx context.Context, id int64, now time.Time) error {
	res, err := s.write().exec(ctx, `UPDATE alerts SET updated_at = ?,
		status = CASE WHEN status = 'scheduled' THEN 'sending' ELSE status END
		WHERE id = ? AND status IN ('scheduled', 'sending')`, ms(now), id)
	if err == nil && mustAffect(res) != nil {
		_, err = alertByID(ctx, s.read(), id)
	}
	return s.wrap("start alert", err)
}

// CancelAlert marks a scheduled or sending alert cancelled and its queued
// deliveries cancelled. A final alert is returned unchanged.
func (s *Store) CancelAlert(ctx context.Context, id int64, now time.Time) (Alert, error) {
	var a Alert
	err := s.inTx(ctx, func(c conn) error {
		var err error
		if a, err = alertByID(ctx, c, id); err != nil || a.Status.Final() {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE deliveries SET status = 'cancelled', updated_at = ?
			WHERE alert_id = ? AND `+anyChannel()+` AND status = 'queued'`, ms(now), id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE alerts SET status = 'cancelled', completed_at = ?, updated_at = ?
			WHERE id = ?`, ms(now), ms(now), id); err != nil {
			return err
		}
		a, err = alertByID(ctx, c, id)
		return err
	})
	return a, s.wrap("cancel alert", err)
}

// BlockChannel records a configuration error that stops the alert's channel.
func (s *Store) BlockChannel(ctx context.Context, alertID int64, ch Channel, reason string, now time.Time) error {
	if !ch.Valid() {
		return fmt.Errorf("store: block channel: unknown channel %q", ch)
	}
	err := s.inTx(ctx, func(c conn) error {
		a, err := alertByID(ctx, c, alertID)
		if err != nil {
			return err
		}
		if a.Blocked == nil {
			a.Blocked = map[Channel]string{}
		}
		a.Blocked[ch] = reason
		blocked, err := encodeJSON(a.Blocked, false)
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE alerts SET blocked = ?, updated_at = ? WHERE id = ?`, blocked, ms(now), alertID)
		return err
	})
	return s.wrap("block channel", err)
}

// FinishAlert marks a sending alert completed when it is fanned out and none of its
// deliveries is pending (expired instead when any delivery expired), and reports
// whether it did.
func (s *Store) FinishAlert(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := s.write().exec(ctx, `UPDATE alerts SET completed_at = ?, updated_at = ?,
		status = CASE WHEN EXISTS (SELECT 1 FROM deliveries WHERE alert_id = alerts.id AND `+anyChannel()+`
			AND status = 'expired') THEN 'expired' ELSE 'completed' END
		WHERE id = ? AND status = 'sending' AND fanout_done = 1 AND NOT EXISTS (SELECT 1 FROM deliveries
			WHERE alert_id = alerts.id AND `+anyChannel()+` AND status IN ('queued', 'sending'))`,
		ms(now), ms(now), id)
	if err != nil {
		return false, s.wrap("finish alert", err)
	}
	if err := mustAffect(res); !errors.Is(err, sql.ErrNoRows) {
		return err == nil, s.wrap("finish alert", err)
	}
	_, err = alertByID(ctx, s.read(), id)
	return false, s.wrap("finish alert", err)
}

// ExpireAlerts ends every scheduled or sending alert whose ExpiresAt is at or before
// now: its queued deliveries become expired, and the alert expired. It returns their ids.
func (s *Store) ExpireAlerts(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.inTx(ctx, func(c conn) error {
		rows, err := c.query(ctx, `SELECT id FROM alerts WHERE status IN ('scheduled', 'sending')
			AND expires_at > 0 AND expires_at <= ? ORDER BY id`, ms(now))
		if err != nil {
			return err
		}
		if ids, err = collect(rows, scanID); err != nil || len(ids) == 0 {
			return err
		}
		in := placeholders(len(ids))
		if _, err := c.exec(ctx, `UPDATE deliveries SET status = 'expired', updated_at = ?
			WHERE alert_id IN (`+in+`) AND `+anyChannel()+` AND status = 'queued'`,
			append([]any{ms(now)}, int64Args(ids)...)...); err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE alerts SET status = 'expired', completed_at = ?, updated_at = ?
			WHERE id IN (`+in+`)`, append([]any{ms(now), ms(now)}, int64Args(ids)...)...)
		return err
	})
	return ids, s.wrap("expire alerts", err)
}
