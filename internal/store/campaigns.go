package store

import (
	"context"
)

const campaignColumns = `id, slug, name, locale, timezone, email_from, email_reply_to, sms_from,
	sms_messaging_service_sid, footer, quiet_hours, sms_skip_opt_out, contact, sms_warning, sms_confirm_by_reply,
	created_at, updated_at`

// CreateCampaign stores a new campaign; ErrConflict if the slug is taken.
func (s *Store) CreateCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	now := s.nowMS()
	row := s.write().queryRow(ctx, `INSERT INTO campaigns (slug, name, locale, timezone, email_from,
		email_reply_to, sms_from, sms_messaging_service_sid, footer, quiet_hours, sms_skip_opt_out, contact,
		sms_confirm_by_reply, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+campaignColumns,
		c.Slug, c.Name, c.Locale, c.Timezone, c.EmailFrom, c.EmailReplyTo, c.SMSFrom, c.SMSMessagingServiceSID,
		c.Footer, c.QuietHours, boolInt(c.SMSSkipOptOut), c.Contact, boolInt(c.SMSConfirmByReply), now, now)
	c, err := scanCampaign(row)
	return c, s.wrap("create campaign", err)
}

// CampaignBySlug returns the campaign with that slug, or ErrNotFound.
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (Campaign, error) {
	c, err := scanCampaign(s.read().queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE slug = ?`, slug))
	return c, s.wrap("campaign by slug", err)
}

// CampaignByID returns the campaign with that id, or ErrNotFound.
func (s *Store) CampaignByID(ctx context.Context, id int64) (Campaign, error) {
	c, err := scanCampaign(s.read().queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, id))
	return c, s.wrap("campaign by id", err)
}

// ListCampaigns returns a page of campaigns by id, and the cursor of the next page ("" on the last).
func (s *Store) ListCampaigns(ctx context.Context, p Page) ([]Campaign, string, error) {
	after, err := p.after()
	if err != nil {
		return nil, "", err
	}
	rows, err := s.read().query(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id > ? ORDER BY id LIMIT ?`,
		after, p.limit()+1)
	if err != nil {
		return nil, "", s.wrap("list campaigns", err)
	}
	cs, err := collect(rows, scanCampaign)
	if err != nil {
		return nil, "", s.wrap("list campaigns", err)
	}
	cs, next := nextCursor(cs, p.limit(), func(c Campaign) int64 { return c.ID })
	return cs, next, nil
}

// UpdateCampaign overwrites the campaign with c.Slug (every field but ID, Slug, CreatedAt).
func (s *Store) UpdateCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	row := s.write().queryRow(ctx, `UPDATE campaigns SET name = ?, locale = ?, timezone = ?, email_from = ?,
		email_reply_to = ?, sms_from = ?, sms_messaging_service_sid = ?, footer = ?, quiet_hours = ?,
		sms_skip_opt_out = ?, contact = ?, sms_confirm_by_reply = ?, updated_at = ?
		WHERE slug = ? RETURNING `+campaignColumns,
		c.Name, c.Locale, c.Timezone, c.EmailFrom, c.EmailReplyTo, c.SMSFrom, c.SMSMessagingServiceSID,
		c.Footer, c.QuietHours, boolInt(c.SMSSkipOptOut), c.Contact, boolInt(c.SMSConfirmByReply), s.nowMS(), c.Slug)
	c, err := scanCampaign(row)
	return c, s.wrap("update campaign", err)
}

func scanCampaign(r scanner) (Campaign, error) {
	var c Campaign
	var created, updated, skipOptOut, confirmByReply int64
	err := r.Scan(&c.ID, &c.Slug, &c.Name, &c.Locale, &c.Timezone, &c.EmailFrom, &c.EmailReplyTo, &c.SMSFrom,
		&c.SMSMessagingServiceSID, &c.Footer, &c.QuietHours, &skipOptOut, &c.Contact, &c.SMSWarning, &confirmByReply, &created, &updated)
	c.SMSConfirmByReply = confirmByReply != 0
	c.CreatedAt, c.UpdatedAt, c.SMSSkipOptOut = fromMS(created), fromMS(updated), skipOptOut != 0
	return c, err
}

// CampaignBySMSSender returns the campaign that sends from number or through
// the Messaging Service sid (the To and MessagingServiceSid of an inbound
// SMS), the oldest when several share it; ErrNotFound when none does.
func (s *Store) CampaignBySMSSender(ctx context.Context, number, serviceSID string) (Campaign, error) {
	c, err := scanCampaign(s.read().queryRow(ctx, `SELECT `+campaignColumns+` FROM campaigns
		WHERE (sms_from = ? AND sms_from <> '') OR (sms_messaging_service_sid = ? AND sms_messaging_service_sid <> '')
		ORDER BY id LIMIT 1`, number, serviceSID))
	return c, s.wrap("campaign by sms sender", err)
}
