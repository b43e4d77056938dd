package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// twilioStatus takes a Twilio status callback: a sent SMS was delivered, or
// could not be. Unknown messages, repeated and late callbacks are answered 204
// and change nothing, so Twilio never retries them.
func (s *server) twilioStatus(w http.ResponseWriter, r *http.Request) error {
	form, err := s.twilioForm(w, r)
	if err != nil {
		return err
	}
	rc := receiptOf(form.Get("MessageStatus"), form.Get("ErrorCode"), s.cfg.Now())
	if rc.Status == "" || form.Get("MessageSid") == "" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	rc.ProviderID = form.Get("MessageSid")
	d, changed, err := s.st.RecordReceipt(r.Context(), rc)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// A test copy, or a message of an erased alert: nothing to record.
	case err != nil:
		return err
	case changed && rc.Status == store.DeliveryFailed:
		s.log.WarnContext(r.Context(), "sms not delivered", "delivery_id", d.ID, "alert_id", d.AlertID,
			"code", rc.ErrorCode, "class", rc.ErrorClass, "request_id", requestIDFrom(r.Context()))
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// receiptOf reads a MessageStatus and ErrorCode: delivered, or undelivered
// and failed with their error classified. 30005 and 30006 (the number is
// unknown, or a landline) suppress the number; 30003 (the handset is switched
// off or out of coverage, which Twilio says is often temporary) fails this
// message only; 30007 (carrier filtering) flags the campaign's SMS
// configuration. Other statuses (queued, sending, sent...) record nothing.
func receiptOf(status, code string, now time.Time) store.Receipt {
	r := store.Receipt{ErrorCode: code, At: now}
	switch status {
	case "delivered", "read":
		r.Status = store.DeliveryDelivered
		return r
	case "undelivered", "failed":
		r.Status = store.DeliveryFailed
	default:
		return store.Receipt{}
	}
	switch code {
	case "30005", "30006":
		r.ErrorClass, r.Suppress = "recipient", true
		r.ErrorMessage = "the carrier reports the number unknown or a landline"
	case "30003":
		r.ErrorClass = "transient"
		r.ErrorMessage = "the carrier could not reach the handset (switched off or out of coverage)"
	case "30007":
		r.ErrorClass = "config"
		r.ErrorMessage = "the carrier filtered the message"
		r.Warning = "30007: carriers filtered SMS of this campaign at " + now.UTC().Format(time.RFC3339) +
			"; check its sender registration (10DLC, toll-free verification) and content"
	default:
		r.ErrorClass = "transient"
		r.ErrorMessage = "the carrier did not deliver the message"
	}
	return r
}
