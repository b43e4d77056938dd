package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// join joins sup's contacts to the campaign as the public page does, and
// returns what is left to confirm.
func (e *env) join(campaignID int64, sup store.Supporter, chs ...store.Channel) store.JoinResult {
	e.t.Helper()
	res, err := e.s.Join(e.ctx, campaignID, store.Join{Supporter: sup, Channels: chs,
		ConsentText: "I agree", ConsentIP: "203.0.113.9"})
	if err != nil {
		e.t.Fatalf("Join: %v", err)
	}
	return res
}

// carrierStop records the failure of an SMS to sup as Twilio's 21610: the
// worker ends the number's subscriptions with that code as their reason.
func (e *env) carrierStop(campaignID int64, sup store.Supporter) {
	e.t.Helper()
	e.upsert(campaignID, store.SupporterUpsert{Supporter: store.Supporter{Phone: sup.Phone, Tags: []string{"stopped"}}})
	a := e.alert(store.Alert{CampaignID: campaignID, Template: "t", Channels: []store.Channel{store.ChannelSMS},
		Audience: store.Audience{Tags: []string{"stopped"}}})
	for _, b := range e.fanout(a.ID, 1000) {
		for _, c := range e.claim(b, 1000, at(0), time.Time{}) {
			e.record(store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliveryFailed, At: at(0),
				ErrorClass: "recipient", ErrorCode: store.ReasonCarrierStop,
				Suppress: &store.Suppression{SupporterID: c.Supporter.ID, Channel: store.ChannelSMS,
					Status: store.SubUnsubscribed, Reason: store.ReasonCarrierStop}})
		}
	}
}

// subState is a subscription's status and reason.
type subState struct {
	Status store.SubscriptionStatus
	Reason string
}

func (e *env) state(sup store.Supporter, c store.Campaign, ch store.Channel) subState {
	e.t.Helper()
	st, reason := e.subStatus(sup, c, ch)
	return subState{st, reason}
}

// testJoinStartsPending: everything typed into the form waits for its
// confirmation, SMS as email.
func testJoinStartsPending(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	typed := person(1).Supporter
	res := e.join(c.ID, typed, store.ChannelEmail, store.ChannelSMS)
	if len(res.Confirm) != 1 {
		t.Fatalf("Join asks to confirm %v, want the new supporter", res.Confirm)
	}
	sup, err := e.s.SupporterByID(e.ctx, res.Confirm[0])
	if err != nil || sup.Email != typed.Email || sup.Phone != typed.Phone || sup.Name != typed.Name {
		t.Fatalf("new supporter %+v, %v", sup, err)
	}
	for _, ch := range []store.Channel{store.ChannelEmail, store.ChannelSMS} {
		if got := e.state(sup, c, ch); got != (subState{store.SubPending, ""}) {
			t.Errorf("%s: %+v, want pending", ch, got)
		}
	}
	if won, err := e.s.ClaimConfirmation(e.ctx, sup.ID, c.ID, store.ChannelSMS, at(0)); err != nil || !won {
		t.Errorf("the question to a new number was not claimed: %v, %v", won, err)
	}
	// A contact typed for a channel not asked for is not stored.
	other := person(2).Supporter
	res = e.join(c.ID, other, store.ChannelEmail)
	if got, _ := e.s.SupporterByID(e.ctx, res.Confirm[0]); got.Phone != "" {
		t.Errorf("a number typed without SMS ticked was stored: %q", got.Phone)
	}
}

