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
	if err != nil {
		return fmt.Errorf("import supporters: %w", err)
	}
	return respond(w, http.StatusOK, rep)
}
