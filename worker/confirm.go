package worker

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/compose"
	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/keyword"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// TypeConfirm sends the confirmations a supporter's pending subscriptions to a
// campaign wait for: the double opt-in email, and the SMS that asks for a
// reply YES.
const TypeConfirm = "consent:confirm"

// errNoSender means a confirmation cannot go out: no sender or no address.
var errNoSender = errors.New("no email.from or no address")

// defaultConfirmTTL is how long a double opt-in link works when
// Settings.ConfirmTTL is not set.
const defaultConfirmTTL = 7 * 24 * time.Hour

// confirmMaxRetry bounds the retries of a confirmation; the reconciler sends
// again one whose task was lost, not one that kept failing.
const confirmMaxRetry = 10

// ConfirmPayload is the payload of a TypeConfirm task: ids only.
type ConfirmPayload struct {
	SupporterID int64 `json:"supporter_id"`
	CampaignID  int64 `json:"campaign_id"`
}

// EnqueueConfirmation asks the workers to send the double opt-in email of the
// supporter's pending email subscription to the campaign. Asked twice within
// a minute, it sends once.
func (q *Queue) EnqueueConfirmation(ctx context.Context, supporterID, campaignID int64) error {
	return q.enqueueConfirmation(ctx, supporterID, campaignID, ":"+strconv.FormatInt(time.Now().Unix()/60, 10))
}

func (q *Queue) enqueueConfirmation(ctx context.Context, supporterID, campaignID int64, suffix string) error {
	b, err := json.Marshal(ConfirmPayload{SupporterID: supporterID, CampaignID: campaignID})
	if err != nil {
		return fmt.Errorf("encode confirm payload: %w", err)
	}
	id := "confirm:" + strconv.FormatInt(supporterID, 10) + ":" + strconv.FormatInt(campaignID, 10) + suffix
	return q.enqueue(ctx, asynq.NewTask(TypeConfirm, b), asynq.Queue(QueueEmail), asynq.TaskID(id),
		asynq.MaxRetry(confirmMaxRetry), asynq.Timeout(time.Minute), asynq.Retention(taskRetention))
}

// Confirmer handles TypeConfirm tasks: in the supporter's language, it sends
// the double opt-in email with a signed link that expires after
// Settings.ConfirmTTL, and the SMS that asks for a reply YES; each is claimed
// in the store before it goes, so that it goes once, and each takes a permit
// of its provider's rate, shared with the alerts.
type Confirmer struct {
	st     *store.Store
	render renderer
	email  emailSender
	sms    smsSender
	limit  limiter
	tokens *token.Signer
	set    Settings
	log    *slog.Logger
}

// ProcessTask implements asynq.Handler: it sends the confirmation of each of
// the supporter's subscriptions to the campaign that waits for one.
func (h *Confirmer) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p ConfirmPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.SupporterID == 0 || p.CampaignID == 0 {
		return fmt.Errorf("confirm: bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	sup, err := h.st.SupporterByID(ctx, p.SupporterID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("confirm: %w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return fmt.Errorf("confirm: load supporter: %w", err)
	}
	camp, err := h.st.CampaignByID(ctx, p.CampaignID)
	if err != nil {
		return fmt.Errorf("confirm: load campaign: %w", err)
	}
	var errs []error
	for _, sub := range sup.Subscriptions {
		if sub.CampaignID == camp.ID && sub.Status == store.SubPending {
			errs = append(errs, h.confirm(ctx, sup, camp, sub.Channel))
		}
	}
	return errors.Join(errs...)
}

// confirm claims one subscription's confirmation, takes a permit and sends
// it: the email with its link, or the SMS that asks for a reply YES.
func (h *Confirmer) confirm(ctx context.Context, sup store.Supporter, camp store.Campaign, ch store.Channel) error {
	won, err := h.st.ClaimConfirmation(ctx, sup.ID, camp.ID, ch, h.set.now())
	if err != nil || !won {
		return err // another task sends it, or sent it, or the number may not be texted
	}
	if err := h.permit(ctx, ch); err != nil {
		return h.release(ctx, sup, camp, ch, err)
	}
	send := h.send
	if ch == store.ChannelSMS {
		send = h.ask
	}
	return h.settle(ctx, sup, camp, ch, send(ctx, sup, camp))
}

// permit takes one permit of ch's provider rate (MUSTER_EMAIL_RATE,
// MUSTER_SMS_RATE) from the limiter every worker process shares. A short
// wait happens in place; a longer one is a retryLater, which asynq does not
// count as a failure.
func (h *Confirmer) permit(ctx context.Context, ch store.Channel) error {
	for {
		n, wait, err := h.limit.Take(ctx, string(ch), 1)
		switch {
		case err != nil:
			return fmt.Errorf("confirm: %w", err)
		case n > 0:
			return nil
		case wait > maxInlineWait:
			return &retryLater{after: wait, rateLimited: true}
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("confirm: wait for a permit: %w", err)
		}
	}
}

