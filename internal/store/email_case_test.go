package store

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// beforeEmailCase opens a store whose schema stops before the migration that
// folds addresses, as databases in the wild are.
func beforeEmailCase(t *testing.T) *Store {
	t.Helper()
	ctx := t.Context()
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "muster.db"), Options{ContactKey: []byte("test key")})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	ms, err := loadMigrations(s.d.migrations)
	if err != nil {
		t.Fatalf("loadMigrations: %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		t.Fatalf("create schema_migrations: %v", err)
	}
	for _, m := range ms {
		if m.version >= emailCaseVersion {
			break
		}
		if err := s.inTx(ctx, func(c conn) error { return s.apply(ctx, c, m) }); err != nil {
			t.Fatalf("apply %s: %v", m.name, err)
		}
	}
	return s
}

// exec runs statements of a test's fixture.
func exec(t *testing.T, s *Store, query string, args ...any) {
	t.Helper()
	if _, err := s.w.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// emailCaseFixture stores supporters whose addresses differ only by case:
//
//	1 Ana@Example.org  no phone, name Ana, tag a      (the oldest: kept)
//	2 ana@example.org  +33612345678, locale fr, tag b (its phone goes to 1)
//	3 ANA@example.org  +447400123456, tag c           (keeps its own phone: stays, phone only)
//	4 Bo@Example.org   alone                           (folded only)
//	5 Ünal@example.org and 6 ünal@example.org          (folded beyond ASCII, merged)
func emailCaseFixture(t *testing.T, s *Store) {
	exec(t, s, `INSERT INTO campaigns (id, slug, name, created_at, updated_at) VALUES
		(1, 'c1', 'C1', 1, 1), (2, 'c2', 'C2', 1, 1), (3, 'c3', 'C3', 1, 1), (4, 'c4', 'C4', 1, 1)`)
	exec(t, s, `INSERT INTO supporters (id, email, phone, name, locale, created_at, updated_at) VALUES
		(1, 'Ana@Example.org', NULL, 'Ana', '', 1, 1),
		(2, 'ana@example.org', '+33612345678', '', 'fr', 2, 2),
		(3, 'ANA@example.org', '+447400123456', '', '', 3, 3),
		(4, 'Bo@Example.org', NULL, 'Bo', '', 4, 4),
		(5, 'Ünal@example.org', NULL, '', '', 5, 5),
		(6, 'ünal@example.org', NULL, 'Ünal', '', 6, 6)`)
	exec(t, s, `INSERT INTO supporter_tags (supporter_id, tag) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (2, 'a')`)
	exec(t, s, `INSERT INTO subscriptions (campaign_id, supporter_id, channel, status, source, consent_text, reason,
		created_at, updated_at) VALUES
		(1, 1, 'email', 'active', 'api', 'A1', '', 1, 1),
		(1, 2, 'email', 'unsubscribed', 'form', 'A2', 'unsubscribe_link', 2, 2),
		(1, 3, 'email', 'pending', 'api', 'A3', '', 3, 3),
		(1, 2, 'sms', 'active', 'form', 'S2', '', 2, 2),
		(1, 3, 'sms', 'unsubscribed', 'form', 'S3', 'sms_stop', 3, 3),
		(2, 1, 'email', 'pending', 'api', 'B1', '', 1, 1),
		(2, 2, 'email', 'active', 'import', 'B2', '', 2, 2),
		(3, 1, 'email', 'unsubscribed', 'api', 'C1', 'unsubscribe_link', 1, 1),
		(3, 3, 'email', 'suppressed', 'api', 'C3', 'bounce 5.1.1', 3, 3),
		(4, 1, 'email', 'active', 'api', 'D1', '', 1, 1),
		(4, 2, 'email', 'active', 'api', 'D2', '', 2, 2),
		(1, 6, 'email', 'active', 'api', 'U6', '', 6, 6)`)
	exec(t, s, `INSERT INTO alerts (id, campaign_id, status, channels, created_at, updated_at) VALUES
		(1, 1, 'completed', 'email,sms', 1, 1), (2, 2, 'sending', 'email', 1, 1)`)
	exec(t, s, `INSERT INTO deliveries (id, alert_id, supporter_id, channel, status, created_at, updated_at) VALUES
		(1, 1, 1, 'email', 'sent', 1, 1),
		(2, 1, 2, 'email', 'delivered', 1, 1),
		(3, 1, 3, 'email', 'failed', 1, 1),
		(4, 1, 2, 'sms', 'sent', 1, 1),
		(5, 1, 3, 'sms', 'sent', 1, 1),
		(6, 2, 2, 'email', 'queued', 1, 1)`)
	key := func(c string) []byte { return s.rawContactHash(ChannelEmail, c) }
	exec(t, s, `INSERT INTO suppressions (contact_hash, channel, reason, created_at) VALUES
		(?, 'email', 'bounce 5.1.1', 7), (?, 'email', 'erased after leaving', 8)`,
		key("Bo@Example.org"), key("Gone@Example.org"))
}

func TestMigrateFoldsAndMergesEmails(t *testing.T) {
	ctx := t.Context()
	s := beforeEmailCase(t)
	emailCaseFixture(t, s)
	before := deliveryCounts(t, s)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}

	type sub struct{ Campaign, Channel, Status, Consent string }
	type view struct {
		Email, Phone, Name, Locale string
		Tags                       []string
		Subs                       []sub
	}
	look := func(id int64) (view, error) {
		sup, err := s.SupporterByID(ctx, id)
		v := view{Email: sup.Email, Phone: sup.Phone, Name: sup.Name, Locale: sup.Locale, Tags: sup.Tags}
		for _, x := range sup.Subscriptions {
			v.Subs = append(v.Subs, sub{x.CampaignSlug, string(x.Channel), string(x.Status), x.ConsentText})
		}
		return v, err
	}
	want := map[int64]view{
		1: {Email: "ana@example.org", Phone: "+33612345678", Name: "Ana", Locale: "fr", Tags: []string{"a", "b", "c"},
			Subs: []sub{
				{"c1", "email", "unsubscribed", "A2"}, // a stop wins, with its own evidence
				{"c1", "sms", "active", "S2"},         // the phone came with its subscription
				{"c2", "email", "active", "B2"},       // active over pending
				{"c3", "email", "suppressed", "C3"},   // suppressed over unsubscribed
				{"c4", "email", "active", "D1"},       // a tie: the kept supporter's own
			}},
		3: {Phone: "+447400123456", Tags: []string{"c"}, Subs: []sub{{"c1", "sms", "unsubscribed", "S3"}}},
		4: {Email: "bo@example.org", Name: "Bo"},
		5: {Email: "ünal@example.org", Name: "Ünal", Subs: []sub{{"c1", "email", "active", "U6"}}},
	}
	for id, w := range want {
		got, err := look(id)
		if err != nil {
			t.Fatalf("supporter %d: %v", id, err)
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("supporter %d after the migration (-want +got):\n%s", id, diff)
		}
	}
	for _, id := range []int64{2, 6} {
		if _, err := s.SupporterByID(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("supporter %d after the merge: %v, want ErrNotFound", id, err)
		}
	}
	checkMergedDeliveries(t, s, before)
	checkRehashed(t, s)
	checkOldLinks(t, s)
}

