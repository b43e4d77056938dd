package store

import (
	"database/sql"
	"errors"
	"fmt"
)

// wrap gives err the prefix of what was being done, turning a missing row into
// ErrNotFound and a unique violation into ErrConflict.
func (s *Store) wrap(what string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: %s: %w", what, ErrNotFound)
	case s.d.isUnique(err):
		return fmt.Errorf("store: %s: %w", what, ErrConflict)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}

// isNoRows reports whether err says a row was not there.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// mustAffect returns ErrNotFound when res changed no row.
func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return nil
}
