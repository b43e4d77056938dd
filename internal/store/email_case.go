package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"github.com/muster-org/muster/internal/contact"
)

// canonicalContact is a contact as the store compares and hashes it: an
// address folded by contact.FoldEmail, a number as it is. Callers normalize
// already; the store folds again so that no path can store, find or hash
// another spelling of an address.
func canonicalContact(ch Channel, c string) string {
	if ch == ChannelEmail {
		return contact.FoldEmail(c)
	}
	return c
}

// contactHash is the keyed hash the suppression list holds instead of an
// address or number: HMAC-SHA256 with Options.ContactKey, of the canonical
// contact.
func (s *Store) contactHash(ch Channel, c string) []byte {
	return s.rawContactHash(ch, canonicalContact(ch, c))
}

// rawContactHash hashes the contact as it is written; only the migration that
// re-hashes addresses stored before folding needs it.
func (s *Store) rawContactHash(ch Channel, c string) []byte {
	m := hmac.New(sha256.New, s.contactKey)
	m.Write([]byte(string(ch) + ":" + c))
	return m.Sum(nil)
}

// emailCaseVersion is the migration that folds stored addresses (0007_email_case.sql).
const emailCaseVersion = 7

// foldStoredEmails is the Go step before 0007_email_case.sql: it lists in the
// work table email_fold every stored address that folding changes, folded in
// Go because SQLite's lower() folds ASCII letters only.
func (s *Store) foldStoredEmails(ctx context.Context, c conn) error {
	if _, err := c.exec(ctx, `CREATE TEMP TABLE email_fold (
		supporter_id INTEGER PRIMARY KEY, email TEXT NOT NULL, folded TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create email_fold: %w", err)
	}
	// Only an address with an upper-case ASCII letter or a character beyond
	// ASCII can change: SQL picks those, Go folds them.
	rows, err := c.query(ctx, `SELECT id, email FROM supporters
		WHERE email IS NOT NULL AND (email <> lower(email) OR email GLOB '*[^ -~]*') ORDER BY id`)
	if err != nil {
		return fmt.Errorf("list addresses: %w", err)
	}
	type stored struct {
		id    int64
		email string
	}
	list, err := collect(rows, func(r scanner) (stored, error) {
		var st stored
		return st, r.Scan(&st.id, &st.email)
	})
	if err != nil {
		return fmt.Errorf("list addresses: %w", err)
	}
	for _, st := range list {
		folded := contact.FoldEmail(st.email)
		if folded == st.email {
			continue
		}
		if _, err := c.exec(ctx, `INSERT INTO email_fold (supporter_id, email, folded) VALUES (?, ?, ?)`,
			st.id, st.email, folded); err != nil {
			return fmt.Errorf("list a folded address: %w", err)
		}
	}
	return nil
}

// rehashFoldedEmails is the Go step after 0007_email_case.sql: a suppression
// hash made from an address as it was written before folding is replaced by
// the hash of the folded address, so the stop still holds. It can only do so
// for the addresses still stored (email_fold lists them, those of merged
// supporters too); the hash of an erased supporter's mixed-case address, or
// of a mixed-case address that bounced without being a supporter's, cannot be
// recomputed, and no longer matches: the list holds no addresses, by design.
func (s *Store) rehashFoldedEmails(ctx context.Context, c conn) error {
	rows, err := c.query(ctx, `SELECT email, folded FROM email_fold ORDER BY supporter_id`)
	if err != nil {
		return fmt.Errorf("read email_fold: %w", err)
	}
	pairs, err := collect(rows, func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return fmt.Errorf("read email_fold: %w", err)
	}
	for _, p := range pairs {
		if err := s.rehash(ctx, c, p[0], p[1]); err != nil {
			return err
		}
	}
	_, err = c.exec(ctx, `DROP TABLE email_fold`)
	return err
}

// rehash moves the suppressions of the address written as was to its folded form.
func (s *Store) rehash(ctx context.Context, c conn, was, folded string) error {
	old, canon := s.rawContactHash(ChannelEmail, was), s.rawContactHash(ChannelEmail, folded)
	if _, err := c.exec(ctx, `INSERT INTO suppressions (contact_hash, channel, reason, created_at)
		SELECT ?, channel, reason, created_at FROM suppressions WHERE contact_hash = ? AND channel = ?
		ON CONFLICT (contact_hash, channel) DO NOTHING`, canon, old, ChannelEmail); err != nil {
		return fmt.Errorf("re-hash a suppression: %w", err)
	}
	_, err := c.exec(ctx, `DELETE FROM suppressions WHERE contact_hash = ? AND channel = ?`, old, ChannelEmail)
	return err
}

// mergedInto returns the supporter that the links of supporterID reach on ch:
// the one it was merged into when migration 0007 merged it (for its email
// channel always, for its phone channels when its number moved too), else
// itself. Links already sent, to unsubscribe above all, keep working.
func mergedInto(ctx context.Context, c conn, supporterID int64, ch Channel) (int64, error) {
	var into int64
	err := c.queryRow(ctx, `SELECT into_id FROM supporter_merges
		WHERE from_id = ? AND (phone_too = 1 OR ? = 'email')`, supporterID, ch).Scan(&into)
	switch {
	case isNoRows(err):
		return supporterID, nil
	case err != nil:
		return 0, fmt.Errorf("merged into: %w", err)
	}
	return into, nil
}
