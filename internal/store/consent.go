package store

import (
	"context"
	"time"
)

// subscriptionSQL selects one subscription with its campaign's slug.
const subscriptionSQL = `SELECT ` + subscriptionColumns + ` FROM subscriptions sub
	JOIN campaigns c ON c.id = sub.campaign_id
	WHERE sub.supporter_id = ? AND sub.campaign_id = ? AND sub.channel = ?`

// Subscription returns one subscription, or ErrNotFound.
func (s *Store) Subscription(ctx context.Context, supporterID, campaignID int64, ch Channel) (Subscription, error) {
	sub, err := scanSubscription(s.read().queryRow(ctx, subscriptionSQL, supporterID, campaignID, ch))
	return sub, s.wrap("subscription", err)
}

// ConfirmSubscription makes a pending subscription active (double opt-in) and
// returns it: the person followed the link their address received, which
// lifts the address's entry in the suppression list too, whatever ended it
// before. Confirming again, or confirming one that has ended since, changes
// nothing; ErrNotFound when there is no such subscription.
func (s *Store) ConfirmSubscription(ctx context.Context, supporterID, campaignID int64, ch Channel, now time.Time) (Subscription, error) {
	var sub Subscription
	err := s.inTx(ctx, func(c conn) error {
		res, err := c.exec(ctx, `UPDATE subscriptions SET status = 'active', reason = '', confirmed_at = ?, updated_at = ?
			WHERE supporter_id = ? AND campaign_id = ? AND channel = ? AND status = 'pending'`,
			ms(now), ms(now), supporterID, campaignID, ch)
		if err != nil {
			return err
		}
		if sub, err = scanSubscription(c.queryRow(ctx, subscriptionSQL, supporterID, campaignID, ch)); err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.unsuppressSupporter(ctx, c, supporterID, ch)
	})
	return sub, s.wrap("confirm subscription", err)
}

// unsuppressSupporter removes the supporter's address or number on ch from
// the suppression list.
func (s *Store) unsuppressSupporter(ctx context.Context, c conn, supporterID int64, ch Channel) error {
	sup, err := scanSupporter(c.queryRow(ctx, `SELECT `+supporterColumns+` FROM supporters s WHERE s.id = ?`, supporterID))
	if err != nil {
		return err
	}
	contact := contactOf(sup, ch)
	if contact == "" {
		return nil
	}
	_, err = c.exec(ctx, `DELETE FROM suppressions WHERE contact_hash = ? AND channel = ?`, s.contactHash(ch, contact), ch)
	return err
}

// Unsubscribe ends a pending or active subscription for reason and returns it;
// one already ended stays as it is. ErrNotFound when there is no such subscription.
func (s *Store) Unsubscribe(ctx context.Context, supporterID, campaignID int64, ch Channel, reason string, now time.Time) (Subscription, error) {
	return s.changeSubscription(ctx, "unsubscribe", `UPDATE subscriptions
		SET status = 'unsubscribed', reason = ?, updated_at = ?
		WHERE supporter_id = ? AND campaign_id = ? AND channel = ? AND status IN ('pending', 'active')`,
		[]any{reason, ms(now)}, supporterID, campaignID, ch)
}

func (s *Store) changeSubscription(ctx context.Context, what, update string, set []any,
	supporterID, campaignID int64, ch Channel) (Subscription, error) {
	var sub Subscription
	err := s.inTx(ctx, func(c conn) error {
		id, err := mergedInto(ctx, c, supporterID, ch) // a link sent before a merge
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, update, append(set, id, campaignID, ch)...); err != nil {
			return err
		}
		sub, err = scanSubscription(c.queryRow(ctx, subscriptionSQL, id, campaignID, ch))
		return err
	})
	return sub, s.wrap(what, err)
}

// OptOutPhone ends every live SMS subscription of the number, on every
// campaign, with ReasonSMSStop: the number texted STOP. See StopPhone.
func (s *Store) OptOutPhone(ctx context.Context, phone string, now time.Time) (Supporter, int64, error) {
	return s.StopPhone(ctx, phone, ReasonSMSStop, now)
}

