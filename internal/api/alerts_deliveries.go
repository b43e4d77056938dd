package api

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// deliveryJSON is one delivery as the API shows it; zero times are left out.
type deliveryJSON struct {
	ID           int64                `json:"id"`
	SupporterID  int64                `json:"supporter_id"`
	Channel      store.Channel        `json:"channel"`
	Status       store.DeliveryStatus `json:"status"`
	Attempts     int                  `json:"attempts"`
	ProviderID   string               `json:"provider_id"`
	ErrorCode    string               `json:"error_code"`
	ErrorClass   string               `json:"error_class"`
	ErrorMessage string               `json:"error_message"`
	Ambiguous    bool                 `json:"ambiguous"`
	CreatedAt    time.Time            `json:"created_at,omitzero"`
	UpdatedAt    time.Time            `json:"updated_at,omitzero"`
	SentAt       time.Time            `json:"sent_at,omitzero"`
	DeliveredAt  time.Time            `json:"delivered_at,omitzero"`
	AlertID      int64                `json:"alert_id"`
}

func newDeliveryJSON(d store.Delivery) deliveryJSON {
	return deliveryJSON{
		ID: d.ID, SupporterID: d.SupporterID, Channel: d.Channel, Status: d.Status, Attempts: d.Attempts,
		ProviderID: d.ProviderID, ErrorCode: d.ErrorCode, ErrorClass: d.ErrorClass, ErrorMessage: d.ErrorMessage,
		Ambiguous: d.Ambiguous, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, SentAt: d.SentAt,
		DeliveredAt: d.DeliveredAt, AlertID: d.AlertID,
	}
}

// listDeliveries answers a page of an alert's deliveries, filtered by
// ?status= and ?channel=.
func (s *server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	a, err := s.alert(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, errs := deliveryFilter(q)
	p, pageErrs := pageParams(q)
	if errs = append(errs, pageErrs...); len(errs) > 0 {
		return invalid(errs...)
	}
	ds, next, err := s.st.ListDeliveries(r.Context(), a.ID, f, p)
	if err != nil {
		return fmt.Errorf("list deliveries: %w", err)
	}
	return respond(w, http.StatusOK, newList(mapSlice(ds, newDeliveryJSON), next))
}

// deliveryFilter reads and checks the filters of a delivery listing.
func deliveryFilter(q url.Values) (store.DeliveryFilter, []fieldError) {
	var errs []fieldError
	f := store.DeliveryFilter{
		Status:  store.DeliveryStatus(q.Get("status")),
		Channel: store.Channel(q.Get("channel")),
	}
	switch f.Status {
	case "", store.DeliveryQueued, store.DeliverySending, store.DeliverySent, store.DeliveryDelivered,
		store.DeliveryFailed, store.DeliverySuppressed, store.DeliveryExpired, store.DeliveryCancelled:
	default:
		errs = append(errs, fieldError{Field: "status",
			Message: "must be queued, sending, sent, delivered, failed, suppressed, expired or cancelled"})
	}
	if f.Channel != "" && !f.Channel.Valid() {
		errs = append(errs, fieldError{Field: "channel", Message: "must be email or sms"})
	}
	return f, errs
}
