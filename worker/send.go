package worker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/store"
)

// codeRender marks a message that could not be rendered for its supporter.
const codeRender = "render"

// errNoContact means the supporter has no address for the channel any more.
var errNoContact = errors.New("no address for this channel")

// sendAll sends the claimed messages, a bounded number at a time, and returns
// one result per claim, in order.
func (d *Deliverer) sendAll(ctx context.Context, j *job, claims []store.Claim) []store.Result {
	results := make([]store.Result, len(claims))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(d.parallel(j.batch.Channel), len(claims)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = d.deliverOne(ctx, j, claims[i])
			}
		}()
	}
	for i := range claims {
		work <- i
	}
	close(work)
	wg.Wait()
	return results
}

func (d *Deliverer) parallel(ch store.Channel) int {
	if ch == store.ChannelSMS {
		return max(d.set.SMSParallel, 1)
	}
	return max(d.set.EmailParallel, 1)
}

// deliverOne sends one claimed message and says what became of it.
func (d *Deliverer) deliverOne(ctx context.Context, j *job, c store.Claim) store.Result {
	now := d.now()
	r := store.Result{DeliveryID: c.Delivery.ID, At: now}
	switch {
	case c.SubscriptionStatus != store.SubActive:
		r.Status, r.ErrorMessage = store.DeliverySuppressed, "not subscribed any more"
		return r
	case j.alert.Expired(now):
		r.Status, r.ErrorMessage = store.DeliveryExpired, "alert expired before it was sent"
		return r
	}
	if h, ok := d.held(j, c, now); ok {
		return h
	}
	id, err := d.send(ctx, j, c)
	r.At = d.now()
	switch {
	case err == nil:
		r.Status, r.ProviderID = store.DeliverySent, id
	case errors.Is(err, errNoContact):
		r.Status, r.ErrorMessage = store.DeliverySuppressed, err.Error()
	case ctx.Err() != nil:
		// Stopped before the provider answered (shutdown): not the provider's
		// fault, so the message goes back to the queue without spending a retry.
		r.Status, r.NextAttemptAt, r.ErrorMessage = store.DeliveryQueued, r.At, "interrupted: "+err.Error()
	default:
		d.failed(&r, j, c, err)
	}
	return r
}

func (d *Deliverer) send(ctx context.Context, j *job, c store.Claim) (string, error) {
	p := render.Person{Name: c.Supporter.Name, Locale: c.Supporter.Locale, Timezone: c.Supporter.Timezone}
	if j.batch.Channel == store.ChannelSMS {
		return d.sendSMS(ctx, j, c, p)
	}
	return d.sendEmail(ctx, j, c, p)
}

func (d *Deliverer) sendEmail(ctx context.Context, j *job, c store.Claim, p render.Person) (string, error) {
	if c.Supporter.Email == "" {
		return "", errNoContact
	}
	if j.prep == nil {
		return "", failure.New(failure.Config, codeRender, j.prepErr)
	}
	p.UnsubscribeURL = d.unsubscribeURL(j, c.Supporter)
	e, err := j.prep.Email(p)
	if err != nil {
		return "", failure.New(failure.Config, codeRender, err)
	}
	m := emailMessage(j, e, c.Supporter, messageID(j, c), d.now())
	if p.UnsubscribeURL != "" {
		m.ListUnsubscribe = []string{p.UnsubscribeURL}
	}
	return d.email.Send(ctx, m)
}

// unsubscribeURL is the supporter's signed link that ends their email
// subscription to the alert's campaign: shown in the footer, and given as
// List-Unsubscribe (with List-Unsubscribe-Post, RFC 8058, when the base URL is
// https) so that mail clients offer one-click unsubscribe.
func (d *Deliverer) unsubscribeURL(j *job, s store.Supporter) string {
	if d.tokens == nil {
		return ""
	}
	return d.set.BaseURL + "/unsubscribe/" + d.tokens.Unsubscribe(s.ID, j.campaign.ID, string(store.ChannelEmail), d.now())
}