// StopPhone ends every live SMS subscription of the number, on every
// campaign, for reason (ReasonSMSStop, or ReasonCarrierStop when the carrier
// says the number stopped us). A number no supporter has is remembered in the
// suppression list, so that no import subscribes it later. It returns the
// supporter (zero when unknown) and how many subscriptions ended.
func (s *Store) StopPhone(ctx context.Context, phone, reason string, now time.Time) (Supporter, int64, error) {
	var sup Supporter
	var n int64
	err := s.inTx(ctx, func(c conn) error {
		var err error
		if sup, err = supporterByPhone(ctx, c, phone); err != nil {
			if !isNoRows(err) {
				return err
			}
			return s.suppress(ctx, c, ChannelSMS, phone, reason, now)
		}
		res, err := c.exec(ctx, suppressSQL, SubUnsubscribed, reason, ms(now), sup.ID, ChannelSMS)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return sup, n, s.wrap("stop phone", err)
}

// OptInPhone makes active again the SMS subscriptions of the number that a
// STOP ended (its own, or the carrier's 21610) or that the suppression list
// held back, confirms its pending ones, and forgets the number's suppression:
// the number texted START or YES, the one act that lifts a stop. What a
// carrier or a bounce suppressed stays. It returns the supporter (zero when
// unknown) and how many subscriptions became active.
func (s *Store) OptInPhone(ctx context.Context, phone string, now time.Time) (Supporter, int64, error) {
	var sup Supporter
	var n int64
	err := s.inTx(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `DELETE FROM suppressions WHERE contact_hash = ? AND channel = ?`,
			s.contactHash(ChannelSMS, phone), ChannelSMS); err != nil {
			return err
		}
		var err error
		if sup, err = supporterByPhone(ctx, c, phone); err != nil {
			if isNoRows(err) {
				return nil
			}
			return err
		}
		res, err := c.exec(ctx, `UPDATE subscriptions SET status = 'active', reason = '', source = 'sms_keyword',
			confirmed_at = ?, updated_at = ?
			WHERE supporter_id = ? AND channel = 'sms'
			AND (status = 'pending' OR (status = 'unsubscribed' AND reason IN (?, ?, ?)))`,
			ms(now), ms(now), sup.ID, ReasonSMSStop, ReasonCarrierStop, reasonSuppressed)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return sup, n, s.wrap("opt in phone", err)
}

// SuppressContact ends every live subscription of the supporter with that
// address (email) or number (sms) on the channel, on every campaign, and
// remembers the contact in the suppression list: a hard bounce or a complaint.
func (s *Store) SuppressContact(ctx context.Context, ch Channel, contact, reason string, now time.Time) (int64, error) {
	contact = canonicalContact(ch, contact)
	var n int64
	err := s.inTx(ctx, func(c conn) error {
		if err := s.suppress(ctx, c, ch, contact, reason, now); err != nil {
			return err
		}
		column := "email"
		if ch == ChannelSMS {
			column = "phone"
		}
		res, err := c.exec(ctx, `UPDATE subscriptions SET status = 'suppressed', reason = ?, updated_at = ?
			WHERE channel = ? AND status IN ('pending', 'active')
			AND supporter_id = (SELECT id FROM supporters WHERE `+column+` = ?)`, reason, ms(now), ch, contact)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, s.wrap("suppress contact", err)
}

// Suppressed reports whether the contact is in the suppression list for ch.
func (s *Store) Suppressed(ctx context.Context, ch Channel, contact string) (bool, error) {
	var n int
	err := s.read().queryRow(ctx, `SELECT count(*) FROM suppressions WHERE contact_hash = ? AND channel = ?`,
		s.contactHash(ch, contact), ch).Scan(&n)
	return n > 0, s.wrap("suppressed", err)
}

// suppress adds the contact to the suppression list.
func (s *Store) suppress(ctx context.Context, c conn, ch Channel, contact, reason string, now time.Time) error {
	if contact == "" {
		return nil
	}
	_, err := c.exec(ctx, `INSERT INTO suppressions (contact_hash, channel, reason, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (contact_hash, channel) DO NOTHING`, s.contactHash(ch, contact), ch, reason, ms(now))
	return err
}

func supporterByPhone(ctx context.Context, c conn, phone string) (Supporter, error) {
	return scanSupporter(c.queryRow(ctx, `SELECT `+supporterColumns+` FROM supporters s WHERE s.phone = ?`, phone))
}

// SupporterByPhone returns the supporter with that number, or ErrNotFound.
func (s *Store) SupporterByPhone(ctx context.Context, phone string) (Supporter, error) {
	sup, err := supporterByPhone(ctx, s.read(), phone)
	return sup, s.wrap("supporter by phone", err)
}

// ClaimConfirmation marks the confirmation of a pending subscription (the
// double opt-in email, or the SMS that asks for a reply YES) as sent, before
// it is sent, and reports whether this caller is to send it: of two tasks
// for one subscription (a re-drive beside the original), only one sends. A
// number held back by a STOP (its own, a carrier's, the suppression list's)
// or suppressed is never texted: its claim is marked sent without a winner,
// and the subscription keeps the reason it waits for the number's own START
// or YES. A send that fails gives the claim back with ReleaseConfirmation; a
// process that dies between the claim and the send leaves the confirmation
// unsent, and the person can join again for a new one.
func (s *Store) ClaimConfirmation(ctx context.Context, supporterID, campaignID int64, ch Channel, now time.Time) (bool, error) {
	var won bool
	err := s.inTx(ctx, func(c conn) error {
		held, err := s.heldSupporter(ctx, c, supporterID, ch)
		if err != nil {
			return err
		}
		var reason string // only a held number's subscription gets one
		if held.held() {
			reason = held.waitReason()
		}
		res, err := c.exec(ctx, `UPDATE subscriptions SET confirm_sent_at = ?,
			reason = CASE WHEN reason = '' THEN ? ELSE reason END
			WHERE supporter_id = ? AND campaign_id = ? AND channel = ? AND status = 'pending'
			AND confirm_sent_at = 0`, ms(now), reason, supporterID, campaignID, ch)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		won = n == 1 && !held.held()
		return err
	})
	return won, s.wrap("claim confirmation", err)
}

// heldSupporter returns what holds back the supporter's number, when ch is
// SMS; an address is never held back here, since the address a bounce or a
// complaint suppressed has no pending subscription left to confirm.
func (s *Store) heldSupporter(ctx context.Context, c conn, supporterID int64, ch Channel) (standing, error) {
	if ch != ChannelSMS {
		return standing{}, nil
	}
	sup, err := scanSupporter(c.queryRow(ctx, `SELECT `+supporterColumns+` FROM supporters s WHERE s.id = ?`, supporterID))
	if isNoRows(err) {
		return standing{}, nil
	}
	if err != nil {
		return standing{}, err
	}
	return connStanding(c).standingOf(ctx, supporterID, ch, s.contactHash(ch, sup.Phone))
}

// ReleaseConfirmation gives back a claim whose email could not be sent.
func (s *Store) ReleaseConfirmation(ctx context.Context, supporterID, campaignID int64, ch Channel) error {
	_, err := s.write().exec(ctx, `UPDATE subscriptions SET confirm_sent_at = 0
		WHERE supporter_id = ? AND campaign_id = ? AND channel = ? AND status = 'pending'`,
		supporterID, campaignID, ch)
	return s.wrap("release confirmation", err)
}

// UnsentConfirmations returns up to limit pending subscriptions, made before
// before, whose confirmation never went out: the reconciler sends them when
// their task was lost.
func (s *Store) UnsentConfirmations(ctx context.Context, before time.Time, limit int) ([]Subscription, error) {
	rows, err := s.read().query(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions sub
		JOIN campaigns c ON c.id = sub.campaign_id
		WHERE sub.status = 'pending' AND sub.confirm_sent_at = 0 AND sub.updated_at < ?
		ORDER BY sub.updated_at LIMIT ?`, ms(before), limit)
	if err != nil {
		return nil, s.wrap("unsent confirmations", err)
	}
	subs, err := collect(rows, scanSubscription)
	return subs, s.wrap("unsent confirmations", err)
}
