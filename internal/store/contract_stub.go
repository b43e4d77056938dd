package store

// THIS FILE IS A TEMPORARY CONTRACT: every exported method the rest of Muster
// uses, with stub bodies. The store implementation replaces it file by file
// (keeping these signatures and doc comments) and then deletes it.

import (
	"context"
	"time"
)

// Store is the source of truth: every SQL statement of Muster lives behind it.
type Store struct{}

// Options tunes a Store.
type Options struct {
	// Now is the clock used for created/updated timestamps; nil means time.Now.
	Now func() time.Time
}

// Open opens the database named by url ("sqlite:PATH"; "postgres://..." later),
// creating the SQLite file and its directory if needed. It does not migrate.
func Open(ctx context.Context, url string, opts Options) (*Store, error) { panic("stub") }

// Migrate creates or upgrades the schema; each numbered migration runs in a transaction.
func (s *Store) Migrate(ctx context.Context) error { panic("stub") }

// Close closes the database.
func (s *Store) Close() error { panic("stub") }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { panic("stub") }

// CreateAPIKey stores a key by the SHA-256 hash of its secret. ErrConflict if the name is taken.
func (s *Store) CreateAPIKey(ctx context.Context, name string, role Role, hash []byte) (APIKey, error) {
	panic("stub")
}

// APIKeyByHash returns the unrevoked key with that hash, or ErrNotFound, and notes its use.
func (s *Store) APIKeyByHash(ctx context.Context, hash []byte) (APIKey, error) { panic("stub") }

// ListAPIKeys lists every key, revoked ones included, by name.
func (s *Store) ListAPIKeys(ctx context.Context) ([]APIKey, error) { panic("stub") }

// RevokeAPIKey revokes the key with that name; ErrNotFound if none is active.
func (s *Store) RevokeAPIKey(ctx context.Context, name string) error { panic("stub") }

// CreateCampaign stores a new campaign; ErrConflict if the slug is taken.
func (s *Store) CreateCampaign(ctx context.Context, c Campaign) (Campaign, error) { panic("stub") }

// CampaignBySlug returns the campaign with that slug, or ErrNotFound.
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (Campaign, error) { panic("stub") }

// CampaignByID returns the campaign with that id, or ErrNotFound.
func (s *Store) CampaignByID(ctx context.Context, id int64) (Campaign, error) { panic("stub") }

// ListCampaigns returns a page of campaigns by id, and the cursor of the next page ("" on the last).
func (s *Store) ListCampaigns(ctx context.Context, p Page) ([]Campaign, string, error) {
	panic("stub")
}

// UpdateCampaign overwrites the campaign with c.Slug (every field but ID, Slug, CreatedAt).
func (s *Store) UpdateCampaign(ctx context.Context, c Campaign) (Campaign, error) { panic("stub") }

// UpsertSupporters creates or updates supporters of a campaign in one transaction.
// A supporter is matched by email, else by phone; an email and a phone that belong
// to two different supporters is ErrConflict for that row. Non-empty fields
// overwrite, tags are added to the existing ones, and the subscriptions asked for
// are created (see SubscriptionInput for how existing ones change).
func (s *Store) UpsertSupporters(ctx context.Context, campaignID int64, in []SupporterUpsert) ([]UpsertResult, error) {
	panic("stub")
}

// SupporterByID returns a supporter with all their subscriptions, or ErrNotFound.
func (s *Store) SupporterByID(ctx context.Context, id int64) (Supporter, error) { panic("stub") }

// ListSupporters returns a page of a campaign's supporters (with their
// subscriptions to that campaign) by id, and the next cursor.
func (s *Store) ListSupporters(ctx context.Context, campaignID int64, f SupporterFilter, p Page) ([]Supporter, string, error) {
	panic("stub")
}

// CreateAlert stores a new alert (Status scheduled). When IdempotencyKey is set and
// an alert of the campaign already has it, that alert is returned with created false.
func (s *Store) CreateAlert(ctx context.Context, a Alert) (Alert, bool, error) { panic("stub") }

// AlertByID returns the alert, or ErrNotFound.
func (s *Store) AlertByID(ctx context.Context, id int64) (Alert, error) { panic("stub") }

