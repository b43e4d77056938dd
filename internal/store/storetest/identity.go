package storetest

import (
	"fmt"
	"testing"

	"github.com/muster-org/muster/internal/store"
)

// testEmailIdentity: an address is one person whatever its case, in lookups,
// uniqueness and the suppression list, even when a caller passes it unfolded.
func testEmailIdentity(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	email := store.ChannelEmail
	first := e.upsert(c.ID, store.SupporterUpsert{Supporter: store.Supporter{Email: "Ana@Example.org"},
		Subscriptions: []store.SubscriptionInput{active(email)}})[0]
	if first.Email != "ana@example.org" {
		t.Errorf("stored address %q, want it folded", first.Email)
	}
	res, err := e.s.UpsertSupporters(e.ctx, c.ID, []store.SupporterUpsert{{Supporter: store.Supporter{Email: "ANA@EXAMPLE.ORG", Name: "Ana"}}})
	if err != nil || res[0].Err != nil || res[0].Created || res[0].Supporter.ID != first.ID {
		t.Fatalf("upsert of the same address in capitals = %+v, %v; want supporter %d updated", res, err, first.ID)
	}
	n, err := e.s.SuppressContact(e.ctx, email, "aNa@example.ORG", "complaint", at(0))
	if err != nil || n != 1 {
		t.Errorf("SuppressContact in another case = %d, %v; want the subscription ended", n, err)
	}
	for _, addr := range []string{"ana@example.org", "Ana@Example.Org"} {
		if ok, err := e.s.Suppressed(e.ctx, email, addr); err != nil || !ok {
			t.Errorf("Suppressed(%q) = %v, %v; want true", addr, ok, err)
		}
	}
}

// testSuppressContacts: one bounce report's recipients are suppressed in one
// call, each live subscription ended once, unknown ones listed.
func testSuppressContacts(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c1, c2 := e.campaign("c1"), e.campaign("c2")
	email := store.ChannelEmail
	var list []store.ContactSuppression
	for i := range 300 {
		e.upsert(c1.ID, person(i, active(email)))
		list = append(list, store.ContactSuppression{Contact: fmt.Sprintf("P%d@Example.org", i), Reason: "bounce 5.1.1"})
	}
	e.upsert(c2.ID, person(0, pending(email)))
	list = append(list, store.ContactSuppression{Contact: "stranger@example.net", Reason: "complaint"})
	n, err := e.s.SuppressContacts(e.ctx, email, list, at(0))
	if err != nil || n != 301 {
		t.Fatalf("SuppressContacts = %d, %v; want 301 subscriptions ended", n, err)
	}
	sup := e.upsert(c2.ID, person(0))[0]
	if st, reason := e.subStatus(sup, c2, email); st != store.SubSuppressed || reason != "bounce 5.1.1" {
		t.Errorf("c2 subscription of a bounced address: %s (%s)", st, reason)
	}
	for _, addr := range []string{"p299@example.org", "stranger@example.net"} {
		if ok, err := e.s.Suppressed(e.ctx, email, addr); err != nil || !ok {
			t.Errorf("Suppressed(%q) = %v, %v; want true", addr, ok, err)
		}
	}
	if n, err := e.s.SuppressContacts(e.ctx, email, nil, at(0)); err != nil || n != 0 {
		t.Errorf("SuppressContacts(nothing) = %d, %v", n, err)
	}
}
