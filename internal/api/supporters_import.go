package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/importer"
)

// importSupporters upserts the supporters of a CSV body into the campaign and
// answers the import's report. Rows are stored in chunks as they are read, so
// a body cut short by the size limit keeps the chunks stored before it.
func (s *server) importSupporters(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := requireContentType(r, "text/csv"); err != nil {
		return err
	}
	if r.ContentLength > s.cfg.MaxImportBytes {
		return &http.MaxBytesError{Limit: s.cfg.MaxImportBytes}
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxImportBytes)
	rep, err := importer.Import(r.Context(), s.st, c.ID, body, importer.Options{SMSConfirmByReply: c.SMSConfirmByReply})
	var header *importer.HeaderError
	if errors.As(err, &header) {
		return invalid(fieldError{Field: "header", Message: header.Reason})
	}
	var tooLarge *importer.RecordTooLargeError
	if errors.As(err, &tooLarge) {
		return importStopped(w, tooLarge, rep)
	}
	if err != nil {
		return fmt.Errorf("import supporters: %w", err)
	}
	return respond(w, http.StatusOK, rep)
}

// importStoppedJSON is the problem of an import stopped at a record too large,
// with the report of the rows stored before it.
type importStoppedJSON struct {
	problem
	Report importer.Report `json:"report"`
}

// importStopped answers 413 for an import stopped at a record too large: the
// rows before it are stored, and the client needs to know which.
func importStopped(w http.ResponseWriter, e *importer.RecordTooLargeError, rep importer.Report) error {
	p := fail(http.StatusRequestEntityTooLarge, fmt.Sprintf(
		"line %d: a CSV record is longer than %d bytes; the rows before it were imported (see report) and nothing after it was read",
		e.Line, e.Limit))
	return writeJSON(w, p.Status, "application/problem+json", importStoppedJSON{problem: *p, Report: rep})
}
