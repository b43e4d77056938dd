// Package importer reads supporters from CSV into a campaign, streaming: rows
// are validated like the upsert endpoint's bodies and stored in chunks.
package importer

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// Import limits.
const (
	chunkSize = 500  // rows per UpsertSupporters transaction
	maxErrors = 1000 // line errors kept in a report; the rest are only counted as skipped
)

// Options tunes an import.
type Options struct {
	// SMSConfirmByReply makes unconfirmed SMS subscriptions wait for a reply
	// YES (the campaign's setting).
	SMSConfirmByReply bool
	// Progress, if set, is called after each stored chunk, and once at the
	// end, with the number of data rows read so far.
	Progress func(rows int)
}

// Report is what an import did.
type Report struct {
	Created int         `json:"created"`
	Updated int         `json:"updated"`
	Skipped int         `json:"skipped"`
	Errors  []LineError `json:"errors"` // at most 1000
}

// LineError says why one line was skipped; Line counts from 1, the header included.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// HeaderError means the header row is missing or wrong; nothing was stored.
type HeaderError struct {
	Reason string
}

func (e *HeaderError) Error() string { return "csv header: " + e.Reason }

// Import upserts the supporters of a CSV stream into a campaign. The header
// row names the columns (see columnNames); lists (tags, channels) are
// separated by ';'. Rows that do not validate are reported and skipped; a
// header error (*HeaderError) stores nothing. On a read or store error the
// chunks stored so far stay stored, and the report says what they did. A
// record longer than MaxRecordBytes stops the import with a
// *RecordTooLargeError once the rows before it are stored; the report has its
// line error.
func Import(ctx context.Context, st *store.Store, campaignID int64, r io.Reader, opts Options) (Report, error) {
	lim := &recordLimiter{r: r, limit: MaxRecordBytes}
	cr := csv.NewReader(bufio.NewReader(lim)) // the reader's own buffer, over the limiter
	cr.FieldsPerRecord = -1                   // a short or long row is a line error, not the end
	cols, err := readHeader(cr)
	if err != nil {
		return Report{Errors: []LineError{}}, err
	}
	lim.next(cr.InputOffset())
	run := &run{st: st, campaignID: campaignID, opts: opts, cols: cols, report: Report{Errors: []LineError{}}}
	if err := run.rows(ctx, cr, lim); err != nil {
		return run.report, err
	}
	return run.report, nil
}

// run is one import in progress.
type run struct {
	st         *store.Store
	campaignID int64
	opts       Options
	cols       columns
	report     Report
	rowsRead   int
	lines      []int // line of each pending upsert
	pending    []store.SupporterUpsert
}

// rows reads, validates and stores every data row.
func (r *run) rows(ctx context.Context, cr *csv.Reader, lim *recordLimiter) error {
	for {
		rec, err := cr.Read()
		lim.next(cr.InputOffset())
		if errors.Is(err, io.EOF) {
			return r.finish(ctx)
		}
		if errors.Is(err, errRecordTooLarge) {
			return r.tooLarge(ctx, cr, rec)
		}
		var parse *csv.ParseError
		if errors.As(err, &parse) {
			r.rowsRead++
			r.skip(parse.StartLine, "malformed CSV: "+parse.Err.Error())
			continue
		}
		if err != nil {
			return fmt.Errorf("import: read after %d rows: %w", r.rowsRead, err)
		}
		r.rowsRead++
		line, _ := cr.FieldPos(0)
		r.row(line, rec)
		if len(r.pending) == chunkSize {
			if err := r.flush(ctx); err != nil {
				return err
			}
		}
	}
}

// tooLarge stores the rows read before a record too large, reports its line
// and stops the import.
func (r *run) tooLarge(ctx context.Context, cr *csv.Reader, partial []string) error {
	if err := r.flush(ctx); err != nil {
		return err
	}
	line := 0
	if len(partial) > 0 {
		line, _ = cr.FieldPos(0)
	}
	tooLarge := &RecordTooLargeError{Line: line, Limit: MaxRecordBytes}
	r.skip(line, fmt.Sprintf("is longer than %d bytes; the import stopped here, and nothing after it was read", MaxRecordBytes))
	r.progress()
	return tooLarge
}

// row validates one record and queues its upsert.
func (r *run) row(line int, rec []string) {
	if len(rec) != len(r.cols) {
		r.skip(line, fmt.Sprintf("has %d fields; the header has %d", len(rec), len(r.cols)))
		return
	}
	in, err := r.cols.input(rec)
	if err != nil {
		r.skip(line, err.Error())
		return
	}
	up, errs := in.Upsert(supporter.SourceImport)
	if len(errs) > 0 {
		r.skip(line, describe(errs))
		return
	}
	if r.opts.SMSConfirmByReply && !in.Confirmed {
		supporter.AwaitReply(&up)
	}
	r.lines = append(r.lines, line)
	r.pending = append(r.pending, up)
}

