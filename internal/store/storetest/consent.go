package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// subStatus returns the status and reason of one subscription.
func (e *env) subStatus(sup store.Supporter, c store.Campaign, ch store.Channel) (store.SubscriptionStatus, string) {
	e.t.Helper()
	sub, err := e.s.Subscription(e.ctx, sup.ID, c.ID, ch)
	if err != nil {
		e.t.Fatalf("Subscription(%d, %d, %s): %v", sup.ID, c.ID, ch, err)
	}
	return sub.Status, sub.Reason
}

func testConfirmAndUnsubscribe(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	sup := e.upsert(c.ID, person(1, pending(store.ChannelEmail), active(store.ChannelSMS)))[0]
	email := store.ChannelEmail

	sub, err := e.s.ConfirmSubscription(e.ctx, sup.ID, c.ID, email, at(time.Minute))
	if err != nil || sub.Status != store.SubActive || !sub.ConfirmedAt.Equal(at(time.Minute)) {
		t.Fatalf("ConfirmSubscription = %+v, %v; want active, confirmed at 1m", sub, err)
	}
	again, err := e.s.ConfirmSubscription(e.ctx, sup.ID, c.ID, email, at(time.Hour))
	if err != nil || !again.ConfirmedAt.Equal(at(time.Minute)) {
		t.Errorf("confirming again = %+v, %v; want unchanged", again, err)
	}
	if _, err := e.s.ConfirmSubscription(e.ctx, sup.ID+99, c.ID, email, at(0)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ConfirmSubscription(unknown) = %v, want ErrNotFound", err)
	}

	sub, err = e.s.Unsubscribe(e.ctx, sup.ID, c.ID, email, "unsubscribe_link", at(2*time.Minute))
	if err != nil || sub.Status != store.SubUnsubscribed || sub.Reason != "unsubscribe_link" {
		t.Fatalf("Unsubscribe = %+v, %v", sub, err)
	}
	if sub, _ = e.s.ConfirmSubscription(e.ctx, sup.ID, c.ID, email, at(time.Hour)); sub.Status != store.SubUnsubscribed {
		t.Errorf("an old confirmation link made an unsubscribed subscription %s", sub.Status)
	}
	if sub, err = e.s.Unsubscribe(e.ctx, sup.ID, c.ID, email, "again", at(time.Hour)); err != nil || sub.Reason != "unsubscribe_link" {
		t.Errorf("unsubscribing again = %+v, %v; want unchanged", sub, err)
	}
	if st, _ := e.subStatus(sup, c, store.ChannelSMS); st != store.SubActive {
		t.Errorf("the SMS subscription became %s; only email was unsubscribed", st)
	}
}

