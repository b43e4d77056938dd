package storetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

func testCreateAlert(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, other := e.campaign("c"), e.campaign("other")
	in := store.Alert{
		CampaignID: c.ID, Content: map[string]store.Content{"en": {Subject: "Hi", Body: "**Go**", SMS: "Go"}},
		Data:     map[string]any{"title": "Chain", "n": 2.0},
		Audience: store.Audience{Countries: []string{"GB"}, Tags: []string{"embassy"}, Locales: []string{"es"}},
		Channels: []store.Channel{store.ChannelSMS, store.ChannelEmail, store.ChannelSMS},
		SendAt:   at(0), ExpiresAt: at(3 * 3600e9), Urgent: true, IdempotencyKey: "k1",
	}
	a, created, err := e.s.CreateAlert(e.ctx, in)
	if err != nil || !created {
		t.Fatalf("CreateAlert = %v, %v; want created", created, err)
	}
	want := in
	want.ID, want.CampaignSlug, want.Status = a.ID, "c", store.AlertScheduled
	want.Channels = []store.Channel{store.ChannelEmail, store.ChannelSMS}
	if diff := cmp.Diff(want, a, ignoreClock()); diff != "" {
		t.Errorf("CreateAlert (-want +got):\n%s", diff)
	}
	if got := e.alertByID(a.ID); !cmp.Equal(a, got) {
		t.Errorf("AlertByID = %+v, want %+v", got, a)
	}
	again := in
	again.Template, again.Content = "other", nil
	if got, created, err := e.s.CreateAlert(e.ctx, again); err != nil || created || !cmp.Equal(a, got) {
		t.Errorf("CreateAlert with the same key = %+v, %v, %v; want the first alert, not created", got, created, err)
	}
	testCreateAlertOthers(t, e, in, other.ID, a.ID)
}

// testCreateAlertOthers checks what creates a second alert, and what fails.
func testCreateAlertOthers(t *testing.T, e *env, in store.Alert, otherCampaign, first int64) {
	tests := []struct {
		name    string
		change  func(a *store.Alert)
		created bool
		err     error
	}{
		{"same key, other campaign", func(a *store.Alert) { a.CampaignID = otherCampaign }, true, nil},
		{"no key", func(a *store.Alert) { a.IdempotencyKey = "" }, true, nil},
		{"no key again", func(a *store.Alert) { a.IdempotencyKey = "" }, true, nil},
		{"unknown campaign", func(a *store.Alert) { a.CampaignID += 100; a.IdempotencyKey = "k2" }, false, store.ErrNotFound},
		{"unknown channel", func(a *store.Alert) { a.Channels = []store.Channel{"fax"} }, false, errAny},
		{"no channel", func(a *store.Alert) { a.Channels = nil }, false, errAny},
	}
	for _, tc := range tests {
		a := in
		tc.change(&a)
		got, created, err := e.s.CreateAlert(e.ctx, a)
		if !sameError(err, tc.err) || created != tc.created {
			t.Errorf("%s: CreateAlert = %v, %v; want %v, %v", tc.name, created, err, tc.created, tc.err)
		}
		if created && got.ID == first {
			t.Errorf("%s: got the first alert again", tc.name)
		}
	}
	if _, err := e.s.AlertByID(e.ctx, first+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AlertByID(unknown): %v, want ErrNotFound", err)
	}
}

// errAny stands for "some error" in tables.
var errAny = errors.New("any error")

func sameError(got, want error) bool {
	if want == errAny { //nolint:errorlint // the table's own sentinel, never wrapped
		return got != nil
	}
	return errors.Is(got, want)
}
