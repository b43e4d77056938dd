package store

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMigrateFromFirstVersion upgrades a database that ran only the first
// migration, as databases in the wild did, and checks the indexes of deliveries.
func TestMigrateFromFirstVersion(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "muster.db"), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer func() { _ = s.Close() }()
	ms, err := loadMigrations(s.d.migrations)
	if err != nil || len(ms) < 2 || ms[0].version != 1 {
		t.Fatalf("loadMigrations = %d migrations, %v; want 1 and more", len(ms), err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		t.Fatalf("create schema_migrations: %v", err)
	}
	if err := s.inTx(ctx, func(c conn) error { return s.apply(ctx, c, ms[0]) }); err != nil {
		t.Fatalf("apply %s: %v", ms[0].name, err)
	}
	if _, err := s.w.ExecContext(ctx, `INSERT INTO campaigns (slug, name, created_at, updated_at)
		VALUES ('kept', 'Kept', 1, 1)`); err != nil {
		t.Fatalf("insert a campaign: %v", err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	got, err := s.CampaignBySlug(ctx, "kept")
	if err != nil || got.Name != "Kept" || got.QuietHours != "" || got.SMSSkipOptOut {
		t.Errorf("CampaignBySlug after Migrate = %+v, %v; want the campaign with default settings", got, err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT name FROM sqlite_master
		WHERE type = 'index' AND tbl_name = 'deliveries' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatalf("list indexes: %v", err)
	}
	names, err := collect(rows, func(r scanner) (string, error) {
		var name string
		return name, r.Scan(&name)
	})
	want := []string{"deliveries_alert_status", "deliveries_provider_sms", "deliveries_queued_due", "deliveries_supporter"}
	if diff := cmp.Diff(want, names); err != nil || diff != "" {
		t.Errorf("indexes of deliveries: %v (-want +got):\n%s", err, diff)
	}
}
