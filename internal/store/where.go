package store

import (
	"slices"
	"strings"
)

// where builds the conditions of a query and their arguments, in order.
type where struct {
	conds []string
	args  []any
}

// and adds a condition with its arguments.
func (w *where) and(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "column IN (...)" for values; no values adds nothing.
func (w *where) in(column string, values []string) {
	if len(values) == 0 {
		return
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	w.and(column+" IN ("+placeholders(len(values))+")", args...)
}

// sql returns the conditions joined with AND.
func (w *where) sql() string {
	return strings.Join(w.conds, " AND ")
}

// clone returns a copy that can grow without touching w.
func (w *where) clone() where {
	return where{conds: slices.Clone(w.conds), args: slices.Clone(w.args)}
}
