package web

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// enqueueTimeout bounds the wait on the queue for a confirmation; past it, the
// workers' reconciler sends the confirmation later.
const enqueueTimeout = 2 * time.Second

// saveJoin subscribes a visitor from a campaign's join form. Whether they
// were new, already subscribed, or a bot that filled the honeypot, the answer
// is the same page, so that the form never tells who is subscribed.
func (s *server) saveJoin(w http.ResponseWriter, r *http.Request) error {
	ip := clientIP(r)
	if err := s.allow(r.Context(), ip); err != nil {
		return err
	}
	c, err := s.campaign(r)
	if err != nil {
		return err
	}
	f, err := readForm(w, r)
	if err != nil {
		return err
	}
	l := s.language(r.URL.Query().Get("lang"), f.Locale, r.Header.Get("Accept-Language"), c.Locale)
	if f.Website != "" {
		s.log.InfoContext(r.Context(), "join form honeypot filled; nothing stored", "campaign", c.Slug)
		return s.renderJoined(w, l, c, f)
	}
	consent, err := consentLabel(l, c)
	if err != nil {
		return err
	}
	j, errs := validate(f, l, consent, evidence(ip))
	if len(errs) > 0 {
		return s.renderJoin(w, http.StatusUnprocessableEntity, l, c, f, errs)
	}
	if err := s.subscribe(r.Context(), c, j); err != nil {
		return err
	}
	return s.renderJoined(w, l, c, f)
}

// allow spends one of the client's join posts, or answers 429. When the
// throttle cannot be asked (Redis down), the post goes through: joining
// matters more than throttling for a while.
func (s *server) allow(ctx context.Context, ip netip.Addr) error {
	ok, err := s.throttle.Allow(ctx, throttleKey(ip))
	if err != nil {
		s.log.WarnContext(ctx, "join throttle unavailable; post let through", "error", err)
		return nil
	}
	if !ok {
		return &pageError{status: http.StatusTooManyRequests, page: pageTooMany}
	}
	return nil
}

// subscribe stores the join (store.Join: it never changes or takes over
// anyone's record or subscription, and lifts no stop) and asks for the
// confirmations it leaves to send: the double opt-in email, the text that
// asks for a reply YES. Whatever the campaign's sms.confirm_by_reply says,
// a number typed into the form waits for its own YES: anyone can type
// anyone's number. See docs/decisions.md.
func (s *server) subscribe(ctx context.Context, c store.Campaign, j store.Join) error {
	res, err := s.st.Join(ctx, c.ID, j)
	if err != nil {
		return fmt.Errorf("join %s: %w", c.Slug, err)
	}
	for _, id := range res.Confirm {
		s.requestConfirmation(ctx, c, id)
	}
	return nil
}

// requestConfirmation asks the workers for the confirmations of the
// supporter's pending subscriptions to c; one task confirms every channel.
// A failure loses nothing: the subscription is stored, and the workers'
// reconciler sends confirmations that were never sent.
func (s *server) requestConfirmation(ctx context.Context, c store.Campaign, supporterID int64) {
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), enqueueTimeout)
	defer cancel()
	if err := s.confirm.EnqueueConfirmation(ectx, supporterID, c.ID); err != nil {
		s.log.WarnContext(ctx, "confirmation not enqueued; the reconciler will send it",
			"campaign", c.Slug, "supporter_id", supporterID, "error", err)
	}
}

// renderJoined writes the page that follows a join: check your inbox for
// email, reply YES to our text for SMS (or text START, for a number that
// had stopped us). It depends only on the channels ticked, never on what is
// stored, so that it tells nobody who is subscribed or stopped.
func (s *server) renderJoined(w http.ResponseWriter, l *lang, c store.Campaign, f form) error {
	return s.render(w, http.StatusOK, "joined", view{
		L: l, Campaign: c.Name, Slug: c.Slug,
		Email: f.Has(store.ChannelEmail), SMS: f.Has(store.ChannelSMS), SMSNumber: c.SMSFrom,
	})
}
