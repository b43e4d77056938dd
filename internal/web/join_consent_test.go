package web_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// The numbers and addresses of the consent tests.
const (
	stoppedPhone = "+447400123456"
	freshPhone   = "+447400654321"
)

// activeSMS is an active SMS subscription, as an organizer's import makes them.
func activeSMS() store.SubscriptionInput {
	return store.SubscriptionInput{Channel: store.ChannelSMS, Status: store.SubActive, Source: "import", ConsentText: "yes"}
}

// smsJoin is the join form of a number alone.
func smsJoin(phone string) []string {
	return []string{"email", "", "channels", "sms", "phone", phone}
}

// TestJoinSMSWaitsForYes: a number typed into the form waits, pending, for
// its own YES, in a campaign that does not ask for it
// (sms.confirm_by_reply off): anyone can type anyone's number.
func TestJoinSMSWaitsForYes(t *testing.T) {
	e := newEnv(t)
	e.post("/c/free-assange", joinForm(smsJoin(freshPhone)...), nil).want(t, http.StatusOK)
	sups := e.supporters()
	if len(sups) != 1 {
		t.Fatalf("%d supporters, want 1", len(sups))
	}
	if got := e.subscription(sups[0].ID, store.ChannelSMS).Status; got != store.SubPending {
		t.Errorf("SMS subscription %s, want pending until the number answers YES", got)
	}
	if diff := cmp.Diff([]confirmCall{{sups[0].ID, e.camp.ID}}, e.confirm.got()); diff != "" {
		t.Errorf("confirmations enqueued (-want +got):\n%s", diff)
	}
}

// TestJoinNeverLiftsStop: a number that texted STOP (known, or not known to
// Muster yet), or that a carrier stopped, stays stopped whatever the form
// says, and is not asked anything; the page says the same as to anyone.
func TestJoinNeverLiftsStop(t *testing.T) {
	tests := []struct {
		name string
		// stop stops the number and returns its supporter's id (0 if none).
		stop func(e *env) int64
	}{
		{"STOP from a supporter", func(e *env) int64 {
			sup := e.seedSupporter(store.Supporter{Phone: stoppedPhone}, activeSMS())
			if _, _, err := e.st.OptOutPhone(e.t.Context(), stoppedPhone, testNow); err != nil {
				e.t.Fatal(err)
			}
			return sup.ID
		}},
		{"STOP from an unknown number", func(e *env) int64 {
			if _, _, err := e.st.OptOutPhone(e.t.Context(), stoppedPhone, testNow); err != nil {
				e.t.Fatal(err)
			}
			return 0
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := tt.stop(e)
			fresh := e.post("/c/free-assange", joinForm(smsJoin(freshPhone)...), nil).want(t, http.StatusOK)
			before := len(e.confirm.got())
			stopped := e.post("/c/free-assange", joinForm(smsJoin(stoppedPhone)...), nil).want(t, http.StatusOK)
			if diff := cmp.Diff(fresh.body, stopped.body); diff != "" {
				t.Errorf("a stopped number's page differs from a new one's (-new +stopped):\n%s", diff)
			}
			if got := e.confirm.got()[before:]; len(got) != 0 {
				t.Errorf("confirmations enqueued for a stopped number: %v", got)
			}
			if ok, err := e.st.Suppressed(t.Context(), store.ChannelSMS, stoppedPhone); id == 0 && (err != nil || !ok) {
				t.Errorf("the form lifted the suppression of the number: %v, %v", ok, err)
			}
			sup, err := e.st.SupporterByPhone(t.Context(), stoppedPhone)
			if err != nil {
				t.Fatalf("no supporter holds the number after its join: %v", err)
			}
			sub := e.subscription(sup.ID, store.ChannelSMS)
			if sub.Status == store.SubActive || sub.Reason == "" {
				t.Errorf("after the form the number's subscription is %s (%q), want it still held by the stop", sub.Status, sub.Reason)
			}
			if id != 0 && (sub.Status != store.SubUnsubscribed || sub.Reason != store.ReasonSMSStop) {
				t.Errorf("the form changed a stopped subscription to %s (%q)", sub.Status, sub.Reason)
			}
		})
	}
}

