package store

import (
	"context"
	"fmt"
	"time"
)

// StalledFanouts returns the scheduled or sending alerts due by now, not fanned
// out, whose UpdatedAt is before staleBefore.
func (s *Store) StalledFanouts(ctx context.Context, now, staleBefore time.Time, limit int) ([]Alert, error) {
	rows, err := s.read().query(ctx, `SELECT `+alertColumns+alertFrom+`WHERE a.status IN ('scheduled', 'sending')
		AND a.fanout_done = 0 AND a.send_at <= ? AND a.updated_at < ? ORDER BY a.id LIMIT ?`,
		ms(now), ms(staleBefore), limit)
	if err != nil {
		return nil, s.wrap("stalled fan-outs", err)
	}
	as, err := collect(rows, scanAlert)
	return as, s.wrap("stalled fan-outs", err)
}

// StalledBatches groups into batches of at most size ids the deliveries nobody is
// working on: queued with NextAttemptAt before dueBefore, or sending with UpdatedAt
// before staleBefore; alerts in final status are skipped. At most limit batches.
func (s *Store) StalledBatches(ctx context.Context, dueBefore, staleBefore time.Time, size, limit int) ([]Batch, error) {
	if size <= 0 || limit <= 0 {
		return nil, fmt.Errorf("store: stalled batches: size %d and limit %d must be positive", size, limit)
	}
	// Queued rows may be many: they are found through their partial index.
	// Sending rows are few (the chunks in flight), and not indexed by time, so
	// that claims and results write one index less: they are found through the
	// (alert, channel, status) index of the alerts in progress.
	rows, err := s.read().query(ctx, `SELECT d.alert_id, d.channel, d.id FROM deliveries d
		JOIN alerts a ON a.id = d.alert_id
		WHERE a.status IN ('scheduled', 'sending') AND d.id IN (
			SELECT id FROM deliveries WHERE status = 'queued' AND next_attempt_at < ?
			UNION ALL
			SELECT sd.id FROM alerts sa JOIN deliveries sd ON sd.alert_id = sa.id
			WHERE sa.status IN ('scheduled', 'sending') AND sd.`+anyChannel()+` AND sd.status = 'sending'
				AND sd.updated_at < ?)
		ORDER BY d.alert_id, d.channel, d.id LIMIT ?`, ms(dueBefore), ms(staleBefore), size*limit)
	if err != nil {
		return nil, s.wrap("stalled batches", err)
	}
	stalled, err := collect(rows, scanBatchRow)
	if err != nil {
		return nil, s.wrap("stalled batches", err)
	}
	return groupBatches(stalled, size, limit), nil
}

// scanBatchRow reads one delivery as a batch of its own.
func scanBatchRow(r scanner) (Batch, error) {
	var b Batch
	err := r.Scan(&b.AlertID, &b.Channel, &b.FirstID)
	b.LastID = b.FirstID
	return b, err
}

// groupBatches merges single deliveries, sorted by alert, channel and id, into
// batches of at most size deliveries of one alert and channel; at most limit.
func groupBatches(ds []Batch, size, limit int) []Batch {
	var out []Batch
	n := 0 // deliveries in the last batch
	for _, d := range ds {
		if k := len(out) - 1; k >= 0 && out[k].AlertID == d.AlertID && out[k].Channel == d.Channel && n < size {
			out[k].LastID = d.LastID
			n++
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, d)
		n = 1
	}
	return out
}

// UnfinishedAlerts returns sending alerts that are fanned out, to be checked by FinishAlert.
func (s *Store) UnfinishedAlerts(ctx context.Context, limit int) ([]int64, error) {
	rows, err := s.read().query(ctx, `SELECT id FROM alerts WHERE status = 'sending' AND fanout_done = 1
		ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, s.wrap("unfinished alerts", err)
	}
	ids, err := collect(rows, scanID)
	return ids, s.wrap("unfinished alerts", err)
}
