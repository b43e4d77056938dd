package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/store/storetest"
)

// openSQLite opens a migrated store on a new SQLite file in the test's directory.
func openSQLite(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "db", "muster.db"), store.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *store.Store { return openSQLite(t) })
}

func TestOpenSQLiteFileAgain(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "a", "b", "muster.db")
	for i := range 2 {
		s, err := store.Open(ctx, "sqlite:"+path, store.Options{})
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
		if i == 0 {
			if _, err := s.CreateCampaign(ctx, store.Campaign{Slug: "kept", Name: "Kept"}); err != nil {
				t.Fatalf("CreateCampaign: %v", err)
			}
		} else if _, err := s.CampaignBySlug(ctx, "kept"); err != nil {
			t.Errorf("CampaignBySlug after reopening: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	tests := []struct{ name, url string }{
		{"postgres", "postgres://muster:secret@localhost/muster"},
		{"unknown scheme", "mysql://localhost/muster"},
		{"no path", "sqlite:"},
		{"memory", "sqlite::memory:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(context.Background(), tc.url, store.Options{})
			if err == nil {
				_ = s.Close()
				t.Fatalf("Open(%q) succeeded", tc.url)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("Open(%q) error shows the password: %v", tc.url, err)
			}
		})
	}
}
