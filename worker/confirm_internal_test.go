package worker

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
	"github.com/muster-org/muster/templates"
)

// answeringMail answers every email with err, as a provider whose answer
// was classified so (internal/mail classifies the real SMTP replies).
type answeringMail struct {
	err   error
	calls int
}

func (a *answeringMail) Send(context.Context, mail.Message) (string, error) {
	a.calls++
	return "id", a.err
}

// answeringSMS answers every text with err (internal/sms classifies Twilio's).
type answeringSMS struct {
	err   error
	calls int
}

func (a *answeringSMS) Send(context.Context, sms.Message) (string, error) {
	a.calls++
	return "SM1", a.err
}

// spentLimiter answers as the shared limiter does when other processes have
// spent the rate for wait (0 permits); with wait 0, it grants every permit.
type spentLimiter struct {
	wait    time.Duration
	granted int
}

func (l *spentLimiter) Take(_ context.Context, _ string, n int) (int, time.Duration, error) {
	if l.wait > 0 {
		return 0, l.wait, nil
	}
	l.granted += n
	return n, 0, nil
}

// confirmEnv is a Confirmer on a real store, with one campaign and a
// supporter whose one subscription waits for its confirmation.
type confirmEnv struct {
	t    *testing.T
	st   *store.Store
	h    *Confirmer
	mail *answeringMail
	sms  *answeringSMS
	lim  *spentLimiter
	sup  store.Supporter
	camp store.Campaign
	ch   store.Channel
}