// checkOldLinks checks that links sent before the merge reach the supporter
// kept: an unsubscribe link of the dropped 2, or of 3's email, ends 1's
// subscription; 3's own SMS stay its own.
func checkOldLinks(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		from, campaign, want int64
		ch                   Channel
	}{
		{from: 2, campaign: 4, ch: ChannelEmail, want: 1},
		{from: 3, campaign: 2, ch: ChannelEmail, want: 1},
		{from: 2, campaign: 1, ch: ChannelSMS, want: 1},
		{from: 3, campaign: 1, ch: ChannelSMS, want: 3},
	}
	for _, tt := range tests {
		sub, err := s.Unsubscribe(ctx, tt.from, tt.campaign, tt.ch, "unsubscribe_link", now)
		if err != nil || sub.SupporterID != tt.want || sub.Status != SubUnsubscribed {
			t.Errorf("Unsubscribe(%d, c%d, %s) = %+v, %v; want supporter %d unsubscribed",
				tt.from, tt.campaign, tt.ch, sub, err, tt.want)
		}
	}
}

// pairs runs a query of two columns, a key and a number, into a map.
func pairs[K comparable](t *testing.T, s *Store, query string) map[K]int64 {
	t.Helper()
	rows, err := s.r.QueryContext(t.Context(), query)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		k K
		n int64
	}
	list, err := collect(rows, func(r scanner) (pair, error) {
		var p pair
		return p, r.Scan(&p.k, &p.n)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[K]int64{}
	for _, p := range list {
		out[p.k] = p.n
	}
	return out
}

// deliveryCounts counts deliveries per alert, channel and status.
func deliveryCounts(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	return pairs[string](t, s, `SELECT alert_id || '/' || channel || '/' || status, count(*) FROM deliveries GROUP BY 1`)
}

// checkMergedDeliveries checks that counts hold and who each delivery belongs to.
func checkMergedDeliveries(t *testing.T, s *Store, before map[string]int64) {
	t.Helper()
	if diff := cmp.Diff(before, deliveryCounts(t, s)); diff != "" {
		t.Errorf("delivery counts changed (-before +after):\n%s", diff)
	}
	got := pairs[int64](t, s, `SELECT id, COALESCE(supporter_id, 0) FROM deliveries`)
	// Alert 1's email went to 1, 2 and 3: the kept supporter keeps its own, the
	// others stay without a supporter; 3's SMS went to its own number.
	want := map[int64]int64{1: 1, 2: 0, 3: 0, 4: 1, 5: 3, 6: 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries' supporters (-want +got):\n%s", diff)
	}
}

// checkRehashed checks the suppression list after folding: a stored address's
// stop holds under its folded form; an erased one's cannot be recovered.
func checkRehashed(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	for addr, want := range map[string]bool{"bo@example.org": true, "BO@example.ORG": true, "gone@example.org": false} {
		got, err := s.Suppressed(ctx, ChannelEmail, addr)
		if err != nil || got != want {
			t.Errorf("Suppressed(%q) = %v, %v; want %v", addr, got, err, want)
		}
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM suppressions WHERE contact_hash = ?`,
		s.rawContactHash(ChannelEmail, "Bo@Example.org")).Scan(&n); err != nil || n != 0 {
		t.Errorf("the hash of the unfolded address is still listed: %d, %v", n, err)
	}
}

// TestMigrateEmailCaseOnce checks the Go steps run with their migration only:
// a second Migrate changes nothing, and upserts match any case afterwards.
func TestMigrateEmailCaseOnce(t *testing.T) {
	ctx := t.Context()
	s := beforeEmailCase(t)
	emailCaseFixture(t, s)
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	}
	res, err := s.UpsertSupporters(ctx, 1, []SupporterUpsert{{Supporter: Supporter{Email: "ANA@EXAMPLE.ORG", Name: "A"}}})
	if err != nil || res[0].Err != nil || res[0].Created || res[0].Supporter.ID != 1 {
		t.Errorf("upsert of ANA@EXAMPLE.ORG = %+v, %v; want supporter 1, not created", res, err)
	}
	var tables int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_temp_master WHERE type = 'table'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("work tables left: %d, %v", tables, err)
	}
}
