package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestFanoutPageKeepsEarlierRows rewinds an alert's checkpoint, as a fan-out
// that died after writing rows but before its checkpoint would leave it (a
// database without transactional DDL, or a future change that splits the
// transaction): the pages written again keep their rows and report them.
func TestFanoutPageKeepsEarlierRows(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "muster.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer func() { _ = s.Close() }()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	c, err := s.CreateCampaign(ctx, Campaign{Slug: "c", Name: "C"})
	if err != nil {
		t.Fatalf("CreateCampaign: %v", err)
	}
	var rows []SupporterUpsert
	for i := range 50 {
		rows = append(rows, SupporterUpsert{Supporter: Supporter{Email: fmt.Sprintf("s%d@example.org", i)},
			Subscriptions: []SubscriptionInput{{Channel: ChannelEmail, Status: SubActive}}})
	}
	if _, err := s.UpsertSupporters(ctx, c.ID, rows); err != nil {
		t.Fatalf("UpsertSupporters: %v", err)
	}
	a, _, err := s.CreateAlert(ctx, Alert{CampaignID: c.ID, Template: "t", Channels: []Channel{ChannelEmail}})
	if err != nil {
		t.Fatalf("CreateAlert: %v", err)
	}
	first := fanoutPages(t, s, a.ID, 3)
	if _, err := s.w.ExecContext(ctx, `UPDATE alerts SET fanout_cursor = 0, audience_size = 0 WHERE id = ?`, a.ID); err != nil {
		t.Fatalf("rewind: %v", err)
	}
	again := fanoutPages(t, s, a.ID, 100)
	if diff := cmp.Diff(first, again[:3]); diff != "" {
		t.Errorf("batches of the pages written again (-first +again):\n%s", diff)
	}
	var n, distinct int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*), count(DISTINCT supporter_id) FROM deliveries WHERE alert_id = ?`,
		a.ID).Scan(&n, &distinct); err != nil {
		t.Fatalf("count: %v", err)
	}
	if n != 50 || distinct != 50 {
		t.Errorf("%d deliveries for %d supporters, want 50 for 50", n, distinct)
	}
}

// fanoutPages runs up to pages pages of 10 supporters, and returns their batches.
func fanoutPages(t *testing.T, s *Store, alertID int64, pages int) []Batch {
	t.Helper()
	var batches []Batch
	for range pages {
		res, err := s.FanoutPage(t.Context(), alertID, 10, time.Unix(1, 0))
		if err != nil {
			t.Fatalf("FanoutPage: %v", err)
		}
		if res.Done {
			break
		}
		batches = append(batches, res.Batches...)
	}
	return batches
}
