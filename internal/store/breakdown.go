package store

import (
	"context"
	"strings"
)

// AudienceGroup counts the supporters an alert would reach on one channel who
// share a locale, a time zone and a country: what a preview needs to show
// each language's message and to forecast quiet hours.
type AudienceGroup struct {
	Channel  Channel
	Locale   string
	Timezone string
	Country  string
	Count    int64
}

// AudienceBreakdown counts, without recording anything, the audience an alert
// of the campaign with aud on channels would have now (active subscriptions,
// the same filters as the fan-out), grouped by channel, locale, time zone and
// country.
func (s *Store) AudienceBreakdown(ctx context.Context, campaignID int64, aud Audience, channels []Channel) ([]AudienceGroup, error) {
	q := newAudienceQuery(Alert{CampaignID: campaignID, Audience: aud, Channels: channels})
	if !strings.Contains(q.from, "JOIN supporters") {
		q.from += " JOIN supporters s ON s.id = sub.supporter_id"
	}
	chans := make([]string, len(channels))
	for i, ch := range channels {
		chans[i] = string(ch)
	}
	q.where.in("sub.channel", chans)
	rows, err := s.read().query(ctx, `SELECT sub.channel, s.locale, s.timezone, s.country, count(*)
		FROM `+q.from+` WHERE `+q.where.sql()+`
		GROUP BY sub.channel, s.locale, s.timezone, s.country
		ORDER BY sub.channel, s.locale, s.timezone, s.country`, q.where.args...)
	if err != nil {
		return nil, s.wrap("audience breakdown", err)
	}
	gs, err := collect(rows, func(r scanner) (AudienceGroup, error) {
		var g AudienceGroup
		return g, r.Scan(&g.Channel, &g.Locale, &g.Timezone, &g.Country, &g.Count)
	})
	return gs, s.wrap("audience breakdown", err)
}