// testPhoneStopStart: STOP ends SMS on every campaign, START brings back what
// STOP ended and nothing a carrier suppressed; an unknown number that texted
// STOP is not subscribed by a later import.
func testPhoneStopStart(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c1, c2, c3 := e.campaign("c1"), e.campaign("c2"), e.campaign("c3")
	sms := store.ChannelSMS
	sup := e.upsert(c1.ID, person(1, active(sms), active(store.ChannelEmail)))[0]
	e.upsert(c2.ID, person(1, active(sms)))
	e.upsert(c3.ID, person(1, active(sms)))
	if _, err := e.s.Unsubscribe(e.ctx, sup.ID, c3.ID, sms, "carrier", at(0)); err != nil {
		t.Fatal(err)
	}

	got, n, err := e.s.OptOutPhone(e.ctx, sup.Phone, at(time.Minute))
	if err != nil || got.ID != sup.ID || n != 2 {
		t.Fatalf("OptOutPhone = %d, %d, %v; want supporter %d, 2 subscriptions", got.ID, n, err, sup.ID)
	}
	for _, c := range []store.Campaign{c1, c2} {
		if st, reason := e.subStatus(sup, c, sms); st != store.SubUnsubscribed || reason != store.ReasonSMSStop {
			t.Errorf("%s: %s (%s) after STOP", c.Slug, st, reason)
		}
	}
	if st, _ := e.subStatus(sup, c1, store.ChannelEmail); st != store.SubActive {
		t.Errorf("email became %s after an SMS STOP", st)
	}
	c4 := e.campaign("c4")
	e.upsert(c4.ID, person(1, pending(sms)))
	if _, n, err = e.s.OptInPhone(e.ctx, sup.Phone, at(time.Hour)); err != nil || n != 3 {
		t.Fatalf("OptInPhone = %d, %v; want 3 (two STOP ended, one pending)", n, err)
	}
	if st, _ := e.subStatus(sup, c4, sms); st != store.SubActive {
		t.Errorf("YES left a pending SMS subscription %s", st)
	}
	if st, _ := e.subStatus(sup, c3, sms); st != store.SubUnsubscribed {
		t.Errorf("START revived a subscription STOP had not ended: %s", st)
	}

	const stranger = "+447700900777"
	if got, n, err := e.s.OptOutPhone(e.ctx, stranger, at(0)); err != nil || got.ID != 0 || n != 0 {
		t.Fatalf("OptOutPhone(unknown) = %+v, %d, %v", got, n, err)
	}
	imported := person(9, active(sms))
	imported.Supporter.Phone = stranger
	late := e.upsert(c1.ID, imported)[0]
	if st, reason := e.subStatus(late, c1, sms); st != store.SubUnsubscribed || reason == "" {
		t.Errorf("an import subscribed a number that had texted STOP: %s (%s)", st, reason)
	}
	if _, _, err := e.s.OptInPhone(e.ctx, stranger, at(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if ok, err := e.s.Suppressed(e.ctx, sms, stranger); err != nil || ok {
		t.Errorf("after START the number is still suppressed: %v, %v", ok, err)
	}
}

// testSuppressionList: a hard bounce suppresses the address everywhere and
// keeps it out of imports; neither an organizer nor the join page lifts it.
func testSuppressionList(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c1, c2 := e.campaign("c1"), e.campaign("c2")
	email := store.ChannelEmail
	sup := e.upsert(c1.ID, person(1, active(email)))[0]
	e.upsert(c2.ID, person(1, pending(email)))
	n, err := e.s.SuppressContact(e.ctx, email, sup.Email, "bounce 5.1.1", at(0))
	if err != nil || n != 2 {
		t.Fatalf("SuppressContact = %d, %v; want 2", n, err)
	}
	if st, reason := e.subStatus(sup, c2, email); st != store.SubSuppressed || reason != "bounce 5.1.1" {
		t.Errorf("c2: %s (%s)", st, reason)
	}
	c3 := e.campaign("c3")
	e.upsert(c3.ID, person(1, active(email)))
	if st, reason := e.subStatus(sup, c3, email); st != store.SubSuppressed || reason != "bounce 5.1.1" {
		t.Errorf("an import subscribed a suppressed address to a new campaign: %s (%s)", st, reason)
	}
	organizerForm := store.SubscriptionInput{Channel: email, Status: store.SubPending, Source: "form", ConsentText: "yes"}
	e.upsert(c1.ID, person(1, organizerForm))
	if st, _ := e.subStatus(sup, c1, email); st != store.SubSuppressed {
		t.Errorf("an organizer's upsert with source form changed a suppressed subscription to %s", st)
	}
	res := e.join(c1.ID, sup, email)
	if st, _ := e.subStatus(sup, c1, email); st != store.SubSuppressed || len(res.Confirm) != 0 {
		t.Errorf("a join on the page made a bounced subscription %s, confirmations %v", st, res.Confirm)
	}
	if ok, _ := e.s.Suppressed(e.ctx, email, sup.Email); !ok {
		t.Error("a join on the page lifted the suppression of a bounced address")
	}
}

// testEraseSupporter: erasure keeps deliveries and counts without the person,
// and a hash of what they had left.
func testEraseSupporter(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, sups, b := singleBatch(t, e, 2)
	e.sendAll([]store.Batch{b}, at(time.Minute))
	gone := sups[0]
	e.unsubscribe(c.ID, store.ChannelSMS, gone)

	exp, err := e.s.ExportSupporter(e.ctx, gone.ID)
	if err != nil || exp.Supporter.Email != gone.Email || len(exp.Deliveries) != 2 || len(exp.Supporter.Subscriptions) != 2 {
		t.Fatalf("ExportSupporter = %+v, %v; want the profile, 2 subscriptions, 2 deliveries", exp, err)
	}
	if err := e.s.EraseSupporter(e.ctx, gone.ID, at(time.Hour)); err != nil {
		t.Fatalf("EraseSupporter: %v", err)
	}
	if _, err := e.s.SupporterByID(e.ctx, gone.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SupporterByID after erasure: %v", err)
	}
	if err := e.s.EraseSupporter(e.ctx, gone.ID, at(time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("erasing twice: %v, want ErrNotFound", err)
	}
	var orphans int
	for _, d := range e.deliveries(b.AlertID, store.DeliveryFilter{}) {
		if d.SupporterID == 0 {
			orphans++
		}
	}
	if orphans != 1 {
		t.Errorf("%d deliveries without a supporter after erasure, want 1 (kept for the counts)", orphans)
	}
	if ok, _ := e.s.Suppressed(e.ctx, store.ChannelSMS, gone.Phone); !ok {
		t.Error("the erased supporter's number, which had opted out, is not in the suppression list")
	}
	if ok, _ := e.s.Suppressed(e.ctx, store.ChannelEmail, gone.Email); ok {
		t.Error("the erased supporter's address, which had not opted out, is in the suppression list")
	}
	back := e.upsert(c.ID, person(0, active(store.ChannelSMS), active(store.ChannelEmail)))[0]
	want := map[store.Channel]store.SubscriptionStatus{store.ChannelSMS: store.SubUnsubscribed, store.ChannelEmail: store.SubActive}
	got := map[store.Channel]store.SubscriptionStatus{}
	for _, sub := range back.Subscriptions {
		got[sub.Channel] = sub.Status
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("re-imported after erasure (-want +got):\n%s", diff)
	}
}

// testRecordReceipt: receipts move a sent SMS forward only; carrier errors
// suppress the number or warn the campaign.
func testRecordReceipt(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	sups := e.upsert(c.ID, person(1, active(store.ChannelSMS)), person(2, active(store.ChannelSMS)), person(3, active(store.ChannelSMS)))
	a := e.alert(store.Alert{CampaignID: c.ID, Template: "t", Channels: []store.Channel{store.ChannelSMS}})
	var rs []store.Result
	for i, cl := range e.claim(e.fanout(a.ID, 10)[0], 10, at(0), time.Time{}) {
		rs = append(rs, store.Result{DeliveryID: cl.Delivery.ID, Status: store.DeliverySent, ProviderID: []string{"SM1", "SM2", "SM3"}[i], At: at(0)})
	}
	e.record(rs...)
	m := time.Minute
	tests := []struct {
		name        string
		r           store.Receipt
		wantStatus  store.DeliveryStatus
		wantChanged bool
	}{
		{"delivered", store.Receipt{ProviderID: "SM1", Status: store.DeliveryDelivered, At: at(m)}, store.DeliveryDelivered, true},
		{"a late failure does not undo delivered", store.Receipt{ProviderID: "SM1", Status: store.DeliveryFailed, ErrorCode: "30008", At: at(2 * m)}, store.DeliveryDelivered, false},
		{"a repeated callback changes nothing", store.Receipt{ProviderID: "SM1", Status: store.DeliveryDelivered, At: at(3 * m)}, store.DeliveryDelivered, false},
		{"an intermediate status changes nothing", store.Receipt{ProviderID: "SM2", Status: store.DeliverySent, At: at(m)}, store.DeliverySent, false},
		{"landline: failed and suppressed", store.Receipt{ProviderID: "SM2", Status: store.DeliveryFailed, ErrorCode: "30006", ErrorClass: "recipient", Suppress: true, At: at(m)}, store.DeliveryFailed, true},
		{"carrier filtering warns the campaign", store.Receipt{ProviderID: "SM3", Status: store.DeliveryFailed, ErrorCode: "30007", Warning: "30007: filtered", At: at(m)}, store.DeliveryFailed, true},
	}
	for _, tc := range tests {
		d, changed, err := e.s.RecordReceipt(e.ctx, tc.r)
		if err != nil || d.Status != tc.wantStatus || changed != tc.wantChanged {
			t.Errorf("%s: %s, changed %v, %v; want %s, changed %v", tc.name, d.Status, changed, err, tc.wantStatus, tc.wantChanged)
		}
	}
	if d, _, _ := e.s.RecordReceipt(e.ctx, store.Receipt{ProviderID: "SM1", Status: store.DeliveryDelivered}); !d.DeliveredAt.Equal(at(m)) {
		t.Errorf("DeliveredAt = %v, want the first receipt's time", d.DeliveredAt)
	}
	if st, _ := e.subStatus(sups[1], c, store.ChannelSMS); st != store.SubSuppressed {
		t.Errorf("the landline's subscription is %s, want suppressed", st)
	}
	if st, _ := e.subStatus(sups[2], c, store.ChannelSMS); st != store.SubActive {
		t.Errorf("carrier filtering changed the supporter's subscription to %s", st)
	}
	if got, _ := e.s.CampaignByID(e.ctx, c.ID); got.SMSWarning != "30007: filtered" {
		t.Errorf("campaign SMSWarning = %q", got.SMSWarning)
	}
	if _, _, err := e.s.RecordReceipt(e.ctx, store.Receipt{ProviderID: "SMnope", Status: store.DeliveryDelivered}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RecordReceipt(unknown) = %v, want ErrNotFound", err)
	}
}

func testUnsentConfirmations(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	sups := e.upsert(c.ID, person(1, pending(store.ChannelEmail)), person(2, pending(store.ChannelEmail)),
		person(3, active(store.ChannelEmail)), person(4, pending(store.ChannelSMS)))
	later := time.Now().Add(time.Hour)
	got, err := e.s.UnsentConfirmations(e.ctx, later, 10)
	if err != nil || len(got) != 3 {
		t.Fatalf("UnsentConfirmations = %+v, %v; want the 3 pending subscriptions (2 email, 1 SMS)", got, err)
	}
	if won, err := e.s.ClaimConfirmation(e.ctx, sups[0].ID, c.ID, store.ChannelEmail, at(0)); err != nil || !won {
		t.Fatalf("ClaimConfirmation = %v, %v", won, err)
	}
	if won, err := e.s.ClaimConfirmation(e.ctx, sups[0].ID, c.ID, store.ChannelEmail, at(0)); err != nil || won {
		t.Errorf("a second claim won: %v, %v", won, err)
	}
	if got, _ = e.s.UnsentConfirmations(e.ctx, later, 10); len(got) != 2 {
		t.Errorf("after one was sent: %+v", got)
	}
	if err := e.s.ReleaseConfirmation(e.ctx, sups[0].ID, c.ID, store.ChannelEmail); err != nil {
		t.Fatal(err)
	}
	if got, _ = e.s.UnsentConfirmations(e.ctx, later, 10); len(got) != 3 {
		t.Errorf("a released claim is not unsent again: %+v", got)
	}
	if won, _ := e.s.ClaimConfirmation(e.ctx, sups[2].ID, c.ID, store.ChannelEmail, at(0)); won {
		t.Error("claimed the confirmation of an active subscription")
	}
	if got, _ = e.s.UnsentConfirmations(e.ctx, time.Now().Add(-time.Hour), 10); len(got) != 0 {
		t.Errorf("subscriptions made after the cut-off: %+v", got)
	}
}

// testPersonJoin: a join on the public form never changes a stored record
// (not even its empty fields: anyone can type anyone's address), and sends a
// lost confirmation again.
func testPersonJoin(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	email := store.ChannelEmail
	stored := person(1, pending(email))
	stored.Supporter.Phone, stored.Supporter.Country = "", ""
	sup := e.upsert(c.ID, stored)[0]
	if won, err := e.s.ClaimConfirmation(e.ctx, sup.ID, c.ID, email, time.Now().Add(-time.Hour)); err != nil || !won {
		t.Fatalf("ClaimConfirmation = %v, %v", won, err)
	}
	typed := sup
	typed.Name, typed.Country = "Someone Else", "FR"
	if res := e.join(c.ID, typed, email); len(res.Confirm) != 1 || res.Confirm[0] != sup.ID {
		t.Errorf("Join asks to confirm %v, want supporter %d", res.Confirm, sup.ID)
	}
	got, err := e.s.SupporterByID(e.ctx, sup.ID)
	if err != nil || got.Name != sup.Name || got.Country != "" {
		t.Errorf("after the form: name %q, country %q, %v; want the record as it was", got.Name, got.Country, err)
	}
	left, err := e.s.UnsentConfirmations(e.ctx, time.Now().Add(time.Hour), 10)
	if err != nil || len(left) != 1 {
		t.Errorf("a join again of a pending subscription: %d unsent confirmations, %v; want its confirmation to go again", len(left), err)
	}
}
