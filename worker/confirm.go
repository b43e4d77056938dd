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
// in the store before it goes, so that it goes once.
type Confirmer struct {
	st     *store.Store
	render renderer
	email  emailSender
	sms    smsSender
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

// confirm claims one subscription's confirmation and sends it: the email
// with its link, or the SMS that asks for a reply YES.
func (h *Confirmer) confirm(ctx context.Context, sup store.Supporter, camp store.Campaign, ch store.Channel) error {
	won, err := h.st.ClaimConfirmation(ctx, sup.ID, camp.ID, ch, h.set.now())
	if err != nil || !won {
		return err // another task sends it, or sent it
	}
	send := h.send
	if ch == store.ChannelSMS {
		send = h.ask
	}
	if err := send(ctx, sup, camp); err != nil {
		if errors.Is(err, errNoSender) {
			return err // keep the claim: re-driving cannot help until the campaign has a sender
		}
		if rerr := h.st.ReleaseConfirmation(context.WithoutCancel(ctx), sup.ID, camp.ID, ch); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// ask texts the question of SMS double opt-in; the reply YES comes back
// through the inbound webhook (store.OptInPhone).
func (h *Confirmer) ask(ctx context.Context, sup store.Supporter, camp store.Campaign) error {
	if sup.Phone == "" || (camp.SMSFrom == "" && camp.SMSMessagingServiceSID == "") {
		return fmt.Errorf("confirm sms: campaign %s: %w: %w", camp.Slug, errNoSender, asynq.SkipRetry)
	}
	now := h.set.now()
	_, err := h.sms.Send(ctx, sms.Message{
		ID: fmt.Sprintf("confirm-s%d-c%d-%d", sup.ID, camp.ID, now.Unix()), To: sup.Phone,
		From: camp.SMSFrom, MessagingServiceSID: camp.SMSMessagingServiceSID,
		Body: keyword.Ask(sup.Locale, camp.Name), StatusCallback: h.set.BaseURL + "/webhooks/twilio/status",
	})
	if failure.ClassOf(err) == failure.Recipient {
		if _, serr := h.st.SuppressContact(ctx, store.ChannelSMS, sup.Phone, "confirmation refused", now); serr != nil {
			return fmt.Errorf("confirm sms: suppress: %w", serr)
		}
		return fmt.Errorf("confirm sms: %w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return fmt.Errorf("confirm sms: send: %w", err)
	}
	return nil
}

// send renders and sends the confirmation. An address the server refuses is
// suppressed and not tried again; a campaign without a sender cannot send.
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
	if failure.ClassOf(err) == failure.Recipient {
		if _, serr := h.st.SuppressContact(ctx, store.ChannelEmail, sup.Email, "confirmation refused", now); serr != nil {
			return fmt.Errorf("confirm: suppress: %w", serr)
		}
		return fmt.Errorf("confirm: %w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return fmt.Errorf("confirm: send: %w", err)
	}
	return nil
}