// testJoinHeldNumber: a number a STOP (its own, a carrier's) or the
// suppression list holds back is not texted and keeps its stop whatever the
// form says; its new subscriptions wait, and its START lifts them with the
// stop.
func testJoinHeldNumber(t *testing.T, open Opener) {
	sms := store.ChannelSMS
	tests := []struct {
		name string
		// stop holds the number of person 1 back; it returns the
		// supporter (zero when the number was not known) and the state of
		// their subscription to c1 after.
		stop func(e *env, c1 store.Campaign) (store.Supporter, subState)
	}{
		{"STOP", func(e *env, c1 store.Campaign) (store.Supporter, subState) {
			sup := e.upsert(c1.ID, person(1, active(sms)))[0]
			if _, _, err := e.s.OptOutPhone(e.ctx, sup.Phone, at(0)); err != nil {
				e.t.Fatal(err)
			}
			return sup, subState{store.SubUnsubscribed, store.ReasonSMSStop}
		}},
		{"carrier stop (21610)", func(e *env, c1 store.Campaign) (store.Supporter, subState) {
			sup := e.upsert(c1.ID, person(1, active(sms)))[0]
			e.carrierStop(c1.ID, sup)
			return sup, subState{store.SubUnsubscribed, store.ReasonCarrierStop}
		}},
		{"STOP of an unknown number", func(e *env, _ store.Campaign) (store.Supporter, subState) {
			if _, _, err := e.s.OptOutPhone(e.ctx, person(1).Supporter.Phone, at(0)); err != nil {
				e.t.Fatal(err)
			}
			return store.Supporter{}, subState{}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, open)
			c1, c2 := e.campaign("c1"), e.campaign("c2")
			sup, ended := tt.stop(e, c1)
			typed := person(1).Supporter
			typed.Email = ""
			if res := e.join(c1.ID, typed, sms); len(res.Confirm) != 0 {
				t.Errorf("Join asks to text a stopped number: %v", res.Confirm)
			}
			if res := e.join(c2.ID, typed, sms); len(res.Confirm) != 0 {
				t.Errorf("Join asks to text a stopped number: %v", res.Confirm)
			}
			if sup.ID == 0 {
				got, err := e.s.SupporterByPhone(e.ctx, typed.Phone)
				if err != nil {
					t.Fatal(err)
				}
				sup = got
				if ok, _ := e.s.Suppressed(e.ctx, sms, typed.Phone); !ok {
					t.Error("Join lifted the number's suppression")
				}
			} else if got := e.state(sup, c1, sms); got != ended {
				t.Errorf("c1 after the form: %+v, want %+v", got, ended)
			}
			for _, c := range []store.Campaign{c1, c2} {
				if got := e.state(sup, c, sms); got.Status == store.SubActive || got.Reason == "" {
					t.Errorf("%s after the form: %+v, want held", c.Slug, got)
				}
				if won, err := e.s.ClaimConfirmation(e.ctx, sup.ID, c.ID, sms, at(0)); err != nil || won {
					t.Errorf("%s: the question to a stopped number was claimed: %v, %v", c.Slug, won, err)
				}
			}
			again := person(1, active(sms))
			again.Supporter.Email = ""
			e.upsert(c2.ID, again)
			if got := e.state(sup, c2, sms); got.Status != store.SubPending {
				t.Errorf("an organizer's upsert made a held subscription %+v", got)
			}
			if _, _, err := e.s.OptInPhone(e.ctx, typed.Phone, at(time.Hour)); err != nil {
				t.Fatal(err)
			}
			for _, c := range []store.Campaign{c1, c2} {
				if got := e.state(sup, c, sms); got.Status != store.SubActive {
					t.Errorf("%s after START: %+v, want active", c.Slug, got)
				}
			}
		})
	}
}

