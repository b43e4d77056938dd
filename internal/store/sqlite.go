package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// readers is the size of the read-only pool.
const readers = 8

// The connection settings. WAL lets readers run beside the one writer;
// synchronous=NORMAL is durable across process crashes (not power loss) in WAL
// mode; _txlock=immediate takes the write lock at BEGIN, so that a transaction
// never fails to upgrade from read to write when another process writes.
// temp_store=MEMORY keeps the statement journal of a multi-row UPDATE inside a
// transaction (RecordResults) in memory instead of spilling it to a temporary file.
const (
	writerParams = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)&_txlock=immediate"
	readerParams = "?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=foreign_keys(1)"
)

// openSQLite opens the writer and the reader pool of the SQLite file at path.
func openSQLite(ctx context.Context, path string) (w, r *sql.DB, err error) {
	if path == "" || path == ":memory:" {
		return nil, nil, errors.New("store: open: sqlite needs a file path (sqlite:PATH)")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, nil, fmt.Errorf("store: open: create the database directory: %w", err)
	}
	// The writer is opened and pinged first: it switches the file to WAL, which
	// the query-only readers could not do.
	if w, err = openPool(ctx, "file:"+path+writerParams, 1); err != nil {
		return nil, nil, err
	}
	if r, err = openPool(ctx, "file:"+path+readerParams, readers); err != nil {
		return nil, nil, errors.Join(err, w.Close())
	}
	return w, r, nil
}

func openPool(ctx context.Context, dsn string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("store: open: %w", err), db.Close())
	}
	return db, nil
}

// sqliteDialect is SQLite's way of saying things.
func sqliteDialect() dialect {
	return dialect{
		name:       "sqlite",
		migrations: "migrations/sqlite",
		bind:       func(q string) string { return q },
		isUnique:   sqliteIsUnique,
	}
}

// sqliteIsUnique reports whether err is a UNIQUE or PRIMARY KEY violation.
func sqliteIsUnique(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
