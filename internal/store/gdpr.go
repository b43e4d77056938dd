package store

import (
	"context"
	"time"
)

// SupporterExport is everything the store holds about one supporter: their
// profile, subscriptions with consent evidence on every campaign, and
// deliveries.
type SupporterExport struct {
	Supporter  Supporter
	Deliveries []Delivery
}

// ExportSupporter returns everything held about a supporter, or ErrNotFound.
func (s *Store) ExportSupporter(ctx context.Context, id int64) (SupporterExport, error) {
	sup, err := s.SupporterByID(ctx, id)
	if err != nil {
		return SupporterExport{}, err
	}
	rows, err := s.read().query(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE supporter_id = ? ORDER BY id`, id)
	if err != nil {
		return SupporterExport{}, s.wrap("export supporter", err)
	}
	ds, err := collect(rows, scanDelivery)
	return SupporterExport{Supporter: sup, Deliveries: ds}, s.wrap("export supporter", err)
}

// EraseSupporter erases a supporter's personal data (GDPR): their row, tags and
// subscriptions go; their deliveries stay, without them, so that alerts'
// counts hold. When they had left or been suppressed on a channel, a keyed hash
// of that address or number stays in the suppression list, so that no import
// adds them back. ErrNotFound when there is no such supporter.
func (s *Store) EraseSupporter(ctx context.Context, id int64, now time.Time) error {
	err := s.inTx(ctx, func(c conn) error {
		sup, err := scanSupporter(c.queryRow(ctx, `SELECT `+supporterColumns+` FROM supporters s WHERE s.id = ?`, id))
		if err != nil {
			return err
		}
		rows, err := c.query(ctx, `SELECT DISTINCT channel FROM subscriptions
			WHERE supporter_id = ? AND status IN ('unsubscribed', 'suppressed')`, id)
		if err != nil {
			return err
		}
		left, err := collect(rows, func(r scanner) (Channel, error) {
			var ch Channel
			return ch, r.Scan(&ch)
		})
		if err != nil {
			return err
		}
		for _, ch := range left {
			if err := s.suppress(ctx, c, ch, contactOf(sup, ch), "erased after leaving", now); err != nil {
				return err
			}
		}
		res, err := c.exec(ctx, `DELETE FROM supporters WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
	return s.wrap("erase supporter", err)
}