// flush stores the pending upserts in one transaction.
func (r *run) flush(ctx context.Context) error {
	if len(r.pending) == 0 {
		return nil
	}
	res, err := r.st.UpsertSupporters(ctx, r.campaignID, r.pending)
	if err != nil {
		return fmt.Errorf("import: store lines %d-%d: %w", r.lines[0], r.lines[len(r.lines)-1], err)
	}
	for i, res := range res {
		r.count(r.lines[i], res)
	}
	r.lines, r.pending = nil, nil
	r.progress()
	return nil
}

// finish stores the last chunk; either way, progress hears the final count once.
func (r *run) finish(ctx context.Context) error {
	if len(r.pending) > 0 {
		return r.flush(ctx)
	}
	r.progress()
	return nil
}

func (r *run) progress() {
	if r.opts.Progress != nil {
		r.opts.Progress(r.rowsRead)
	}
}

// count adds one stored row's outcome to the report.
func (r *run) count(line int, res store.UpsertResult) {
	switch {
	case errors.Is(res.Err, store.ErrConflict):
		r.skip(line, "the email and the phone belong to two different supporters")
	case res.Err != nil:
		r.skip(line, "could not be stored: "+res.Err.Error())
	case res.Created:
		r.report.Created++
	default:
		r.report.Updated++
	}
}

// skip counts a skipped line and keeps its error, up to maxErrors.
func (r *run) skip(line int, msg string) {
	r.report.Skipped++
	if len(r.report.Errors) < maxErrors {
		r.report.Errors = append(r.report.Errors, LineError{Line: line, Message: msg})
	}
}

// describe joins field errors into one message: "email: is empty; phone: ...".
func describe(errs []supporter.FieldError) string {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Field + ": " + e.Message
	}
	return strings.Join(parts, "; ")
}

// columnNames lists the columns an import understands, in their usual order.
func columnNames() []string {
	return []string{"email", "phone", "name", "locale", "country", "timezone", "tags",
		"channels", "confirmed", "consent_text", "consent_ip"}
}

// columns maps a column name to its index in a record.
type columns map[string]int

// readHeader reads and checks the header row.
func readHeader(cr *csv.Reader) (columns, error) {
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &HeaderError{Reason: "the file is empty; it needs a header row"}
	}
	var parse *csv.ParseError
	if errors.As(err, &parse) {
		return nil, &HeaderError{Reason: "malformed CSV: " + parse.Err.Error()}
	}
	if errors.Is(err, errRecordTooLarge) {
		return nil, &HeaderError{Reason: fmt.Sprintf("the header row is longer than %d bytes", MaxRecordBytes)}
	}
	if err != nil {
		return nil, fmt.Errorf("import: read header: %w", err)
	}
	return parseHeader(rec)
}

// parseHeader maps the header's names (any case, a UTF-8 BOM allowed) to their indexes.
func parseHeader(rec []string) (columns, error) {
	known := columnNames()
	cols := columns{}
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF")))
		if !slices.Contains(known, name) {
			return nil, &HeaderError{Reason: fmt.Sprintf("unknown column %q; the columns are %s", name, strings.Join(known, ", "))}
		}
		if _, dup := cols[name]; dup {
			return nil, &HeaderError{Reason: fmt.Sprintf("column %q appears twice", name)}
		}
		cols[name] = i
	}
	if _, ok := cols["email"]; !ok {
		if _, ok := cols["phone"]; !ok {
			return nil, &HeaderError{Reason: "there must be an email or a phone column"}
		}
	}
	return cols, nil
}

// input turns a record into the upsert endpoint's input.
func (c columns) input(rec []string) (supporter.Input, error) {
	get := func(name string) string {
		if i, ok := c[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	confirmed, err := parseBool(get("confirmed"))
	if err != nil {
		return supporter.Input{}, err
	}
	return supporter.Input{
		Email: get("email"), Phone: get("phone"), Name: get("name"), Locale: get("locale"),
		Country: get("country"), Timezone: get("timezone"),
		Tags: splitList(get("tags")), Channels: splitList(get("channels")),
		Consent:   supporter.Consent{Text: get("consent_text"), IP: get("consent_ip")},
		Confirmed: confirmed,
	}, nil
}

// parseBool reads the confirmed column: empty is false.
func parseBool(s string) (bool, error) {
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(strings.ToLower(s))
	if err != nil {
		return false, errors.New("confirmed: must be true or false")
	}
	return b, nil
}

// splitList splits a ';'-separated cell, dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ";") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
