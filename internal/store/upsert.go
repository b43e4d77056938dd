package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// UpsertSupporters creates or updates supporters of a campaign in one transaction.
// A supporter is matched by email, else by phone; an email and a phone that belong
// to two different supporters is ErrConflict for that row. Non-empty fields
// overwrite, tags are added to the existing ones, and the subscriptions asked for
// are created (see SubscriptionInput for how existing ones change).
func (s *Store) UpsertSupporters(ctx context.Context, campaignID int64, in []SupporterUpsert) ([]UpsertResult, error) {
	results := make([]UpsertResult, len(in))
	err := s.inTx(ctx, func(c conn) error {
		if err := c.queryRow(ctx, `SELECT id FROM campaigns WHERE id = ?`, campaignID).Scan(new(int64)); err != nil {
			return err
		}
		u, err := prepareUpserter(ctx, c, campaignID, s.nowMS())
		if u != nil {
			u.hash = s.contactHash
		}
		if err != nil {
			return err
		}
		defer u.close()
		for i, row := range in {
			row.Supporter.Email = canonicalContact(ChannelEmail, row.Supporter.Email)
			if results[i], err = u.upsert(ctx, row); err != nil {
				return err
			}
		}
		return fillResults(ctx, c, campaignID, results)
	})
	if err != nil {
		return nil, s.wrap("upsert supporters", err)
	}
	return results, nil
}

// upserter holds the statements of one UpsertSupporters call, prepared once for the batch.
type upserter struct {
	campaignID int64
	now        int64
	byEmail    *sql.Stmt
	byPhone    *sql.Stmt
	insert     *sql.Stmt
	update     *sql.Stmt
	tag        *sql.Stmt
	subscribe  *sql.Stmt
	listed     *sql.Stmt
	standing   *sql.Stmt
	hash       func(Channel, string) []byte
}