// AlertCounts counts the alert's deliveries by channel and status.
func (s *Store) AlertCounts(ctx context.Context, id int64) (map[Channel]map[DeliveryStatus]int64, error) {
	panic("stub")
}

// ListDeliveries returns a page of the alert's deliveries by id, and the next cursor.
func (s *Store) ListDeliveries(ctx context.Context, alertID int64, f DeliveryFilter, p Page) ([]Delivery, string, error) {
	panic("stub")
}

// CancelAlert marks a scheduled or sending alert cancelled and its queued
// deliveries cancelled. A final alert is returned unchanged.
func (s *Store) CancelAlert(ctx context.Context, id int64, now time.Time) (Alert, error) {
	panic("stub")
}

// StartAlert moves a scheduled alert to sending (no-op otherwise) and touches UpdatedAt.
func (s *Store) StartAlert(ctx context.Context, id int64, now time.Time) error { panic("stub") }

// FanoutPage records, in one transaction, the deliveries of the next page of at most
// limit supporters of the alert's audience after its checkpoint (active subscriptions
// on the alert's channels, audience filters applied), advances the checkpoint, adds
// the page to AudienceSize and touches UpdatedAt. Rows that already exist (a resumed
// fan-out) are kept as they are and still reported in the batches. An empty page marks
// the alert fanned out and returns Done.
func (s *Store) FanoutPage(ctx context.Context, alertID int64, limit int, now time.Time) (FanoutResult, error) {
	panic("stub")
}

// ClaimDeliveries moves to sending, and returns, up to limit deliveries of the batch
// (in id order) that are due: queued with NextAttemptAt <= now, or sending with
// UpdatedAt before staleBefore (a process died holding them: those come back with
// Ambiguous set). Attempts is incremented.
func (s *Store) ClaimDeliveries(ctx context.Context, b Batch, limit int, now, staleBefore time.Time) ([]Claim, error) {
	panic("stub")
}

// RecordResults writes the outcomes of claimed deliveries, and their suppressions,
// in one transaction. Only deliveries still in sending are changed.
func (s *Store) RecordResults(ctx context.Context, rs []Result) error { panic("stub") }

// FinishQueued moves every queued delivery of the batch to a final status
// (expired, cancelled, or failed with the given error), and returns how many moved.
func (s *Store) FinishQueued(ctx context.Context, b Batch, r Result) (int64, error) { panic("stub") }

// BatchPending tells how many deliveries of the batch are still queued or sending,
// and the earliest NextAttemptAt of the queued ones.
func (s *Store) BatchPending(ctx context.Context, b Batch) (int64, time.Time, error) { panic("stub") }

// BlockChannel records a configuration error that stops the alert's channel.
func (s *Store) BlockChannel(ctx context.Context, alertID int64, ch Channel, reason string, now time.Time) error {
	panic("stub")
}

// FinishAlert marks a sending alert completed when it is fanned out and none of its
// deliveries is pending (expired instead when any delivery expired), and reports
// whether it did.
func (s *Store) FinishAlert(ctx context.Context, id int64, now time.Time) (bool, error) {
	panic("stub")
}

// ExpireAlerts ends every scheduled or sending alert whose ExpiresAt is at or before
// now: its queued deliveries become expired, and the alert expired. It returns their ids.
func (s *Store) ExpireAlerts(ctx context.Context, now time.Time) ([]int64, error) { panic("stub") }

// StalledFanouts returns the scheduled or sending alerts due by now, not fanned
// out, whose UpdatedAt is before staleBefore.
func (s *Store) StalledFanouts(ctx context.Context, now, staleBefore time.Time, limit int) ([]Alert, error) {
	panic("stub")
}

// StalledBatches groups into batches of at most size ids the deliveries nobody is
// working on: queued with NextAttemptAt before dueBefore, or sending with UpdatedAt
// before staleBefore; alerts in final status are skipped. At most limit batches.
func (s *Store) StalledBatches(ctx context.Context, dueBefore, staleBefore time.Time, size, limit int) ([]Batch, error) {
	panic("stub")
}

// UnfinishedAlerts returns sending alerts that are fanned out, to be checked by FinishAlert.
func (s *Store) UnfinishedAlerts(ctx context.Context, limit int) ([]int64, error) { panic("stub") }