// TestJoinStoppedNumberOtherCampaign: a stopped number joining another
// campaign waits, pending, without being texted; its START then brings back
// both.
func TestJoinStoppedNumberOtherCampaign(t *testing.T) {
	e := newEnv(t)
	sup := e.seedSupporter(store.Supporter{Phone: stoppedPhone}, activeSMS())
	if _, _, err := e.st.OptOutPhone(t.Context(), stoppedPhone, testNow); err != nil {
		t.Fatal(err)
	}
	other := e.seedCampaign("other", "Other", "en")
	e.post("/c/other", joinForm(smsJoin(stoppedPhone)...), nil).want(t, http.StatusOK)
	sub, err := e.st.Subscription(t.Context(), sup.ID, other.ID, store.ChannelSMS)
	if err != nil || sub.Status != store.SubPending || sub.Reason == "" {
		t.Fatalf("the new subscription of a stopped number is %+v, %v; want pending, held by the stop", sub, err)
	}
	if got := e.confirm.got(); len(got) != 0 {
		t.Errorf("confirmations enqueued for a stopped number: %v", got)
	}
	if _, n, err := e.st.OptInPhone(t.Context(), stoppedPhone, testNow); err != nil || n != 2 {
		t.Errorf("START made %d subscriptions active, %v; want both", n, err)
	}
}

// TestJoinUnsubscribedEmail: an address that unsubscribed by its link gets a
// confirmation from a join; only the link makes it active again, and lifts
// the address's suppression.
func TestJoinUnsubscribedEmail(t *testing.T) {
	e := newEnv(t)
	sup := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
	if _, err := e.st.Unsubscribe(t.Context(), sup.ID, e.camp.ID, store.ChannelEmail, "unsubscribe_link", testNow); err != nil {
		t.Fatal(err)
	}
	e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	if got := e.subscription(sup.ID, store.ChannelEmail); got.Status != store.SubPending || got.Reason == "" {
		t.Errorf("after the form: %s (%q), want pending and still marked as left", got.Status, got.Reason)
	}
	if diff := cmp.Diff([]confirmCall{{sup.ID, e.camp.ID}}, e.confirm.got()); diff != "" {
		t.Errorf("confirmations enqueued (-want +got):\n%s", diff)
	}
	// An organizer's attestation does not undo the person's unsubscribe.
	res, err := e.st.UpsertSupporters(t.Context(), e.camp.ID, []store.SupporterUpsert{{
		Supporter: store.Supporter{Email: "ana@example.org"}, Subscriptions: []store.SubscriptionInput{activeEmail()}}})
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	if got := e.subscription(sup.ID, store.ChannelEmail).Status; got != store.SubPending {
		t.Errorf("an import made an unsubscribed address %s after a join", got)
	}
	e.get("/confirm/"+e.signer.Confirm(sup.ID, e.camp.ID, testNow, week), nil).want(t, http.StatusOK)
	if got := e.subscription(sup.ID, store.ChannelEmail); got.Status != store.SubActive || got.Reason != "" {
		t.Errorf("after the link: %s (%q), want active", got.Status, got.Reason)
	}
}

// TestJoinErasedEmail: an erased supporter's address, kept in the suppression
// list, is back only through the link its join sends.
func TestJoinErasedEmail(t *testing.T) {
	e := newEnv(t)
	sup := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
	if _, err := e.st.Unsubscribe(t.Context(), sup.ID, e.camp.ID, store.ChannelEmail, "unsubscribe_link", testNow); err != nil {
		t.Fatal(err)
	}
	if err := e.st.EraseSupporter(t.Context(), sup.ID, testNow); err != nil {
		t.Fatal(err)
	}
	e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
	if ok, _ := e.st.Suppressed(t.Context(), store.ChannelEmail, "ana@example.org"); !ok {
		t.Fatal("the form lifted the address's suppression")
	}
	back := e.supporter("ana@example.org")
	if got := e.subscription(back.ID, store.ChannelEmail).Status; got != store.SubPending {
		t.Fatalf("after the form: %s, want pending", got)
	}
	if diff := cmp.Diff([]confirmCall{{back.ID, e.camp.ID}}, e.confirm.got()); diff != "" {
		t.Errorf("confirmations enqueued (-want +got):\n%s", diff)
	}
	e.get("/confirm/"+e.signer.Confirm(back.ID, e.camp.ID, testNow, week), nil).want(t, http.StatusOK)
	if ok, _ := e.st.Suppressed(t.Context(), store.ChannelEmail, "ana@example.org"); ok {
		t.Error("the confirmation link did not lift the address's suppression")
	}
}

