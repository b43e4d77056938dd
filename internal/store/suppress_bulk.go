package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ContactSuppression is one address or number to suppress, and why.
type ContactSuppression struct {
	Contact string
	Reason  string // "complaint", "bounce 5.1.1"
}

// SuppressContacts is SuppressContact for many contacts of one channel (the
// recipients of one bounce report), in one transaction: all of them are
// suppressed, or none. It returns how many subscriptions ended.
func (s *Store) SuppressContacts(ctx context.Context, ch Channel, list []ContactSuppression, now time.Time) (int64, error) {
	if len(list) == 0 {
		return 0, nil
	}
	column := "email"
	if ch != ChannelEmail {
		column = "phone"
	}
	var total int64
	err := s.inTx(ctx, func(c conn) error {
		remember, err := c.prepare(ctx, `INSERT INTO suppressions (contact_hash, channel, reason, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (contact_hash, channel) DO NOTHING`)
		if err != nil {
			return err
		}
		defer closeStmt(remember)
		end, err := c.prepare(ctx, `UPDATE subscriptions SET status = 'suppressed', reason = ?, updated_at = ?
			WHERE channel = ? AND status IN ('pending', 'active')
			AND supporter_id = (SELECT id FROM supporters WHERE `+column+` = ?)`)
		if err != nil {
			return err
		}
		defer closeStmt(end)
		for _, sup := range list {
			n, err := suppressOne(ctx, remember, end, s.contactHash, ch, sup, now)
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, s.wrap("suppress contacts", err)
}

// suppressOne lists one contact and ends its live subscriptions on ch.
func suppressOne(ctx context.Context, remember, end *sql.Stmt, hash func(Channel, string) []byte,
	ch Channel, sup ContactSuppression, now time.Time) (int64, error) {
	contact := canonicalContact(ch, sup.Contact)
	if contact == "" {
		return 0, nil
	}
	if _, err := remember.ExecContext(ctx, hash(ch, contact), ch, sup.Reason, ms(now)); err != nil {
		return 0, fmt.Errorf("list %s: %w", ch, err)
	}
	res, err := end.ExecContext(ctx, sup.Reason, ms(now), ch, contact)
	if err != nil {
		return 0, fmt.Errorf("end subscriptions: %w", err)
	}
	return res.RowsAffected()
}

// closeStmt closes a statement of a transaction that ends anyway.
func closeStmt(st *sql.Stmt) { _ = st.Close() }
