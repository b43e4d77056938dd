package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps the prepared statements of the delivery hot path on one
// *sql.DB: SQLite then parses each of them once per connection rather than on
// every call, which cost about a tenth of a claim. A *sql.Stmt is safe for
// concurrent use and prepares itself again on each connection of the pool.
//
// Statements are prepared on first use rather than at Open, because Open does
// not migrate and a statement on a missing table does not prepare.
type stmtCache struct {
	db *sql.DB
	d  dialect
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB, d dialect) *stmtCache {
	return &stmtCache{db: db, d: d, m: map[string]*sql.Stmt{}}
}

// get returns the prepared statement of query, written with ? placeholders.
// It takes a connection of the pool when the statement is new: on the writer,
// call it before beginning a transaction, never inside one.
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	// Prepared without the lock, which must never wait for a connection.
	st, err := c.db.PrepareContext(ctx, c.d.bind(query))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept, ok := c.m[query]; ok { // prepared meanwhile by another caller
		if err := st.Close(); err != nil { //nolint:sqlclosecheck // the duplicate is closed at once; the kept one lives with the Store
			return nil, err
		}
		return kept, nil
	}
	c.m[query] = st
	return st, nil
}

// close closes every statement; the cache must not be used afterwards.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}
