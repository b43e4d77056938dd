package storetest

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

func testMigrate(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("kept")
	for i := range 2 {
		if err := e.s.Migrate(e.ctx); err != nil {
			t.Fatalf("Migrate #%d on a migrated store: %v", i+1, err)
		}
	}
	got, err := e.s.CampaignBySlug(e.ctx, "kept")
	if err != nil {
		t.Fatalf("CampaignBySlug after Migrate: %v", err)
	}
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("campaign after Migrate (-want +got):\n%s", diff)
	}
	if err := e.s.Ping(e.ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// within fails unless got is in [before, after], at the store's millisecond precision.
func within(t *testing.T, what string, got, before, after time.Time) {
	t.Helper()
	if got.Before(before.Truncate(time.Millisecond)) || got.After(after) {
		t.Errorf("%s = %v, want between %v and %v", what, got, before, after)
	}
}

func testAPIKeys(t *testing.T, open Opener) {
	hash := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
	tests := []struct {
		name string
		run  func(e *env) error
		want error
	}{
		{"name taken", func(e *env) error {
			_, err := e.s.CreateAPIKey(e.ctx, "ops", store.RoleOrganizer, hash(9))
			return err
		}, store.ErrConflict},
		{"hash taken", func(e *env) error {
			_, err := e.s.CreateAPIKey(e.ctx, "other", store.RoleOrganizer, hash(1))
			return err
		}, store.ErrConflict},
		{"unknown hash", func(e *env) error {
			_, err := e.s.APIKeyByHash(e.ctx, hash(7))
			return err
		}, store.ErrNotFound},
		{"revoked hash", func(e *env) error {
			if err := e.s.RevokeAPIKey(e.ctx, "ops"); err != nil {
				return err
			}
			_, err := e.s.APIKeyByHash(e.ctx, hash(1))
			return err
		}, store.ErrNotFound},
		{"revoke twice", func(e *env) error {
			if err := e.s.RevokeAPIKey(e.ctx, "ops"); err != nil {
				return err
			}
			return e.s.RevokeAPIKey(e.ctx, "ops")
		}, store.ErrNotFound},
		{"revoke unknown", func(e *env) error { return e.s.RevokeAPIKey(e.ctx, "nobody") }, store.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, open)
			if _, err := e.s.CreateAPIKey(e.ctx, "ops", store.RoleAdmin, hash(1)); err != nil {
				t.Fatalf("CreateAPIKey: %v", err)
			}
			if err := tc.run(e); !errors.Is(err, tc.want) {
				t.Errorf("got error %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("lookup notes use, list by name", func(t *testing.T) { testAPIKeyLifecycle(t, newEnv(t, open), hash) })
	t.Run("bad role", func(t *testing.T) {
		e := newEnv(t, open)
		if _, err := e.s.CreateAPIKey(e.ctx, "x", store.Role("root"), hash(1)); err == nil {
			t.Error("CreateAPIKey with role root succeeded")
		}
	})
}

func testAPIKeyLifecycle(t *testing.T, e *env, hash func(byte) []byte) {
	before := time.Now()
	zed, err := e.s.CreateAPIKey(e.ctx, "zed", store.RoleOrganizer, hash(2))
	if err != nil {
		t.Fatalf("CreateAPIKey: %v", err)
	}
	if _, err := e.s.CreateAPIKey(e.ctx, "amy", store.RoleAdmin, hash(3)); err != nil {
		t.Fatalf("CreateAPIKey: %v", err)
	}
	if !zed.LastUsedAt.IsZero() || !zed.RevokedAt.IsZero() {
		t.Errorf("new key = %+v, want never used nor revoked", zed)
	}
	got, err := e.s.APIKeyByHash(e.ctx, hash(2))
	if err != nil {
		t.Fatalf("APIKeyByHash: %v", err)
	}
	if diff := cmp.Diff(zed, got, ignoreClock()); diff != "" {
		t.Errorf("APIKeyByHash (-want +got):\n%s", diff)
	}
	within(t, "LastUsedAt", got.LastUsedAt, before, time.Now())
	stored := func() time.Time {
		keys, err := e.s.ListAPIKeys(e.ctx)
		if err != nil {
			t.Fatalf("ListAPIKeys: %v", err)
		}
		return keys[len(keys)-1].LastUsedAt // zed sorts last
	}
	if first := stored(); !first.Equal(got.LastUsedAt) {
		t.Errorf("stored LastUsedAt = %v, want the returned %v", first, got.LastUsedAt)
	}
	// Within the minute, a lookup is a read: the use noted stays the first.
	if again, err := e.s.APIKeyByHash(e.ctx, hash(2)); err != nil || !again.LastUsedAt.Equal(got.LastUsedAt) {
		t.Errorf("second lookup: LastUsedAt %v, %v; want unchanged %v", again.LastUsedAt, err, got.LastUsedAt)
	}
	if err := e.s.RevokeAPIKey(e.ctx, "zed"); err != nil {
		t.Fatalf("RevokeAPIKey: %v", err)
	}
	keys, err := e.s.ListAPIKeys(e.ctx)
	if err != nil {
		t.Fatalf("ListAPIKeys: %v", err)
	}
	want := []store.APIKey{{ID: keys[0].ID, Name: "amy", Role: store.RoleAdmin}, {ID: zed.ID, Name: "zed", Role: store.RoleOrganizer}}
	if diff := cmp.Diff(want, keys, ignoreClock()); diff != "" {
		t.Errorf("ListAPIKeys (-want +got):\n%s", diff)
	}
	within(t, "RevokedAt", keys[1].RevokedAt, before, time.Now())
	if !keys[0].RevokedAt.IsZero() {
		t.Errorf("amy RevokedAt = %v, want zero", keys[0].RevokedAt)
	}
}

func testCampaigns(t *testing.T, open Opener) {
	e := newEnv(t, open)
	before := time.Now()
	in := store.Campaign{Slug: "free-assange", Name: "Free Assange", Locale: "en", Timezone: "Europe/London",
		EmailFrom: "Free Assange <alerts@example.org>", EmailReplyTo: "team@example.org", SMSFrom: "+15005550006",
		SMSMessagingServiceSID: "MG1", Footer: "Free Assange, 1 Road, London", QuietHours: "22:00-07:00"}
	c, err := e.s.CreateCampaign(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	in.ID = c.ID
	if diff := cmp.Diff(in, c, ignoreClock()); diff != "" {
		t.Errorf("CreateCampaign (-want +got):\n%s", diff)
	}
	within(t, "CreatedAt", c.CreatedAt, before, time.Now())
	if _, err := e.s.CreateCampaign(e.ctx, store.Campaign{Slug: "free-assange", Name: "Again"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateCampaign with a taken slug: %v, want ErrConflict", err)
	}
	bySlug, err := e.s.CampaignBySlug(e.ctx, "free-assange")
	if err != nil || !cmp.Equal(c, bySlug) {
		t.Errorf("CampaignBySlug = %+v, %v; want %+v", bySlug, err, c)
	}
	byID, err := e.s.CampaignByID(e.ctx, c.ID)
	if err != nil || !cmp.Equal(c, byID) {
		t.Errorf("CampaignByID = %+v, %v; want %+v", byID, err, c)
	}
	if _, err := e.s.CampaignBySlug(e.ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CampaignBySlug(nope): %v, want ErrNotFound", err)
	}
	if _, err := e.s.CampaignByID(e.ctx, c.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CampaignByID(unknown): %v, want ErrNotFound", err)
	}
	testUpdateCampaign(t, e, c)
	testListCampaigns(t, e, c)
}

func testUpdateCampaign(t *testing.T, e *env, c store.Campaign) {
	up := store.Campaign{ID: 999, Slug: c.Slug, Name: "Free Him", Locale: "es", Timezone: "UTC", EmailFrom: "a@example.org",
		QuietHours: "off", SMSSkipOptOut: true, Contact: "info@example.org", SMSConfirmByReply: true}
	got, err := e.s.UpdateCampaign(e.ctx, up)
	if err != nil {
		t.Fatalf("UpdateCampaign: %v", err)
	}
	up.ID = c.ID
	if diff := cmp.Diff(up, got, ignoreClock()); diff != "" {
		t.Errorf("UpdateCampaign (-want +got):\n%s", diff)
	}
	if !got.CreatedAt.Equal(c.CreatedAt) {
		t.Errorf("UpdateCampaign changed CreatedAt from %v to %v", c.CreatedAt, got.CreatedAt)
	}
	if _, err := e.s.UpdateCampaign(e.ctx, store.Campaign{Slug: "nope", Name: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateCampaign(nope): %v, want ErrNotFound", err)
	}
}

func testListCampaigns(t *testing.T, e *env, first store.Campaign) {
	slugs := []string{first.Slug}
	for _, s := range []string{"b", "c", "d", "e"} {
		slugs = append(slugs, e.campaign("c-"+s).Slug)
	}
	tests := []struct {
		name  string
		limit int
		pages [][]string
	}{
		{"default limit", 0, [][]string{slugs}},
		{"pages of two", 2, [][]string{slugs[:2], slugs[2:4], slugs[4:]}},
		{"exact fit", 5, [][]string{slugs}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]string
			p := store.Page{Limit: tc.limit}
			for {
				cs, next, err := e.s.ListCampaigns(e.ctx, p)
				if err != nil {
					t.Fatalf("ListCampaigns: %v", err)
				}
				var page []string
				for _, c := range cs {
					page = append(page, c.Slug)
				}
				got = append(got, page)
				if p.Cursor = next; next == "" {
					break
				}
			}
			if diff := cmp.Diff(tc.pages, got); diff != "" {
				t.Errorf("pages (-want +got):\n%s", diff)
			}
		})
	}
	for _, cur := range []string{"zz!", "MA", "LTE"} { // not base64, "0", "-1"
		if _, _, err := e.s.ListCampaigns(e.ctx, store.Page{Cursor: cur}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("ListCampaigns(cursor %q): %v, want ErrBadCursor", cur, err)
		}
	}
}
