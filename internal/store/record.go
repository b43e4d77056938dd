package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// recordMax is the most results one statement of RecordResults writes. It
// writes them with one UPDATE ... FROM (VALUES ...) per shape of result and
// recordMax results, rather than one UPDATE per delivery. The VALUES are padded
// to a power of two with rows of NULLs, which match no delivery, so that few
// statement texts exist and each is prepared once. VALUES names its columns
// column1, column2... in SQLite as in PostgreSQL (which will want the values cast).
const recordMax = 128

// recordShape is one way of writing results.
type recordShape struct {
	columns int                                         // values per result
	sql     func(n int) string                          // the statement for n results
	args    func(args []any, r Result, now int64) []any // appends the values of r
}

// sentShape writes a sent message without a failure to count, by far the most
// common result, with 3 values instead of 10: id, provider_id (NULL when
// empty) and the time.
func sentShape() recordShape {
	return recordShape{columns: 3, args: appendSentArgs, sql: func(n int) string {
		return `UPDATE deliveries SET status = 'sent', provider_id = COALESCE(v.column2, ''), error_code = '',
		error_class = '', error_message = '', sent_at = v.column3, updated_at = v.column3
		FROM (VALUES ` + valuesRows(n, 3) + `) AS v
		WHERE deliveries.id = v.column1 AND deliveries.status = 'sending'`
	}}
}

// anyShape writes any result. Its values are id, status, provider_id,
// error_code, error_class, error_message (NULL when empty), failures to add,
// sent_at, updated_at, next_attempt_at or NULL to keep it, and attempts to
// give back (1 for a claim that sent nothing, see Result.Unclaimed).
func anyShape() recordShape {
	return recordShape{columns: 11, args: appendResultArgs, sql: func(n int) string {
		return `UPDATE deliveries SET status = v.column2, provider_id = COALESCE(v.column3, ''),
		error_code = COALESCE(v.column4, ''), error_class = COALESCE(v.column5, ''),
		error_message = COALESCE(v.column6, ''), failures = failures + v.column7, sent_at = v.column8,
		updated_at = v.column9, next_attempt_at = COALESCE(v.column10, next_attempt_at),
		attempts = attempts - v.column11
		FROM (VALUES ` + valuesRows(n, 11) + `) AS v
		WHERE deliveries.id = v.column1 AND deliveries.status = 'sending'`
	}}
}

// valuesRows returns n rows of columns placeholders.
func valuesRows(n, columns int) string {
	row := "(" + placeholders(columns) + ")"
	return strings.Repeat(row+", ", n-1) + row
}

// recordStmt is one statement of a RecordResults: its results and its shape.
type recordStmt struct {
	st    *sql.Stmt
	width int // rows of VALUES, len(rs) and the padding
	shape recordShape
	rs    []Result
}

// planRecord returns the statements that write rs, which have one result per
// delivery, preparing them as needed.
func (s *Store) planRecord(ctx context.Context, rs []Result) ([]recordStmt, error) {
	var sent, other []Result
	for _, r := range rs {
		if r.Status == DeliverySent && !r.CountFailure {
			sent = append(sent, r)
		} else {
			other = append(other, r)
		}
	}
	var plan []recordStmt
	for _, g := range []struct {
		rs    []Result
		shape recordShape
	}{{sent, sentShape()}, {other, anyShape()}} {
		for rs := g.rs; len(rs) > 0; rs = rs[min(recordMax, len(rs)):] {
			p := recordStmt{rs: rs[:min(recordMax, len(rs))], shape: g.shape}
			p.width = binaryCeil(len(p.rs))
			var err error
			if p.st, err = s.wst.get(ctx, g.shape.sql(p.width)); err != nil {
				return nil, err
			}
			plan = append(plan, p)
		}
	}
	return plan, nil
}

// exec runs p on c.
func (p recordStmt) exec(ctx context.Context, c conn, now int64) error {
	args := make([]any, 0, p.width*p.shape.columns)
	for _, r := range p.rs {
		args = p.shape.args(args, r, now)
	}
	args = args[:p.width*p.shape.columns]                                  // the padding rows are NULL
	if _, err := c.stmt(ctx, p.st).ExecContext(ctx, args...); err != nil { //nolint:sqlclosecheck // a transaction's view of a cached statement, closed with the transaction
		return fmt.Errorf("deliveries %d to %d: %w", p.rs[0].DeliveryID, p.rs[len(p.rs)-1].DeliveryID, err)
	}
	return nil
}

// appendSentArgs appends the values of sentShape for r.
func appendSentArgs(args []any, r Result, now int64) []any {
	return append(args, r.DeliveryID, nullable(r.ProviderID), resultAt(r, now))
}

// appendResultArgs appends the values of anyShape for r. A retry (queued)
// keeps no provider id; a sent message keeps no error.
func appendResultArgs(args []any, r Result, now int64) []any {
	at := resultAt(r, now)
	provider, code, class, msg := r.ProviderID, r.ErrorCode, r.ErrorClass, r.ErrorMessage
	var sentAt int64
	var next any // NULL keeps next_attempt_at
	switch r.Status {
	case DeliveryQueued:
		provider = ""
		next = at
		if t := ms(r.NextAttemptAt); t != 0 {
			next = t
		}
	case DeliverySent:
		code, class, msg, sentAt = "", "", "", at
	}
	return append(args, r.DeliveryID, string(r.Status), nullable(provider), nullable(code), nullable(class),
		nullable(msg), boolInt(r.CountFailure), sentAt, at, next, boolInt(r.Unclaimed))
}

// resultAt is when r happened, now when it does not say.
func resultAt(r Result, now int64) int64 {
	if at := ms(r.At); at != 0 {
		return at
	}
	return now
}

// firstResults drops the results of a delivery that has an earlier one in rs:
// written one after the other, the first leaves sending and the later ones
// find nothing to change, while one statement would apply any one of them.
func firstResults(rs []Result) []Result {
	seen := make(map[int64]bool, len(rs))
	out := make([]Result, 0, len(rs))
	for _, r := range rs {
		if !seen[r.DeliveryID] {
			seen[r.DeliveryID] = true
			out = append(out, r)
		}
	}
	return out
}

func anySuppression(rs []Result) bool {
	for _, r := range rs {
		if r.Suppress != nil {
			return true
		}
	}
	return false
}
