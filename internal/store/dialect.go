package store

// dialect is what differs between the databases the store speaks to. The SQL
// itself is shared: ? placeholders, ON CONFLICT, RETURNING, no vendor functions.
type dialect struct {
	name string
	// migrations is the directory of the embedded migrations of this dialect.
	migrations string
	// bind rewrites the ? placeholders of a query into the dialect's own ($1... for PostgreSQL).
	bind func(query string) string
	// isUnique reports whether err is a unique constraint violation.
	isUnique func(err error) bool
}
