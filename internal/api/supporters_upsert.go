package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// askConfirmation asks the workers for the confirmations of the supporter's
// pending subscriptions to the campaign (the double opt-in email, the SMS that
// asks for a reply YES). A
// failure is only logged: the reconciler sends unsent confirmations.
func (s *server) askConfirmation(ctx context.Context, sup store.Supporter, campaignID int64) {
	for _, sub := range sup.Subscriptions {
		if sub.CampaignID != campaignID || sub.Status != store.SubPending {
			continue
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.EnqueueTimeout)
		err := s.queue.EnqueueConfirmation(ctx, sup.ID, campaignID)
		cancel()
		if err != nil {
			s.log.WarnContext(ctx, "enqueue confirmation failed; the reconciler will send it", "supporter_id", sup.ID,
				"err", err, "request_id", requestIDFrom(ctx))
		}
		return // one task confirms every channel
	}
}

// upsertSupporter creates or updates a supporter (matched by email, else
// phone) and subscribes them to the campaign: 201 new, 200 existing.
func (s *server) upsertSupporter(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	var in supporter.Input
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	up, errs := in.Upsert(supporter.SourceAPI)
	if len(errs) > 0 {
		return invalid(errs...)
	}
	if c.SMSConfirmByReply && !in.Confirmed {
		supporter.AwaitReply(&up)
	}
	res, err := s.st.UpsertSupporters(r.Context(), c.ID, []store.SupporterUpsert{up})
	if err == nil && len(res) != 1 {
		err = fmt.Errorf("%d results for one supporter", len(res))
	}
	if err == nil {
		err = res[0].Err
	}
	if errors.Is(err, store.ErrConflict) {
		return fail(http.StatusConflict, "the email and the phone belong to two different supporters")
	}
	if err != nil {
		return fmt.Errorf("upsert supporter: %w", err)
	}
	s.askConfirmation(r.Context(), res[0].Supporter, c.ID)
	status := http.StatusOK
	if res[0].Created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/v1/supporters/"+strconv.FormatInt(res[0].Supporter.ID, 10))
	return respond(w, status, newSupporterJSON(res[0].Supporter))
}
