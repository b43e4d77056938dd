package worker

import (
	"time"

	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/store"
)

// codeQuietHours marks an SMS waiting for the end of the supporter's quiet hours.
const codeQuietHours = "quiet_hours"

// quietWindow is the campaign's own quiet hours, else the configured ones. A
// campaign setting that no longer parses (the API checks it) falls back to the
// default rather than waking people up.
func (d *Deliverer) quietWindow(c store.Campaign) quiet.Window {
	w, err := quiet.Resolve(c.QuietHours, d.set.QuietHours)
	if err != nil {
		d.log.Warn("campaign quiet hours ignored", "campaign", c.Slug, "err", err)
	}
	return w
}

// held returns the result of an SMS that quiet hours hold now, if they do: it
// waits, queued, for the end of the window in the supporter's zone, without
// counting an attempt, or it expires when the alert would be over by then.
// Email is never held, nor an urgent alert.
func (d *Deliverer) held(j *job, c store.Claim, now time.Time) (store.Result, bool) {
	if j.batch.Channel != store.ChannelSMS || j.alert.Urgent {
		return store.Result{}, false
	}
	until, ok := j.quiet.Hold(now, d.zones.Pick(c.Supporter.Timezone, j.campaign.Timezone))
	if !ok {
		return store.Result{}, false
	}
	r := store.Result{DeliveryID: c.Delivery.ID, At: now}
	if !j.alert.ExpiresAt.IsZero() && !until.Before(j.alert.ExpiresAt) {
		r.Status, r.ErrorMessage = store.DeliveryExpired, "the alert expires before the supporter's quiet hours end"
		return r, true
	}
	r.Status, r.NextAttemptAt, r.Unclaimed = store.DeliveryQueued, until, true
	r.ErrorCode, r.ErrorMessage = codeQuietHours, "waiting for the end of quiet hours ("+j.quiet.String()+" local time)"
	return r, true
}
