package api

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 255

// alertRequest is the body of POST /v1/campaigns/{slug}/alerts.
type alertRequest struct {
	Template  string                   `json:"template"`
	Content   map[string]store.Content `json:"content"`
	Data      map[string]any           `json:"data"`
	Audience  store.Audience           `json:"audience"`
	Channels  []string                 `json:"channels"`
	SendAt    string                   `json:"send_at"`
	ExpiresAt string                   `json:"expires_at"`
	Urgent    bool                     `json:"urgent"`
}

// createAlert stores an alert and schedules its fan-out: 202 with the new
// alert, or 200 with the first one when the campaign already has an alert with
// the request's Idempotency-Key.
func (s *server) createAlert(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	var req alertRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		return err
	}
	a, errs := req.validate(c, s.tpl, s.cfg.Now())
	key, err := idempotencyKey(r.Header)
	if err != nil {
		errs = append(errs, fieldError{Field: "Idempotency-Key", Message: err.Error()})
	}
	if len(errs) > 0 {
		return invalid(errs...)
	}
	a.IdempotencyKey = key
	a, created, err := s.st.CreateAlert(r.Context(), a)
	if err != nil {
		return fmt.Errorf("create alert: %w", err)
	}
	w.Header().Set("Location", "/v1/alerts/"+strconv.FormatInt(a.ID, 10))
	if !created {
		return s.replayAlert(w, r, a)
	}
	s.enqueueFanout(r.Context(), a)
	return respond(w, http.StatusAccepted, newAlertJSON(a, nil))
}

// replayAlert answers a repeated request with the alert the key first made.
func (s *server) replayAlert(w http.ResponseWriter, r *http.Request, a store.Alert) error {
	v, err := s.alertWithCounts(r.Context(), a)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, v)
}

// enqueueFanout schedules the alert's fan-out. The store is the truth: when
// Redis cannot take the task, the alert stays scheduled and the reconciler
// enqueues it later, so the client is still answered 202.
func (s *server) enqueueFanout(ctx context.Context, a store.Alert) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.EnqueueTimeout)
	defer cancel()
	if err := s.queue.EnqueueFanout(ctx, a.ID, a.SendAt); err != nil {
		s.log.WarnContext(ctx, "enqueue fan-out failed; the reconciler will re-drive the alert",
			"alert_id", a.ID, "err", err, "request_id", requestIDFrom(ctx))
	}
}

// idempotencyKey returns the request's Idempotency-Key, "" if none.
func idempotencyKey(h http.Header) (string, error) {
	vals := h.Values("Idempotency-Key")
	switch {
	case len(vals) == 0:
		return "", nil
	case len(vals) > 1:
		return "", errors.New("must be given once")
	}
	k := vals[0]
	if k == "" || len(k) > maxIdempotencyKey {
		return "", errors.New("must be 1 to 255 characters")
	}
	for _, c := range []byte(k) {
		if c < 0x20 || c > 0x7e {
			return "", errors.New("must be printable ASCII")
		}
	}
	return k, nil
}

// alertCheck validates one alert request, collecting field errors.
type alertCheck struct {
	campaign  store.Campaign
	templates templateCatalog
	now       time.Time
	errs      []fieldError
}

func (v *alertCheck) add(field, msg string) {
	v.errs = append(v.errs, fieldError{Field: field, Message: msg})
}

// validate checks req for campaign c at now and returns the alert to store.
func (req alertRequest) validate(c store.Campaign, tpl templateCatalog, now time.Time) (store.Alert, []fieldError) {
	v := &alertCheck{campaign: c, templates: tpl, now: now}
	a := store.Alert{CampaignID: c.ID, CampaignSlug: c.Slug, Data: req.Data, Urgent: req.Urgent}
	a.Channels = v.channels(req.Channels)
	a.Template, a.Content = v.body(req, a.Channels)
	a.SendAt, a.ExpiresAt = v.times(req.SendAt, req.ExpiresAt)
	a.Audience = v.audience(req.Audience)
	if len(v.errs) == 0 && a.Template != "" {
		v.renderable(a)
	}
	return a, v.errs
}

