package store

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
)

// ErrBadCursor means a page cursor was not one the store handed out.
var ErrBadCursor = errors.New("bad cursor")

// Page sizes.
const (
	defaultPageLimit = 50
	maxPageLimit     = 1000
)

// limit returns the page size asked for, within bounds.
func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return defaultPageLimit
	case p.Limit > maxPageLimit:
		return maxPageLimit
	}
	return p.Limit
}

// after returns the id the page starts after: 0 for the first page.
func (p Page) after() (int64, error) {
	if p.Cursor == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(p.Cursor)
	if err != nil {
		return 0, fmt.Errorf("store: %w", ErrBadCursor)
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("store: %w", ErrBadCursor)
	}
	return id, nil
}

// cursorAfter is the cursor of the page that follows the row with that id.
func cursorAfter(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// nextCursor trims a page fetched with one row more than asked for, and
// returns the cursor of the next page, "" when there is none.
func nextCursor[T any](rows []T, limit int, id func(T) int64) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, cursorAfter(id(rows[limit-1]))
}