// testJoinEmailStanding: an address that unsubscribed, or whose erased
// supporter had, is back only through its confirmation link, which lifts its
// suppression; one that bounced or complained gets nothing.
func testJoinEmailStanding(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	email := store.ChannelEmail
	sups := e.upsert(c.ID, person(1, active(email)), person(2, active(email)), person(3, active(email)))
	left, bounced, erased := sups[0], sups[1], sups[2]
	if _, err := e.s.Unsubscribe(e.ctx, left.ID, c.ID, email, "unsubscribe_link", at(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.SuppressContact(e.ctx, email, bounced.Email, "bounce 5.1.1", at(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.Unsubscribe(e.ctx, erased.ID, c.ID, email, "unsubscribe_link", at(0)); err != nil {
		t.Fatal(err)
	}
	if err := e.s.EraseSupporter(e.ctx, erased.ID, at(0)); err != nil {
		t.Fatal(err)
	}
	if res := e.join(c.ID, bounced, email); len(res.Confirm) != 0 {
		t.Errorf("Join asks to confirm a bounced address: %v", res.Confirm)
	}
	if got := e.state(bounced, c, email); got != (subState{store.SubSuppressed, "bounce 5.1.1"}) {
		t.Errorf("bounced after the form: %+v", got)
	}
	if res := e.join(c.ID, left, email); len(res.Confirm) != 1 {
		t.Errorf("Join asks to confirm %v, want the address that had left", res.Confirm)
	}
	if got := e.state(left, c, email); got != (subState{store.SubPending, "unsubscribe_link"}) {
		t.Errorf("left after the form: %+v, want pending, still marked as left", got)
	}
	back := e.join(c.ID, erased, email)
	if len(back.Confirm) != 1 {
		t.Fatalf("Join asks to confirm %v, want the erased address's new supporter", back.Confirm)
	}
	if ok, _ := e.s.Suppressed(e.ctx, email, erased.Email); !ok {
		t.Error("Join lifted an erased address's suppression")
	}
	e.upsert(c.ID, person(1, active(email)), person(3, active(email)))
	if got := e.state(left, c, email); got.Status != store.SubPending {
		t.Errorf("an organizer's upsert made a subscription its person had ended %s", got.Status)
	}
	returned := store.Supporter{ID: back.Confirm[0]}
	for _, sup := range []store.Supporter{left, returned} {
		sub, err := e.s.ConfirmSubscription(e.ctx, sup.ID, c.ID, email, at(time.Hour))
		if err != nil || sub.Status != store.SubActive || sub.Reason != "" {
			t.Errorf("the link of supporter %d: %+v, %v; want active", sup.ID, sub, err)
		}
	}
	if ok, _ := e.s.Suppressed(e.ctx, email, erased.Email); ok {
		t.Error("the confirmation link did not lift the address's suppression")
	}
}

// testJoinContacts: a contact someone holds is never attached to anyone
// else, nor their record changed; what is new gets its own supporter.
func testJoinContacts(t *testing.T, open Opener) {
	email, sms := store.ChannelEmail, store.ChannelSMS
	type contacts struct{ Email, Phone string }
	newEmail, newPhone := "new@example.org", "+447700900999"
	tests := []struct {
		name         string
		typed        contacts
		want         []contacts // every supporter, in id order
		wantConfirms []contacts
	}{
		{"both new", contacts{newEmail, newPhone},
			[]contacts{{"p1@example.org", ""}, {"", "+447700900002"}, {newEmail, newPhone}},
			[]contacts{{newEmail, newPhone}}},
		{"new email, phone of another", contacts{newEmail, "+447700900002"},
			[]contacts{{"p1@example.org", ""}, {"", "+447700900002"}, {newEmail, ""}},
			[]contacts{{newEmail, ""}}},
		{"email of one, new phone", contacts{"p1@example.org", newPhone},
			[]contacts{{"p1@example.org", ""}, {"", "+447700900002"}, {"", newPhone}},
			[]contacts{{"", newPhone}}},
		{"email of one, phone of another", contacts{"p1@example.org", "+447700900002"},
			[]contacts{{"p1@example.org", ""}, {"", "+447700900002"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, open)
			c := e.campaign("c")
			one, two := person(1, active(email)), person(2, active(sms))
			one.Supporter.Phone, two.Supporter.Email = "", ""
			before := e.upsert(c.ID, one, two)
			typed := store.Supporter{Email: tt.typed.Email, Phone: tt.typed.Phone, Name: "Typed", Locale: "fr"}
			res := e.join(c.ID, typed, email, sms)
			var confirms []contacts
			for _, id := range res.Confirm {
				sup, err := e.s.SupporterByID(e.ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				confirms = append(confirms, contacts{sup.Email, sup.Phone})
			}
			if diff := cmp.Diff(tt.wantConfirms, confirms); diff != "" {
				t.Errorf("confirmations (-want +got):\n%s", diff)
			}
			all, _, err := e.s.ListSupporters(e.ctx, c.ID, store.SupporterFilter{}, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			var got []contacts
			for _, s := range all {
				got = append(got, contacts{s.Email, s.Phone})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("supporters (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, all[:2], ignoreClock()); diff != "" {
				t.Errorf("the join changed someone's record (-before +after):\n%s", diff)
			}
		})
	}
}

// testUpsertHeldContact: an organizer's upsert never lifts a stop: a new
// subscription of a number a STOP ended elsewhere starts ended too (and its
// START brings it), one of an address suppressed elsewhere starts suppressed.
func testUpsertHeldContact(t *testing.T, open Opener) {
	e := newEnv(t, open)
	email, sms := store.ChannelEmail, store.ChannelSMS
	c1, c2 := e.campaign("c1"), e.campaign("c2")
	sups := e.upsert(c1.ID, person(1, active(sms)), person(2, active(sms)), person(3, active(email)))
	stopped, carrier, bounced := sups[0], sups[1], sups[2]
	if _, _, err := e.s.OptOutPhone(e.ctx, stopped.Phone, at(0)); err != nil {
		t.Fatal(err)
	}
	e.carrierStop(c1.ID, carrier)
	e.suppressDelivery(c1.ID, bounced)
	e.upsert(c2.ID, person(1, active(sms)), person(2, active(sms)), person(3, active(email)))
	want := map[int64]subState{
		stopped.ID: {store.SubUnsubscribed, store.ReasonSMSStop},
		carrier.ID: {store.SubUnsubscribed, store.ReasonCarrierStop},
		bounced.ID: {store.SubSuppressed, "550 5.1.1"},
	}
	chs := map[int64]store.Channel{stopped.ID: sms, carrier.ID: sms, bounced.ID: email}
	for _, sup := range []store.Supporter{stopped, carrier, bounced} {
		if got := e.state(sup, c2, chs[sup.ID]); got != want[sup.ID] {
			t.Errorf("supporter %d on c2: %+v, want %+v", sup.ID, got, want[sup.ID])
		}
	}
	for _, sup := range []store.Supporter{stopped, carrier} {
		if _, n, err := e.s.OptInPhone(e.ctx, sup.Phone, at(time.Hour)); err != nil || n != 2 {
			t.Errorf("START of supporter %d made %d subscriptions active, %v; want both campaigns'", sup.ID, n, err)
		}
	}
}

// testClaimHeldNumber: a number held back is never texted, even when its
// pending subscription was made before (a number changed by an organizer):
// the claim marks it waiting for START, and the reconciler does not take it
// for lost.
func testClaimHeldNumber(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	sms := store.ChannelSMS
	sup := e.upsert(c.ID, person(1, pending(sms)))[0]
	const stoppedNumber = "+447700900555"
	if _, _, err := e.s.OptOutPhone(e.ctx, stoppedNumber, at(0)); err != nil {
		t.Fatal(err)
	}
	changed := person(1, pending(sms))
	changed.Supporter.Phone = stoppedNumber
	e.upsert(c.ID, changed)
	if won, err := e.s.ClaimConfirmation(e.ctx, sup.ID, c.ID, sms, at(time.Minute)); err != nil || won {
		t.Fatalf("ClaimConfirmation of a stopped number = %v, %v; want not to send", won, err)
	}
	if got := e.state(sup, c, sms); got.Status != store.SubPending || got.Reason == "" {
		t.Errorf("after the claim: %+v, want pending and held", got)
	}
	if left, err := e.s.UnsentConfirmations(e.ctx, time.Now().Add(time.Hour), 10); err != nil || len(left) != 0 {
		t.Errorf("UnsentConfirmations = %+v, %v; want none", left, err)
	}
	if _, n, err := e.s.OptInPhone(e.ctx, stoppedNumber, at(time.Hour)); err != nil || n != 1 {
		t.Errorf("START made %d active, %v", n, err)
	}
}

// suppressDelivery records a hard bounce of an email to sup as the worker
// does: the subscriptions end suppressed, with no suppression-list entry.
func (e *env) suppressDelivery(campaignID int64, sup store.Supporter) {
	e.t.Helper()
	e.upsert(campaignID, store.SupporterUpsert{Supporter: store.Supporter{Email: sup.Email, Tags: []string{"bounced"}}})
	a := e.alert(store.Alert{CampaignID: campaignID, Template: "t", Channels: []store.Channel{store.ChannelEmail},
		Audience: store.Audience{Tags: []string{"bounced"}}})
	for _, b := range e.fanout(a.ID, 1000) {
		for _, c := range e.claim(b, 1000, at(0), time.Time{}) {
			e.record(store.Result{DeliveryID: c.Delivery.ID, Status: store.DeliveryFailed, At: at(0),
				ErrorClass: "recipient", ErrorCode: "550 5.1.1",
				Suppress: &store.Suppression{SupporterID: c.Supporter.ID, Channel: store.ChannelEmail,
					Status: store.SubSuppressed, Reason: "550 5.1.1"}})
		}
	}
}