// renderable asks the templates whether the alert can be rendered on its
// channels for its audience's locales, so that a template without a channel
// or a locale fallback is refused now rather than failing at send time.
func (v *alertCheck) renderable(a store.Alert) {
	chs := make([]string, len(a.Channels))
	for i, ch := range a.Channels {
		chs[i] = string(ch)
	}
	err := v.templates.Check(render.Message{Template: a.Template, Data: a.Data}, chs, a.Audience.Locales, v.campaign.Locale)
	var fe *render.FieldError
	switch {
	case errors.As(err, &fe):
		v.add(fe.Field, fe.Message)
	case err != nil:
		v.add("template", err.Error())
	}
}

// channels checks the channels and that the campaign can send on each.
func (v *alertCheck) channels(in []string) []store.Channel {
	chs, err := supporter.Channels(in)
	if err != nil {
		v.add("channels", err.Error())
		return nil
	}
	c := v.campaign
	if slices.Contains(chs, store.ChannelEmail) && c.EmailFrom == "" {
		v.add("channels", "email needs the campaign's email.from, which is not set (PATCH /v1/campaigns/"+c.Slug+")")
	}
	if slices.Contains(chs, store.ChannelSMS) && c.SMSFrom == "" && c.SMSMessagingServiceSID == "" {
		v.add("channels", "sms needs the campaign's sms.from or sms.messaging_service_sid, which are not set (PATCH /v1/campaigns/"+c.Slug+")")
	}
	return chs
}

// body checks that exactly one of template and content is given.
func (v *alertCheck) body(req alertRequest, chs []store.Channel) (string, map[string]store.Content) {
	switch {
	case req.Template != "" && len(req.Content) > 0:
		v.add("content", "give a template or content, not both")
	case req.Template == "" && len(req.Content) == 0:
		v.add("template", "a template or content is required")
	case req.Template != "":
		if !v.templates.Has(req.Template) {
			v.add("template", fmt.Sprintf("there is no template %q; GET /v1/templates lists them", req.Template))
		}
		return req.Template, nil
	default:
		return "", v.content(req.Content, chs)
	}
	return "", nil
}

// content checks the inline variants: BCP 47 keys, the parts each channel
// needs, and a variant every supporter can fall back to (the campaign's locale).
func (v *alertCheck) content(in map[string]store.Content, chs []store.Channel) map[string]store.Content {
	out := make(map[string]store.Content, len(in))
	for _, key := range slices.Sorted(maps.Keys(in)) {
		loc, err := supporter.Locale(key)
		if err != nil || loc == "" {
			v.add("content."+key, "is not a BCP 47 language tag (such as es-AR)")
			continue
		}
		if _, dup := out[loc]; dup {
			v.add("content."+key, "repeats the locale "+loc)
			continue
		}
		v.parts(key, in[key], chs)
		out[loc] = in[key]
	}
	if fallback := v.campaign.Locale; !hasLocale(out, fallback) {
		v.add("content", "needs a variant for the campaign's locale "+fallback+", which supporters fall back to")
	}
	return out
}

// Limits of inline content. Gmail clips an email past about 100 KB; Twilio
// refuses an SMS body past 1,600 characters; a subject is one short line.
const (
	maxContentSubject = 300
	maxContentBody    = 100_000
	maxContentSMS     = 1600
)

// parts checks that a variant has what each channel sends, within its limits.
func (v *alertCheck) parts(key string, c store.Content, chs []store.Channel) {
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	for _, f := range []struct {
		name  string
		value string
		max   int
	}{{"subject", c.Subject, maxContentSubject}, {"body", c.Body, maxContentBody}, {"sms", c.SMS, maxContentSMS}} {
		if n := utf8.RuneCountInString(f.value); n > f.max {
			v.add("content."+key+"."+f.name, fmt.Sprintf("is %d characters, more than the %d allowed", n, f.max))
		}
	}
	if slices.Contains(chs, store.ChannelEmail) {
		if blank(c.Subject) {
			v.add("content."+key+".subject", "is required for email")
		}
		if blank(c.Body) {
			v.add("content."+key+".body", "is required for email")
		}
	}
	if slices.Contains(chs, store.ChannelSMS) && blank(c.SMS) {
		v.add("content."+key+".sms", "is required for sms")
	}
}