func prepareUpserter(ctx context.Context, c conn, campaignID, now int64) (*upserter, error) {
	u := &upserter{campaignID: campaignID, now: now}
	stmts := []struct {
		dst   **sql.Stmt
		query string
	}{
		{&u.byEmail, `SELECT id FROM supporters WHERE email = ?`},
		{&u.byPhone, `SELECT id FROM supporters WHERE phone = ?`},
		{&u.insert, `INSERT INTO supporters (email, phone, name, locale, country, timezone, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		{&u.update, `UPDATE supporters SET email = COALESCE(?, email), phone = COALESCE(?, phone),
			name = COALESCE(NULLIF(?, ''), name), locale = COALESCE(NULLIF(?, ''), locale),
			country = COALESCE(NULLIF(?, ''), country), timezone = COALESCE(NULLIF(?, ''), timezone),
			updated_at = ? WHERE id = ?`},
		{&u.tag, `INSERT INTO supporter_tags (supporter_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`},
		{&u.subscribe, subscribeSQL},
		{&u.listed, listedSQL},
		{&u.standing, standingSQL},
	}
	for _, st := range stmts {
		stmt, err := c.prepare(ctx, st.query) //nolint:sqlclosecheck // closed by u.close when the batch ends
		if err != nil {
			u.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		*st.dst = stmt
	}
	return u, nil
}

// subscribeSQL creates a subscription, or promotes a pending one to active when
// active is asked for (taking the new consent evidence, when there is some).
// Active subscriptions are left as they are, and so are unsubscribed and
// suppressed ones; so is a pending one that waits for the person's own act
// (its reason says what they had ended: see Join): an organizer never lifts
// what a person stopped.
const subscribeSQL = `INSERT INTO subscriptions (campaign_id, supporter_id, channel, status, source,
	consent_text, consent_ip, reason, created_at, updated_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (campaign_id, supporter_id, channel) DO UPDATE SET status = excluded.status,
		source = COALESCE(NULLIF(excluded.source, ''), subscriptions.source),
		consent_text = COALESCE(NULLIF(excluded.consent_text, ''), subscriptions.consent_text),
		consent_ip = COALESCE(NULLIF(excluded.consent_ip, ''), subscriptions.consent_ip),
		updated_at = excluded.updated_at, confirmed_at = excluded.confirmed_at
	WHERE subscriptions.status = 'pending' AND subscriptions.reason = '' AND excluded.status = 'active'`

func (u *upserter) close() {
	for _, st := range []*sql.Stmt{u.byEmail, u.byPhone, u.insert, u.update, u.tag, u.subscribe, u.listed, u.standing} {
		if st != nil {
			_ = st.Close() // closing a statement of a transaction that ends anyway
		}
	}
}

// upsert applies one row. Bad input and conflicts are the row's Err; an error
// returned is the database's, and fails the batch.
func (u *upserter) upsert(ctx context.Context, row SupporterUpsert) (UpsertResult, error) {
	if err := validateUpsert(row); err != nil {
		return UpsertResult{Err: err}, nil //nolint:nilerr // a bad row is that row's error, not the batch's
	}
	id, err := u.match(ctx, row.Supporter)
	if err != nil {
		return UpsertResult{}, err
	}
	if id == twoSupporters {
		return UpsertResult{Err: fmt.Errorf("store: upsert supporter: email and phone belong to two supporters: %w",
			ErrConflict)}, nil
	}
	created := id == 0
	if id, err = u.save(ctx, id, row.Supporter); err != nil {
		return UpsertResult{}, err
	}
	if err := u.addTags(ctx, id, row.Supporter.Tags); err != nil {
		return UpsertResult{}, err
	}
	for _, in := range row.Subscriptions {
		if err := u.subscribeTo(ctx, id, created, in, contactOf(row.Supporter, in.Channel)); err != nil {
			return UpsertResult{}, err
		}
	}
	return UpsertResult{Supporter: Supporter{ID: id}, Created: created}, nil
}

func validateUpsert(row SupporterUpsert) error {
	if row.Supporter.Email == "" && row.Supporter.Phone == "" {
		return errors.New("store: upsert supporter: an email or a phone is needed")
	}
	for _, in := range row.Subscriptions {
		if !in.Channel.Valid() {
			return fmt.Errorf("store: upsert supporter: unknown channel %q", in.Channel)
		}
		if in.Status != SubActive && in.Status != SubPending {
			return fmt.Errorf("store: upsert supporter: a subscription starts active or pending, not %q", in.Status)
		}
	}
	return nil
}

// twoSupporters is what match returns when the email and the phone belong to two supporters.
const twoSupporters = -1

// match returns the id of the supporter with the email, else the phone: 0 for
// none, twoSupporters when they belong to two different supporters.
func (u *upserter) match(ctx context.Context, sup Supporter) (int64, error) {
	byEmail, err := lookup(ctx, u.byEmail, sup.Email)
	if err != nil {
		return 0, err
	}
	byPhone, err := lookup(ctx, u.byPhone, sup.Phone)
	if err != nil {
		return 0, err
	}
	if byEmail != 0 && byPhone != 0 && byEmail != byPhone {
		return twoSupporters, nil
	}
	return max(byEmail, byPhone), nil
}

// lookup returns the id stmt finds for a non-empty value, or 0.
func lookup(ctx context.Context, stmt *sql.Stmt, value string) (int64, error) {
	if value == "" {
		return 0, nil
	}
	var id int64
	err := stmt.QueryRowContext(ctx, value).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// save creates the supporter when id is 0, else overwrites its non-empty fields.
func (u *upserter) save(ctx context.Context, id int64, sup Supporter) (int64, error) {
	if id == 0 {
		err := u.insert.QueryRowContext(ctx, nullable(sup.Email), nullable(sup.Phone), sup.Name, sup.Locale,
			sup.Country, sup.Timezone, u.now, u.now).Scan(&id)
		return id, err
	}
	_, err := u.update.ExecContext(ctx, nullable(sup.Email), nullable(sup.Phone), sup.Name, sup.Locale,
		sup.Country, sup.Timezone, u.now, id)
	return id, err
}

func (u *upserter) addTags(ctx context.Context, id int64, tags []string) error {
	for _, tag := range tags {
		tag = strings.ToLower(strings.TrimSpace(tag))
		if tag == "" {
			continue
		}
		if _, err := u.tag.ExecContext(ctx, id, tag); err != nil {
			return err
		}
	}
	return nil
}

// subscribeTo subscribes the supporter. A contact held back on the channel (in
// the suppression list, or whose other subscriptions a STOP ended or a bounce
// suppressed) gets its new subscription ended from the start: an organizer's
// upsert never lifts what the person stopped. created says the supporter is
// new, with no subscription to look at.
func (u *upserter) subscribeTo(ctx context.Context, id int64, created bool, in SubscriptionInput, contact string) error {
	status, reason := in.Status, ""
	if contact != "" {
		subs := id
		if created {
			subs = 0
		}
		st, err := u.standingOf(ctx, subs, in.Channel, u.hash(in.Channel, contact))
		if err != nil {
			return err
		}
		if st.held() {
			status, reason = st.start()
		}
	}
	var confirmed int64
	if status == SubActive {
		confirmed = u.now
	}
	_, err := u.subscribe.ExecContext(ctx, u.campaignID, id, in.Channel, status, in.Source, in.ConsentText,
		in.ConsentIP, reason, u.now, u.now, confirmed)
	return err
}

// standingOf is standingOf on the upserter's prepared statements.
func (u *upserter) standingOf(ctx context.Context, supporterID int64, ch Channel, hash []byte) (standing, error) {
	return standingStmts{listed: u.listed.QueryRowContext, subs: u.standing.QueryRowContext}.standingOf(ctx, supporterID, ch, hash)
}

// contactOf is the supporter's address or number for a channel.
func contactOf(s Supporter, ch Channel) string {
	if ch == ChannelSMS {
		return s.Phone
	}
	return s.Email
}

// fillResults loads the supporters of the rows that applied, with their
// subscriptions to the campaign.
func fillResults(ctx context.Context, c conn, campaignID int64, results []UpsertResult) error {
	var ids []int64
	for _, r := range results {
		if r.Err == nil {
			ids = append(ids, r.Supporter.ID)
		}
	}
	sups, err := loadSupporters(ctx, c, ids, campaignID)
	if err != nil {
		return err
	}
	byID := make(map[int64]Supporter, len(sups))
	for _, sup := range sups {
		byID[sup.ID] = sup
	}
	for i := range results {
		if results[i].Err == nil {
			results[i].Supporter = byID[results[i].Supporter.ID]
		}
	}
	return nil
}
