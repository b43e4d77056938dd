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
// 200 too, so that a mail pipe never retries it.
func (s *server) createBounce(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, bounce.MaxSize)
	rep, err := bounce.Parse(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, bounce.ErrNotReport):
		return respond(w, http.StatusOK, bounceJSON{Kind: "none", Suppressed: []string{}})
	case errors.As(err, &tooBig), errors.Is(err, bounce.ErrTooLarge):
		return fail(http.StatusRequestEntityTooLarge, "a bounce message is at most 10 MiB")
	case err != nil:
		return fmt.Errorf("read bounce: %w", err)
	}
	out := bounceJSON{Kind: rep.Kind, Suppressed: []string{}, MessageID: rep.MessageID}
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
		if _, err := s.st.SuppressContact(r.Context(), store.ChannelEmail, addr, reason, s.cfg.Now()); err != nil {
			return fmt.Errorf("suppress: %w", err)
		}
		out.Suppressed = append(out.Suppressed, contact.MaskEmail(addr))
	}
	return respond(w, http.StatusOK, out)
}
