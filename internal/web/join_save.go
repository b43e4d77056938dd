package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
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
	up, errs := validate(f, l, consent, evidence(ip))
	if len(errs) > 0 {
		return s.renderJoin(w, http.StatusUnprocessableEntity, l, c, f, errs)
	}
	if err := s.subscribe(r.Context(), c, up); err != nil {
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

// subscribe stores the supporter and their subscriptions, and asks for the
// confirmation of a pending email subscription. Every subscription is marked
// as the person's own doing (ByPerson): a person who had left comes back,
// pending again for email; see docs/decisions.md.
func (s *server) subscribe(ctx context.Context, c store.Campaign, up store.SupporterUpsert) error {
	for i := range up.Subscriptions {
		up.Subscriptions[i].ByPerson = true
	}
	if c.SMSConfirmByReply {
		supporter.AwaitReply(&up)
	}
	res, err := s.st.UpsertSupporters(ctx, c.ID, []store.SupporterUpsert{up})
	if err == nil && len(res) != 1 {
		err = fmt.Errorf("%d results for one supporter", len(res))
	}
	if err == nil {
		err = res[0].Err
	}
	if errors.Is(err, store.ErrConflict) {
		s.log.InfoContext(ctx, "join: the email and the phone belong to two supporters; nothing stored",
			"campaign", c.Slug, "email", contact.MaskEmail(up.Supporter.Email), "phone", contact.MaskPhone(up.Supporter.Phone))
		return nil
	}
	if err != nil {
		return fmt.Errorf("join %s: %w", c.Slug, err)
	}
	s.requestConfirmation(ctx, c, res[0].Supporter)
	return nil
}

// requestConfirmation asks the workers for the confirmations of the
// supporter's pending subscriptions to c (the double opt-in email, the SMS
// that asks for a reply YES). A failure loses nothing: the
// subscription is stored, and the workers' reconciler sends confirmations
// that were never sent.
func (s *server) requestConfirmation(ctx context.Context, c store.Campaign, sup store.Supporter) {
	for _, sub := range sup.Subscriptions {
		if sub.CampaignID != c.ID || sub.Status != store.SubPending {
			continue
		}
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), enqueueTimeout)
		err := s.confirm.EnqueueConfirmation(ectx, sup.ID, c.ID)
		cancel()
		if err != nil {
			s.log.WarnContext(ctx, "confirmation not enqueued; the reconciler will send it",
				"campaign", c.Slug, "supporter_id", sup.ID, "error", err)
		}
		return // one task confirms every channel
	}
}

// renderJoined writes the page that follows a join: check your inbox for
// email, expect our texts for SMS.
func (s *server) renderJoined(w http.ResponseWriter, l *lang, c store.Campaign, f form) error {
	return s.render(w, http.StatusOK, "joined", view{
		L: l, Campaign: c.Name, Slug: c.Slug,
		Email: f.Has(store.ChannelEmail), SMS: f.Has(store.ChannelSMS), SMSNumber: c.SMSFrom,
		SMSReply: c.SMSConfirmByReply,
	})
}
