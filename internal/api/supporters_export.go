package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
)

// exportJSON is everything held about one supporter (GDPR access).
type exportJSON struct {
	Supporter  supporterJSON  `json:"supporter"`
	Deliveries []deliveryJSON `json:"deliveries"`
}

// exportSupporter answers everything held about a supporter: their profile,
// subscriptions with consent evidence on every campaign, and every message
// sent or meant for them.
func (s *server) exportSupporter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "supporter")
	if err != nil {
		return err
	}
	exp, err := s.st.ExportSupporter(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return fail(http.StatusNotFound, fmt.Sprintf("no supporter %d", id))
	}
	if err != nil {
		return fmt.Errorf("export supporter: %w", err)
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="supporter-%d.json"`, id))
	return respond(w, http.StatusOK, exportJSON{
		Supporter:  newSupporterJSON(exp.Supporter),
		Deliveries: mapSlice(exp.Deliveries, newDeliveryJSON),
	})
}
