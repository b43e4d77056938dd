package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/bounce"
	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/store"
)

// bounceJSON says what a bounce message did.
type bounceJSON struct {
	Kind       bounce.Kind `json:"kind"` // hard, soft, complaint, or none (not a report)
	Suppressed []string    `json:"suppressed"`
	MessageID  string      `json:"message_id,omitempty"`
}

// createBounce takes a bounce or complaint as the raw message an MTA received
// (a DSN, RFC 3464, or an ARF report, RFC 5965): a hard bounce or a complaint
// suppresses the address on every campaign; a soft bounce, and anything that
// is not a report (an out-of-office reply), changes nothing and is answered
// 200 too, so that a mail pipe never retries it. The body is bounded like
// every request's (1 MiB); a report naming more than bounce.MaxRecipients
// recipients is refused whole (422), and the suppressions of one report are
// written in one transaction.
func (s *server) createBounce(w http.ResponseWriter, r *http.Request) error {
	limit := min(s.cfg.MaxBodyBytes, bounce.MaxSize)
	if r.ContentLength > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	rep, err := bounce.Parse(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, bounce.ErrNotReport):
		return respond(w, http.StatusOK, bounceJSON{Kind: "none", Suppressed: []string{}})
	case errors.As(err, &tooBig), errors.Is(err, bounce.ErrTooLarge):
		return &http.MaxBytesError{Limit: limit}
	case errors.Is(err, bounce.ErrTooManyRecipients):
		return invalid(fieldError{Field: "recipients", Message: fmt.Sprintf(
			"the report names more than %d recipients; a report about one message names a few, so nothing was suppressed",
			bounce.MaxRecipients)})
	case err != nil:
		return fmt.Errorf("read bounce: %w", err)
	}
	list := suppressions(rep)
	if _, err := s.st.SuppressContacts(r.Context(), store.ChannelEmail, list, s.cfg.Now()); err != nil {
		return fmt.Errorf("suppress: %w", err)
	}
	out := bounceJSON{Kind: rep.Kind, Suppressed: make([]string, 0, len(list)), MessageID: rep.MessageID}
	for _, sup := range list {
		out.Suppressed = append(out.Suppressed, contact.MaskEmail(sup.Contact))
	}
	return respond(w, http.StatusOK, out)
}

// suppressions lists the addresses a report condemns, normalized: its hard
// bounces and complaints.
func suppressions(rep bounce.Report) []store.ContactSuppression {
	var list []store.ContactSuppression
	for _, rc := range rep.Recipients {
		if rc.Kind != bounce.Hard && rc.Kind != bounce.Complaint {
			continue
		}
		addr, err := contact.NormalizeEmail(rc.Address)
		if err != nil {
			continue
		}
		reason := "complaint"
		if rc.Kind == bounce.Hard {
			reason = "bounce " + rc.Status
		}
		list = append(list, store.ContactSuppression{Contact: addr, Reason: reason})
	}
	return list
}