// emailMessage is the email of a rendered message to supporter s.
func emailMessage(j *job, e render.Email, s store.Supporter, id string, at time.Time) mail.Message {
	return mail.Message{
		From: j.campaign.EmailFrom, ReplyTo: j.campaign.EmailReplyTo,
		To: s.Email, ToName: s.Name,
		Subject: e.Subject, Text: e.Text, HTML: e.HTML,
		MessageID: id, Date: at, Calendar: j.calendar,
		Headers: map[string]string{"X-Muster-Alert": strconv.FormatInt(j.alert.ID, 10)},
	}
}

func (d *Deliverer) sendSMS(ctx context.Context, j *job, c store.Claim, p render.Person) (string, error) {
	if c.Supporter.Phone == "" {
		return "", errNoContact
	}
	if j.prep == nil {
		return "", failure.New(failure.Config, codeRender, j.prepErr)
	}
	s, err := j.prep.SMS(p)
	if err != nil {
		return "", failure.New(failure.Config, codeRender, err)
	}
	id := fmt.Sprintf("a%d-d%d", j.alert.ID, c.Delivery.ID)
	return d.sms.Send(ctx, d.smsMessage(j, s, c.Supporter.Phone, id))
}

// smsMessage is the text message of a rendered SMS to phone.
func (d *Deliverer) smsMessage(j *job, s render.SMS, phone, id string) sms.Message {
	m := sms.Message{
		ID: id, To: phone,
		From: j.campaign.SMSFrom, MessagingServiceSID: j.campaign.SMSMessagingServiceSID,
		Body: s.Body, StatusCallback: d.set.BaseURL + "/webhooks/twilio/status",
	}
	if !j.alert.ExpiresAt.IsZero() {
		// Twilio's queue drops the message too once the alert is over.
		m.ValidityPeriod = j.alert.ExpiresAt.Sub(d.now())
	}
	return m
}

// messageID is the same for every attempt of one delivery, so a receiving
// server or mail client can tell a re-sent message from a new one.
func messageID(j *job, c store.Claim) string {
	return fmt.Sprintf("muster.a%d.d%d@%s", j.alert.ID, c.Delivery.ID, j.domain)
}

// failed turns a classified provider error into the delivery's next step.
func (d *Deliverer) failed(r *store.Result, j *job, c store.Claim, err error) {
	class := failure.ClassOf(err)
	var fe *failure.Error
	if errors.As(err, &fe) {
		r.ErrorCode = fe.Code
	}
	r.ErrorClass, r.ErrorMessage = string(class), truncate(err.Error(), 500)
	switch class {
	case failure.RateLimited:
		wait := d.set.RateLimitWait
		if fe != nil && fe.RetryAfter > 0 {
			wait = fe.RetryAfter
		}
		d.retryAt(r, j, r.At.Add(wait))
	case failure.Recipient:
		r.Status = store.DeliveryFailed
		r.Suppress = &store.Suppression{SupporterID: c.Supporter.ID, Channel: j.batch.Channel,
			Status: store.SubSuppressed, Reason: r.ErrorCode}
		if fe != nil && fe.Unsubscribe {
			r.Suppress.Status = store.SubUnsubscribed
		}
	case failure.Config:
		r.Status = store.DeliveryFailed
	default:
		r.CountFailure = true
		if c.Delivery.Failures+1 > d.set.RetryBudget {
			r.Status = store.DeliveryFailed
			return
		}
		d.retryAt(r, j, r.At.Add(d.set.backoff(c.Delivery.Failures+1)))
	}
}

// retryAt queues the message again for at, or ends it as expired when at is
// past the alert's expiry.
func (d *Deliverer) retryAt(r *store.Result, j *job, at time.Time) {
	if !j.alert.ExpiresAt.IsZero() && !at.Before(j.alert.ExpiresAt) {
		r.Status = store.DeliveryExpired
		return
	}
	r.Status, r.NextAttemptAt = store.DeliveryQueued, at
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
