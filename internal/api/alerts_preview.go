package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/forecast"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/worker"
)

// previewRequest is the body of POST /v1/campaigns/{slug}/alerts/preview: an
// alert as POST .../alerts takes it, a supporter to render it for instead of a
// sample, and where to send a test copy.
type previewRequest struct {
	alertRequest
	SupporterID int64   `json:"supporter_id"`
	SendTo      *sendTo `json:"send_to"`
}

type sendTo struct {
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// previewJSON is the preview's answer.
type previewJSON struct {
	Audience   audienceJSON      `json:"audience"`
	Messages   []messageJSON     `json:"messages"`
	Forecast   forecast.Result   `json:"forecast"`
	TestCopies []worker.TestCopy `json:"test_copies"`
}

// previewAlert renders an alert as each part of its audience would receive it,
// counts that audience, forecasts when the last message goes out, and sends a
// test copy when asked; it stores and enqueues nothing.
func (s *server) previewAlert(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.campaign(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	var req previewRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		return err
	}
	now := s.cfg.Now()
	a, errs := req.validate(c, s.tpl, now)
	a.CreatedAt = now
	errs = append(errs, req.checkSendTo(a.Channels, s.cfg.Tester != nil)...)
	if len(errs) > 0 {
		return invalid(errs...)
	}
	p, err := s.previewFor(ctx, c, a, req.SupporterID, now)
	if err != nil {
		return err
	}
	if req.SendTo != nil {
		person := sampleFor(c, p.sampleLocale(c), "")
		if p.person != nil {
			person = *p.person
		}
		if p.out.TestCopies, err = s.cfg.Tester.Send(ctx, a, c, person, req.SendTo.Email, req.SendTo.Phone); err != nil {
			return fmt.Errorf("send test copies: %w", err)
		}
	}
	return respond(w, http.StatusOK, p.out)
}

// previewFor builds the preview of a for the whole audience, or for one supporter.
func (s *server) previewFor(ctx context.Context, c store.Campaign, a store.Alert, supporterID int64, now time.Time) (*preview, error) {
	groups, err := s.st.AudienceBreakdown(ctx, c.ID, a.Audience, a.Channels)
	if err != nil {
		return nil, fmt.Errorf("audience breakdown: %w", err)
	}
	p := &preview{s: s, c: c, a: a, now: now, out: previewJSON{Messages: []messageJSON{}, TestCopies: []worker.TestCopy{}}}
	if supporterID != 0 {
		sup, err := s.st.SupporterByID(ctx, supporterID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, invalid(fieldError{Field: "supporter_id", Message: fmt.Sprintf("there is no supporter %d", supporterID)})
		}
		if err != nil {
			return nil, fmt.Errorf("load supporter: %w", err)
		}
		person := render.Person{Name: sup.Name, Locale: sup.Locale, Timezone: sup.Timezone}
		p.person = &person
	}
	if err := p.build(groups); err != nil {
		return nil, err
	}
	return p, nil
}

// checkSendTo checks where test copies go: a valid address on a channel of
// the alert.
func (req *previewRequest) checkSendTo(chs []store.Channel, canSend bool) []fieldError {
	to := req.SendTo
	if to == nil {
		return nil
	}
	var errs []fieldError
	add := func(field, msg string) { errs = append(errs, fieldError{Field: field, Message: msg}) }
	switch {
	case !canSend:
		add("send_to", "this server does not send test copies")
	case to.Email == "" && to.Phone == "":
		add("send_to", "give an email, a phone, or both")
	}
	if to.Email != "" {
		e, err := contact.NormalizeEmail(to.Email)
		switch {
		case err != nil:
			add("send_to.email", "is not an email address")
		case !slices.Contains(chs, store.ChannelEmail):
			add("send_to.email", "the alert has no email channel")
		}
		to.Email = e
	}
	if to.Phone != "" {
		ph, err := contact.NormalizePhone(to.Phone, "")
		switch {
		case err != nil:
			add("send_to.phone", "is not a phone number in E.164 (such as +447700900123)")
		case !slices.Contains(chs, store.ChannelSMS):
			add("send_to.phone", "the alert has no sms channel")
		}
		to.Phone = ph
	}
	return errs
}
