package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// FanoutPage records, in one transaction, the deliveries of the next page of at most
// limit supporters of the alert's audience after its checkpoint (active subscriptions
// on the alert's channels, audience filters applied), advances the checkpoint, adds
// the page to AudienceSize and touches UpdatedAt. Rows that already exist (a resumed
// fan-out) are kept as they are and still reported in the batches. An empty page marks
// the alert fanned out and returns Done.
func (s *Store) FanoutPage(ctx context.Context, alertID int64, limit int, now time.Time) (FanoutResult, error) {
	if limit <= 0 {
		return FanoutResult{}, fmt.Errorf("store: fan-out page: limit %d is not positive", limit)
	}
	var res FanoutResult
	err := s.inTx(ctx, func(c conn) error {
		a, err := alertByID(ctx, c, alertID)
		if err != nil {
			return err
		}
		res, err = fanoutPage(ctx, c, a, limit, ms(now))
		return err
	})
	return res, s.wrap("fan-out page", err)
}

// fanoutPage is FanoutPage inside its transaction. A final alert has nothing
// left to fan out.
func fanoutPage(ctx context.Context, c conn, a Alert, limit int, now int64) (FanoutResult, error) {
	if a.FanoutDone || a.Status.Final() {
		return FanoutResult{Done: true}, nil
	}
	aud := newAudienceQuery(a)
	n, last, err := aud.page(ctx, c, limit)
	if err != nil {
		return FanoutResult{}, err
	}
	if n == 0 {
		_, err := c.exec(ctx, `UPDATE alerts SET fanout_done = 1, updated_at = ? WHERE id = ?`, now, a.ID)
		return FanoutResult{Done: true}, err
	}
	res := FanoutResult{Supporters: n}
	for _, ch := range a.Channels {
		b, ok, err := aud.record(ctx, c, ch, last, now)
		if err != nil {
			return FanoutResult{}, err
		}
		if ok {
			res.Batches = append(res.Batches, b)
		}
	}
	_, err = c.exec(ctx, `UPDATE alerts SET fanout_cursor = ?, audience_size = audience_size + ?, updated_at = ?
		WHERE id = ?`, last, n, now, a.ID)
	return res, err
}

// audienceQuery selects, from subscriptions (as sub) and supporters (as s), the
// alert's audience after its checkpoint.
type audienceQuery struct {
	alert Alert
	from  string // subscriptions, joined to supporters only when a filter needs them
	where where  // the audience filters, without the channel
}

func newAudienceQuery(a Alert) audienceQuery {
	q := audienceQuery{alert: a, from: "subscriptions sub"}
	q.where.and("sub.campaign_id = ?", a.CampaignID)
	q.where.and("sub.status = 'active'")
	q.where.and("sub.supporter_id > ?", a.FanoutCursor)
	aud := a.Audience
	if len(aud.Countries) > 0 || len(aud.Locales) > 0 {
		q.from += " JOIN supporters s ON s.id = sub.supporter_id"
	}
	q.where.in("s.country", mapStrings(aud.Countries, strings.ToUpper))
	if len(aud.Locales) > 0 {
		q.where.and(localeCondition(len(aud.Locales)), localeArgs(aud.Locales)...)
	}
	if len(aud.Tags) > 0 {
		tags := mapStrings(aud.Tags, strings.ToLower)
		var t where
		t.in("t.tag", tags)
		q.where.and("EXISTS (SELECT 1 FROM supporter_tags t WHERE t.supporter_id = sub.supporter_id AND "+
			t.sql()+")", t.args...)
	}
	return q
}

// localeCondition matches a locale or its regional variants ("es" matches
// "es-AR"), whatever their case, for n locales.
func localeCondition(n int) string {
	conds := make([]string, n)
	for i := range conds {
		conds[i] = "lower(s.locale) = ? OR lower(s.locale) LIKE ?"
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

func localeArgs(locales []string) []any {
	args := make([]any, 0, 2*len(locales))
	for _, l := range locales {
		l = strings.ToLower(l)
		args = append(args, l, l+"-%")
	}
	return args
}

func mapStrings(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// page counts the next page of at most limit supporters on any of the alert's
// channels, and returns the last supporter id of it.
func (q audienceQuery) page(ctx context.Context, c conn, limit int) (n int, last int64, err error) {
	w := q.where.clone()
	chans := make([]string, len(q.alert.Channels))
	for i, ch := range q.alert.Channels {
		chans[i] = string(ch)
	}
	w.in("sub.channel", chans)
	err = c.queryRow(ctx, `SELECT count(*), COALESCE(max(supporter_id), 0) FROM (
		SELECT DISTINCT sub.supporter_id FROM `+q.from+` WHERE `+w.sql()+`
		ORDER BY sub.supporter_id LIMIT ?) page`, append(w.args, limit)...).Scan(&n, &last)
	return n, last, err
}

// record inserts the deliveries on ch of the page that ends at last, and
// returns the batch of the page's deliveries on ch, old ones included.
func (q audienceQuery) record(ctx context.Context, c conn, ch Channel, last, now int64) (Batch, bool, error) {
	w := q.where.clone()
	w.and("sub.supporter_id <= ?", last)
	w.and("sub.channel = ?", ch)
	args := append([]any{q.alert.ID, now, now, now}, w.args...)
	if _, err := c.exec(ctx, `INSERT INTO deliveries (alert_id, supporter_id, channel, status,
		next_attempt_at, created_at, updated_at)
		SELECT ?, sub.supporter_id, sub.channel, 'queued', ?, ?, ? FROM `+q.from+` WHERE `+w.sql()+`
		ORDER BY sub.supporter_id
		ON CONFLICT (alert_id, channel, supporter_id) DO NOTHING`, args...); err != nil {
		return Batch{}, false, err
	}
	var first, lastID sql.NullInt64
	err := c.queryRow(ctx, `SELECT min(id), max(id) FROM deliveries WHERE alert_id = ? AND channel = ?
		AND supporter_id > ? AND supporter_id <= ?`, q.alert.ID, ch, q.alert.FanoutCursor, last).Scan(&first, &lastID)
	b := Batch{AlertID: q.alert.ID, Channel: ch, FirstID: first.Int64, LastID: lastID.Int64}
	return b, first.Valid, err
}
