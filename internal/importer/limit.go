package importer

import (
	"errors"
	"fmt"
	"io"
)

// MaxRecordBytes bounds one CSV record, and so each of its fields. encoding/csv
// holds a whole record in memory while it reads it, so without a bound one
// 90 MiB field took about 500 MB of the server's memory. The longest row a
// supporter needs is well under it: an address (254), a name and a consent text
// (2,200 characters), a hundred tags.
const MaxRecordBytes = 64 << 10

// RecordTooLargeError stops an import at a record longer than MaxRecordBytes:
// the rows before it are stored, nothing after it is read.
type RecordTooLargeError struct {
	Line  int // where the record starts
	Limit int
}

func (e *RecordTooLargeError) Error() string {
	return fmt.Sprintf("import: line %d: a CSV record is longer than %d bytes; the import stopped there", e.Line, e.Limit)
}

// errRecordTooLarge is what recordLimiter answers the CSV reader's buffer.
var errRecordTooLarge = errors.New("import: CSV record too large")

// recordLimiter sits under the CSV reader's buffer and gives it at most limit
// bytes past the start of the record being read, so that a record is refused
// while it is read, before the CSV reader holds more than limit of it.
type recordLimiter struct {
	r      io.Reader
	limit  int64
	pulled int64 // bytes handed to the buffer above
	start  int64 // input offset of the record being read
}

func (l *recordLimiter) Read(p []byte) (int, error) {
	room := l.start + l.limit - l.pulled
	if room <= 0 {
		return 0, errRecordTooLarge
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.pulled += int64(n)
	return n, err
}

// next says where the next record starts: the CSV reader's InputOffset once
// it has returned a record.
func (l *recordLimiter) next(offset int64) { l.start = offset }