// TestJoinBouncedEmail: a hard-bounced or complaining address gets nothing
// from the form, and nothing changes; the page is the same as anyone's.
func TestJoinBouncedEmail(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		known  bool // the address has a supporter
	}{
		{"hard bounce of a supporter", "bounce 5.1.1", true},
		{"complaint of a supporter", "complaint", true},
		{"hard bounce of an unknown address", "bounce 5.1.1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			var sup store.Supporter
			if tt.known {
				sup = e.seedSupporter(store.Supporter{Email: "ana@example.org"}, activeEmail())
			}
			if _, err := e.st.SuppressContact(t.Context(), store.ChannelEmail, "ana@example.org", tt.reason, testNow); err != nil {
				t.Fatal(err)
			}
			fresh := e.post("/c/free-assange", joinForm("email", "bo@example.org"), nil).want(t, http.StatusOK)
			before := len(e.confirm.got())
			bounced := e.post("/c/free-assange", joinForm(), nil).want(t, http.StatusOK)
			if diff := cmp.Diff(fresh.body, bounced.body); diff != "" {
				t.Errorf("a bounced address's page differs (-new +bounced):\n%s", diff)
			}
			if got := e.confirm.got()[before:]; len(got) != 0 {
				t.Errorf("confirmations enqueued for a bounced address: %v", got)
			}
			if ok, _ := e.st.Suppressed(t.Context(), store.ChannelEmail, "ana@example.org"); !ok {
				t.Error("the form lifted the address's suppression")
			}
			if !tt.known {
				for _, s := range e.supporters() {
					if s.Email == "ana@example.org" {
						t.Errorf("the form stored a bounced address: %+v", s)
					}
				}
				return
			}
			if got := e.subscription(sup.ID, store.ChannelEmail); got.Status != store.SubSuppressed || got.Reason != tt.reason {
				t.Errorf("after the form: %s (%q), want suppressed (%q)", got.Status, got.Reason, tt.reason)
			}
		})
	}
}

// TestJoinMixedContacts: the form never changes or takes over another
// person's record or subscription; a contact nobody has gets its own
// supporter and its own confirmation.
func TestJoinMixedContacts(t *testing.T) {
	type person struct{ Email, Phone string }
	tests := []struct {
		name        string
		email, tel  string
		wantPeople  []person // every supporter after, in id order
		wantPending []person // the supporters asked to confirm
	}{
		{
			name: "new email, phone of Bo (no email)", email: "new@example.org", tel: "+447400000002",
			wantPeople:  []person{{"ana@example.org", "+447400000001"}, {"", "+447400000002"}, {"new@example.org", ""}},
			wantPending: []person{{"new@example.org", ""}},
		},
		{
			name: "new email, phone of Ana", email: "new@example.org", tel: "+447400000001",
			wantPeople:  []person{{"ana@example.org", "+447400000001"}, {"", "+447400000002"}, {"new@example.org", ""}},
			wantPending: []person{{"new@example.org", ""}},
		},
		{
			name: "email of Ana, new phone", email: "ana@example.org", tel: "+447400000009",
			wantPeople:  []person{{"ana@example.org", "+447400000001"}, {"", "+447400000002"}, {"", "+447400000009"}},
			wantPending: []person{{"", "+447400000009"}},
		},
		{
			name: "email of Ana, phone of Bo", email: "ana@example.org", tel: "+447400000002",
			wantPeople: []person{{"ana@example.org", "+447400000001"}, {"", "+447400000002"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ana := e.seedSupporter(store.Supporter{Email: "ana@example.org", Phone: "+447400000001", Name: "Ana"}, activeEmail(), activeSMS())
			bo := e.seedSupporter(store.Supporter{Phone: "+447400000002", Name: "Bo"}, activeSMS())
			e.post("/c/free-assange", joinForm("name", "Someone", "email", tt.email, "phone", tt.tel, "channels", "email,sms"), nil).want(t, http.StatusOK)
			var people []person
			byID := map[int64]person{}
			for _, s := range e.supporters() {
				people = append(people, person{s.Email, s.Phone})
				byID[s.ID] = person{s.Email, s.Phone}
				for _, sub := range s.Subscriptions {
					if sub.Status == store.SubActive && s.ID != ana.ID && s.ID != bo.ID {
						t.Errorf("the form made %s's %s subscription active", s.Email+s.Phone, sub.Channel)
					}
				}
			}
			if diff := cmp.Diff(tt.wantPeople, people); diff != "" {
				t.Errorf("supporters (-want +got):\n%s", diff)
			}
			var pending []person
			for _, c := range e.confirm.got() {
				pending = append(pending, byID[c.SupporterID])
			}
			if diff := cmp.Diff(tt.wantPending, pending); diff != "" {
				t.Errorf("confirmations asked for (-want +got):\n%s", diff)
			}
			for _, s := range []store.Supporter{ana, bo} {
				got, err := e.st.SupporterByID(t.Context(), s.ID)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(subViews(s.Subscriptions), subViews(got.Subscriptions)); diff != "" || got.Name != s.Name {
					t.Errorf("%s's record changed: name %q, subscriptions (-before +after):\n%s", s.Name, got.Name, diff)
				}
			}
		})
	}
}
