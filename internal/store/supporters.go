package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

const supporterColumns = `s.id, COALESCE(s.email, ''), COALESCE(s.phone, ''), s.name, s.locale, s.country,
	s.timezone, s.created_at, s.updated_at`

const subscriptionColumns = `sub.supporter_id, sub.campaign_id, c.slug, sub.channel, sub.status, sub.source,
	sub.consent_text, sub.consent_ip, sub.reason, sub.created_at, sub.updated_at, sub.confirmed_at`

// SupporterByID returns a supporter with all their subscriptions, or ErrNotFound.
func (s *Store) SupporterByID(ctx context.Context, id int64) (Supporter, error) {
	sups, err := loadSupporters(ctx, s.read(), []int64{id}, 0)
	if err == nil && len(sups) == 0 {
		return Supporter{}, fmt.Errorf("store: supporter by id: %w", ErrNotFound)
	}
	if err != nil {
		return Supporter{}, s.wrap("supporter by id", err)
	}
	return sups[0], nil
}

// ListSupporters returns a page of a campaign's supporters (with their
// subscriptions to that campaign) by id, and the next cursor.
func (s *Store) ListSupporters(ctx context.Context, campaignID int64, f SupporterFilter, p Page) ([]Supporter, string, error) {
	after, err := p.after()
	if err != nil {
		return nil, "", err
	}
	ids, err := s.campaignSupporterIDs(ctx, campaignID, f, after, p.limit()+1)
	if err != nil {
		return nil, "", s.wrap("list supporters", err)
	}
	ids, next := nextCursor(ids, p.limit(), func(id int64) int64 { return id })
	sups, err := loadSupporters(ctx, s.read(), ids, campaignID)
	if err != nil {
		return nil, "", s.wrap("list supporters", err)
	}
	return sups, next, nil
}

// campaignSupporterIDs returns, in order, up to limit ids after after of the
// supporters subscribed to the campaign that match f.
func (s *Store) campaignSupporterIDs(ctx context.Context, campaignID int64, f SupporterFilter, after int64, limit int) ([]int64, error) {
	var w where
	w.and("sub.campaign_id = ?", campaignID)
	w.and("sub.supporter_id > ?", after)
	if f.Channel != "" {
		w.and("sub.channel = ?", f.Channel)
	}
	if f.Status != "" {
		w.and("sub.status = ?", f.Status)
	}
	if f.Country != "" {
		w.and("s.country = ?", f.Country)
	}
	if f.Tag != "" {
		w.and("EXISTS (SELECT 1 FROM supporter_tags t WHERE t.supporter_id = sub.supporter_id AND t.tag = ?)",
			strings.ToLower(f.Tag))
	}
	rows, err := s.read().query(ctx, `SELECT sub.supporter_id FROM subscriptions sub
		JOIN supporters s ON s.id = sub.supporter_id WHERE `+w.sql()+`
		GROUP BY sub.supporter_id ORDER BY sub.supporter_id LIMIT ?`, append(w.args, limit)...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanID)
}

// loadSupporters returns the supporters with those ids, in id order, with their
// tags and their subscriptions (to campaignID only, unless it is 0).
func loadSupporters(ctx context.Context, c conn, ids []int64, campaignID int64) ([]Supporter, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := c.query(ctx, `SELECT `+supporterColumns+` FROM supporters s WHERE s.id IN (`+
		placeholders(len(ids))+`) ORDER BY s.id`, int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	sups, err := collect(rows, scanSupporter)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Supporter, len(sups))
	for i := range sups {
		byID[sups[i].ID] = &sups[i]
	}
	if err := loadTags(ctx, c, ids, byID); err != nil {
		return nil, err
	}
	return sups, loadSubscriptions(ctx, c, ids, campaignID, byID)
}

func loadTags(ctx context.Context, c conn, ids []int64, byID map[int64]*Supporter) error {
	rows, err := c.query(ctx, `SELECT supporter_id, tag FROM supporter_tags WHERE supporter_id IN (`+
		placeholders(len(ids))+`) ORDER BY supporter_id, tag`, int64Args(ids)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return err
		}
		if sup := byID[id]; sup != nil {
			sup.Tags = append(sup.Tags, tag)
		}
	}
	return rows.Err()
}

func loadSubscriptions(ctx context.Context, c conn, ids []int64, campaignID int64, byID map[int64]*Supporter) error {
	var w where
	w.and("sub.supporter_id IN ("+placeholders(len(ids))+")", int64Args(ids)...)
	if campaignID != 0 {
		w.and("sub.campaign_id = ?", campaignID)
	}
	rows, err := c.query(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions sub
		JOIN campaigns c ON c.id = sub.campaign_id WHERE `+w.sql(), w.args...)
	if err != nil {
		return err
	}
	subs, err := collect(rows, scanSubscription)
	if err != nil {
		return err
	}
	sort.Slice(subs, func(i, j int) bool { return subLess(subs[i], subs[j]) })
	for _, sub := range subs {
		if sup := byID[sub.SupporterID]; sup != nil {
			sup.Subscriptions = append(sup.Subscriptions, sub)
		}
	}
	return nil
}

// subLess orders subscriptions by campaign, then channel.
func subLess(a, b Subscription) bool {
	if a.CampaignID != b.CampaignID {
		return a.CampaignID < b.CampaignID
	}
	return a.Channel < b.Channel
}

func scanSupporter(r scanner) (Supporter, error) {
	var s Supporter
	var created, updated int64
	err := r.Scan(&s.ID, &s.Email, &s.Phone, &s.Name, &s.Locale, &s.Country, &s.Timezone, &created, &updated)
	s.CreatedAt, s.UpdatedAt = fromMS(created), fromMS(updated)
	return s, err
}

func scanSubscription(r scanner) (Subscription, error) {
	var s Subscription
	var created, updated, confirmed int64
	err := r.Scan(&s.SupporterID, &s.CampaignID, &s.CampaignSlug, &s.Channel, &s.Status, &s.Source,
		&s.ConsentText, &s.ConsentIP, &s.Reason, &created, &updated, &confirmed)
	s.CreatedAt, s.UpdatedAt, s.ConfirmedAt = fromMS(created), fromMS(updated), fromMS(confirmed)
	return s, err
}

func scanID(r scanner) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}