// settle acts on the outcome of a send. The claim is kept when the message
// went, may have gone (failure.Ambiguous: sending again could make a second
// copy), or cannot go to this recipient; it is given back for a retry
// otherwise. The contact is suppressed only on the provider's verdict on it
// (failure.Error.Suppress), and a number the carrier says texted STOP
// (Unsubscribe, Twilio 21610) is stopped as its own STOP would.
func (h *Confirmer) settle(ctx context.Context, sup store.Supporter, camp store.Campaign, ch store.Channel, err error) error {
	var fe *failure.Error
	errors.As(err, &fe)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errNoSender):
		return err // keep the claim: re-driving cannot help until the campaign has a sender
	case failure.ClassOf(err) == failure.Ambiguous:
		h.log.WarnContext(ctx, "confirmation may have gone; not sent again", "campaign", camp.Slug,
			"supporter_id", sup.ID, "channel", ch, "error", err)
		return nil
	case failure.ClassOf(err) == failure.Recipient:
		if serr := h.refused(ctx, sup, ch, fe); serr != nil {
			return serr
		}
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	case failure.ClassOf(err) == failure.RateLimited:
		wait := cmp.Or(fe.RetryAfter, h.set.RateLimitWait)
		return h.release(ctx, sup, camp, ch, &retryLater{after: wait, rateLimited: true})
	}
	return h.release(ctx, sup, camp, ch, err)
}

// refused records a recipient's refusal of a confirmation: a carrier stop, a
// verdict on the address or number, or nothing beyond this message's failure.
func (h *Confirmer) refused(ctx context.Context, sup store.Supporter, ch store.Channel, fe *failure.Error) error {
	now := h.set.now()
	switch {
	case fe == nil:
		return nil
	case fe.Unsubscribe && ch == store.ChannelSMS:
		if _, _, err := h.st.StopPhone(ctx, sup.Phone, store.ReasonCarrierStop, now); err != nil {
			return fmt.Errorf("confirm: stop phone: %w", err)
		}
	case fe.Suppress:
		contact := sup.Email
		if ch == store.ChannelSMS {
			contact = sup.Phone
		}
		if _, err := h.st.SuppressContact(ctx, ch, contact, "confirmation refused", now); err != nil {
			return fmt.Errorf("confirm: suppress: %w", err)
		}
	}
	return nil
}

// release gives the claim back, so that a retry (asynq's, or the
// reconciler's) sends the confirmation, and returns err.
func (h *Confirmer) release(ctx context.Context, sup store.Supporter, camp store.Campaign, ch store.Channel, err error) error {
	if rerr := h.st.ReleaseConfirmation(context.WithoutCancel(ctx), sup.ID, camp.ID, ch); rerr != nil {
		return errors.Join(err, fmt.Errorf("confirm: %w", rerr))
	}
	return err
}

// ask texts the question of SMS double opt-in; the reply YES comes back
// through the inbound webhook (store.OptInPhone).
func (h *Confirmer) ask(ctx context.Context, sup store.Supporter, camp store.Campaign) error {
	if sup.Phone == "" || (camp.SMSFrom == "" && camp.SMSMessagingServiceSID == "") {
		return fmt.Errorf("confirm sms: campaign %s: %w: %w", camp.Slug, errNoSender, asynq.SkipRetry)
	}
	_, err := h.sms.Send(ctx, sms.Message{
		ID: fmt.Sprintf("confirm-s%d-c%d-%d", sup.ID, camp.ID, h.set.now().Unix()), To: sup.Phone,
		From: camp.SMSFrom, MessagingServiceSID: camp.SMSMessagingServiceSID,
		Body: keyword.Ask(sup.Locale, camp.Name), StatusCallback: h.set.BaseURL + "/webhooks/twilio/status",
	})
	if err != nil {
		return fmt.Errorf("confirm sms: send: %w", err)
	}
	return nil
}

// send renders and sends the confirmation email; a campaign without a sender
// cannot send.
func (h *Confirmer) send(ctx context.Context, sup store.Supporter, camp store.Campaign) error {
	if camp.EmailFrom == "" || sup.Email == "" {
		h.log.Warn("confirmation not sent: no sender or no address", "campaign", camp.Slug, "supporter_id", sup.ID)
		return fmt.Errorf("confirm: campaign %s: %w: %w", camp.Slug, errNoSender, asynq.SkipRetry)
	}
	now := h.set.now()
	link := h.set.BaseURL + "/confirm/" + h.tokens.Confirm(sup.ID, camp.ID, now, cmp.Or(h.set.ConfirmTTL, defaultConfirmTTL))
	e, err := h.render.System("_confirm", map[string]any{"confirm_url": link}, compose.Campaign(camp),
		render.Person{Name: sup.Name, Locale: sup.Locale, Timezone: sup.Timezone})
	if err != nil {
		return fmt.Errorf("confirm: render: %w: %w", err, asynq.SkipRetry)
	}
	domain := compose.Domain(camp.EmailFrom)
	_, err = h.email.Send(ctx, mail.Message{
		From: camp.EmailFrom, ReplyTo: camp.EmailReplyTo, To: sup.Email, ToName: sup.Name,
		Subject: e.Subject, Text: e.Text, HTML: e.HTML, Date: now,
		MessageID: fmt.Sprintf("muster.confirm.s%d.c%d.%d@%s", sup.ID, camp.ID, now.Unix(), domain),
	})
	if err != nil {
		return fmt.Errorf("confirm: send: %w", err)
	}
	return nil
}