// hasLocale reports whether variants has locale, or its language alone ("pt" for "pt-BR").
func hasLocale(variants map[string]store.Content, locale string) bool {
	if _, ok := variants[locale]; ok {
		return true
	}
	tag, err := language.Parse(locale)
	if err != nil {
		return false
	}
	base, _ := tag.Base()
	_, ok := variants[base.String()]
	return ok
}

// times parses send_at (default now) and expires_at (optional, after both send_at and now).
func (v *alertCheck) times(sendAt, expiresAt string) (time.Time, time.Time) {
	send := v.now
	if sendAt != "" {
		t, err := time.Parse(time.RFC3339, sendAt)
		if err != nil {
			v.add("send_at", "must be an RFC 3339 time (such as 2026-11-22T10:00:00Z)")
		} else {
			send = t
		}
	}
	if expiresAt == "" {
		return send, time.Time{}
	}
	exp, err := time.Parse(time.RFC3339, expiresAt)
	switch {
	case err != nil:
		v.add("expires_at", "must be an RFC 3339 time (such as 2026-11-22T13:00:00Z)")
	case !exp.After(send):
		v.add("expires_at", "must be after send_at")
	case !exp.After(v.now):
		v.add("expires_at", "must be in the future")
	}
	return send, exp
}

// maxAudienceValues bounds each audience list, de-duplicated: enough for every
// country, and far below the store's limit on SQL variables.
const maxAudienceValues = 250

// audience checks and normalizes the audience filters: each list is
// de-duplicated, in its first order, and holds at most maxAudienceValues.
func (v *alertCheck) audience(in store.Audience) store.Audience {
	return store.Audience{
		Countries: v.audienceList("audience.countries", in.Countries, audienceCountry),
		Tags:      v.audienceList("audience.tags", in.Tags, audienceTag),
		Locales:   v.audienceList("audience.locales", in.Locales, audienceLocale),
	}
}

// audienceList normalizes the values of one audience list with norm, reporting
// the first bad value once rather than one error per value.
func (v *alertCheck) audienceList(field string, in []string, norm func(string) (string, error)) []string {
	var out []string
	seen := make(map[string]bool, min(len(in), maxAudienceValues))
	bad := 0
	for _, raw := range in {
		val, err := norm(raw)
		if err != nil {
			if bad++; bad == 1 {
				v.add(field, err.Error())
			}
			continue
		}
		if !seen[val] {
			seen[val] = true
			out = append(out, val)
		}
	}
	if len(out) > maxAudienceValues {
		v.add(field, fmt.Sprintf("has %d different values; at most %d are allowed", len(out), maxAudienceValues))
	}
	return out
}

func audienceCountry(s string) (string, error) {
	code, err := supporter.Country(s)
	if err != nil || code == "" {
		return "", fmt.Errorf("%s is not an ISO 3166-1 alpha-2 country code", quoteValue(s))
	}
	return code, nil
}

func audienceTag(s string) (string, error) {
	t, err := supporter.Tag(s)
	if err != nil {
		return "", fmt.Errorf("%s: %w", quoteValue(s), err)
	}
	return t, nil
}

func audienceLocale(s string) (string, error) {
	loc, err := supporter.Locale(s)
	if err != nil || loc == "" {
		return "", fmt.Errorf("%s is not a BCP 47 language tag", quoteValue(s))
	}
	return loc, nil
}

// quoteValue quotes a value of the request for an error message, cut short:
// the message must not echo a megabyte back.
func quoteValue(s string) string {
	const maxShown = 40
	if utf8.RuneCountInString(s) > maxShown {
		s = string([]rune(s)[:maxShown]) + "…"
	}
	return strconv.Quote(s)
}