func newConfirmEnv(t *testing.T, ch store.Channel, mailErr, smsErr error, wait time.Duration) *confirmEnv {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(templates.FS())
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := token.NewSigner([]byte("0123456789abcdef0123456789abcdef-test"))
	if err != nil {
		t.Fatal(err)
	}
	camp, err := st.CreateCampaign(ctx, store.Campaign{Slug: "c", Name: "C", Locale: "en", Timezone: "UTC",
		EmailFrom: "C <alerts@example.org>", SMSFrom: "+15005550006"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.UpsertSupporters(ctx, camp.ID, []store.SupporterUpsert{{
		Supporter:     store.Supporter{Email: "ana@example.org", Phone: "+447400123456", Locale: "en"},
		Subscriptions: []store.SubscriptionInput{{Channel: ch, Status: store.SubPending, Source: "api", ConsentText: "yes"}},
	}})
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	e := &confirmEnv{t: t, st: st, mail: &answeringMail{err: mailErr}, sms: &answeringSMS{err: smsErr},
		lim: &spentLimiter{wait: wait}, sup: res[0].Supporter, camp: camp, ch: ch}
	e.h = &Confirmer{st: st, render: r, email: e.mail, sms: e.sms, limit: e.lim, tokens: tokens,
		set: Settings{BaseURL: "https://muster.example.org", RateLimitWait: time.Minute},
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return e
}

// run runs the confirmation task once.
func (e *confirmEnv) run() error {
	b, err := json.Marshal(ConfirmPayload{SupporterID: e.sup.ID, CampaignID: e.camp.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.h.ProcessTask(e.t.Context(), asynq.NewTask(TypeConfirm, b))
}

// calls is how many messages went to the providers.
func (e *confirmEnv) calls() int { return e.mail.calls + e.sms.calls }

// unsent reports whether the subscription's confirmation is still to send.
func (e *confirmEnv) unsent() bool {
	e.t.Helper()
	left, err := e.st.UnsentConfirmations(e.t.Context(), time.Now().Add(time.Hour), 10)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(left) == 1
}

func (e *confirmEnv) sub() store.Subscription {
	e.t.Helper()
	sub, err := e.st.Subscription(e.t.Context(), e.sup.ID, e.camp.ID, e.ch)
	if err != nil {
		e.t.Fatal(err)
	}
	return sub
}

// TestConfirmerFailures: what a confirmation does with each kind of failure.
// It is suppressed only on the provider's verdict on the contact, never sent
// twice when it may have gone, and retried (its claim given back) only when
// a retry can help.
func TestConfirmerFailures(t *testing.T) {
	email, text := store.ChannelEmail, store.ChannelSMS
	tests := []struct {
		name string
		ch   store.Channel
		err  *failure.Error
		// want: the task's error is a failure asynq retries; the claim is
		// given back; the subscription after; the contact suppressed.
		wantRetry, wantUnsent bool
		wantSub               store.SubscriptionStatus
		wantReason            string
		wantSuppressed        bool
	}{
		{name: "sent", ch: email, wantSub: store.SubPending},
		{name: "ambiguous email: kept, not sent again", ch: email,
			err: &failure.Error{Class: failure.Ambiguous, Code: "data", Err: errors.New("reply lost")}, wantSub: store.SubPending},
		{name: "ambiguous text: kept, not sent again", ch: text,
			err: &failure.Error{Class: failure.Ambiguous, Code: "timeout", Err: errors.New("no answer")}, wantSub: store.SubPending},
		{name: "recipient with a verdict: suppressed", ch: email,
			err:     &failure.Error{Class: failure.Recipient, Code: "550 5.1.1", Suppress: true, Err: errors.New("no such user")},
			wantSub: store.SubSuppressed, wantReason: "confirmation refused", wantSuppressed: true},
		{name: "recipient without a verdict: this message fails, nothing more", ch: email,
			err: &failure.Error{Class: failure.Recipient, Code: "550", Err: errors.New("refused")}, wantSub: store.SubPending},
		{name: "carrier stop: stopped as by its STOP", ch: text,
			err:     &failure.Error{Class: failure.Recipient, Code: "21610", Unsubscribe: true, Suppress: true, Err: errors.New("unsubscribed")},
			wantSub: store.SubUnsubscribed, wantReason: store.ReasonCarrierStop},
		{name: "transient: given back and retried", ch: email,
			err:       &failure.Error{Class: failure.Transient, Code: "421", Err: errors.New("try later")},
			wantRetry: true, wantUnsent: true, wantSub: store.SubPending},
		{name: "rate limited: given back, waits without failing", ch: text,
			err:        &failure.Error{Class: failure.RateLimited, Code: "20429", RetryAfter: 3 * time.Second, Err: errors.New("slow down")},
			wantUnsent: true, wantSub: store.SubPending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.err != nil {
				err = tt.err
			}
			e := newConfirmEnv(t, tt.ch, err, err, 0)
			got := e.run()
			if e.calls() != 1 || e.lim.granted != 1 {
				t.Fatalf("%d messages sent for %d permits, want 1 for 1", e.calls(), e.lim.granted)
			}
			if retried := got != nil && !errors.Is(got, asynq.SkipRetry) && isFailure(got); retried != tt.wantRetry {
				t.Errorf("task error %v: retried as a failure %v, want %v", got, retried, tt.wantRetry)
			}
			if unsent := e.unsent(); unsent != tt.wantUnsent {
				t.Errorf("claim given back = %v, want %v", unsent, tt.wantUnsent)
			}
			if sub := e.sub(); sub.Status != tt.wantSub || sub.Reason != tt.wantReason {
				t.Errorf("subscription %s (%q), want %s (%q)", sub.Status, sub.Reason, tt.wantSub, tt.wantReason)
			}
			contact := e.sup.Email
			if tt.ch == text {
				contact = e.sup.Phone
			}
			if ok, _ := e.st.Suppressed(t.Context(), tt.ch, contact); ok != tt.wantSuppressed {
				t.Errorf("suppressed = %v, want %v", ok, tt.wantSuppressed)
			}
			if tt.err != nil && tt.err.Class == failure.RateLimited {
				if r, ok := errors.AsType[*retryLater](got); !ok || r.after != 3*time.Second {
					t.Errorf("task error %v, want a wait of the provider's 3s", got)
				}
			}
			e.mail.err, e.sms.err = nil, nil
			_ = e.run() // what asynq's retry, or the reconciler's re-drive, does
			if want := map[bool]int{true: 2, false: 1}[tt.wantUnsent]; e.calls() != want {
				t.Errorf("after running again: %d messages, want %d", e.calls(), want)
			}
		})
	}
}

// TestConfirmerWaitsForPermits: when the shared rate is spent for longer
// than a wait in place, the confirmation is not sent, its claim is given
// back, and the task asks asynq to run again later without counting a
// failure.
func TestConfirmerWaitsForPermits(t *testing.T) {
	for _, ch := range []store.Channel{store.ChannelEmail, store.ChannelSMS} {
		t.Run(string(ch), func(t *testing.T) {
			e := newConfirmEnv(t, ch, nil, nil, 5*time.Second)
			err := e.run()
			r, ok := errors.AsType[*retryLater](err)
			if !ok || r.after != 5*time.Second || isFailure(err) {
				t.Fatalf("task error %v; want to run again in 5s, not counted as a failure", err)
			}
			if e.calls() != 0 || !e.unsent() {
				t.Errorf("%d messages sent, claim given back %v; want none sent and the claim back", e.calls(), e.unsent())
			}
			e.lim.wait = 0
			if err := e.run(); err != nil || e.calls() != 1 || e.lim.granted != 1 {
				t.Errorf("once permits are due: %v, %d messages for %d permits; want 1 for 1", err, e.calls(), e.lim.granted)
			}
		})
	}
}
