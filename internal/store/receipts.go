package store

import (
	"context"
	"time"
)

// Receipt is a provider's later word on a sent message: Twilio's status
// callback.
type Receipt struct {
	ProviderID string
	// Status is DeliveryDelivered or DeliveryFailed; anything else changes nothing.
	Status       DeliveryStatus
	ErrorCode    string
	ErrorClass   string
	ErrorMessage string
	// Suppress ends the number's SMS subscriptions on every campaign (a
	// landline, an unknown or unreachable number).
	Suppress bool
	// Warning, when set, is recorded as the campaign's SMS warning (carrier
	// filtering).
	Warning string
	At      time.Time
}

// RecordReceipt applies a receipt to the SMS delivery with its provider id.
// Statuses only move forward: a sent message becomes delivered or failed, and
// a late or repeated callback changes nothing. It returns the delivery as it
// is afterwards and whether the receipt changed it; ErrNotFound when no SMS
// delivery has that id.
func (s *Store) RecordReceipt(ctx context.Context, r Receipt) (Delivery, bool, error) {
	var d Delivery
	var changed bool
	err := s.inTx(ctx, func(c conn) error {
		var err error
		if d, err = smsByProviderID(ctx, c, r.ProviderID); err != nil {
			return err
		}
		if changed, err = applyReceipt(ctx, c, d.ID, r); err != nil || !changed {
			return err
		}
		if err := receiptEffects(ctx, c, d, r); err != nil {
			return err
		}
		d, err = smsByProviderID(ctx, c, r.ProviderID)
		return err
	})
	return d, changed, s.wrap("record receipt", err)
}

func smsByProviderID(ctx context.Context, c conn, id string) (Delivery, error) {
	return scanDelivery(c.queryRow(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE provider_id = ? AND channel = 'sms' AND provider_id <> ''`, id))
}

// applyReceipt moves a sent delivery to delivered or failed.
func applyReceipt(ctx context.Context, c conn, id int64, r Receipt) (bool, error) {
	at := ms(r.At)
	var res interface{ RowsAffected() (int64, error) }
	var err error
	switch r.Status {
	case DeliveryDelivered:
		res, err = c.exec(ctx, `UPDATE deliveries SET status = 'delivered', delivered_at = ?, updated_at = ?
			WHERE id = ? AND status = 'sent'`, at, at, id)
	case DeliveryFailed:
		res, err = c.exec(ctx, `UPDATE deliveries SET status = 'failed', error_code = ?, error_class = ?,
			error_message = ?, updated_at = ? WHERE id = ? AND status = 'sent'`,
			r.ErrorCode, r.ErrorClass, r.ErrorMessage, at, id)
	default:
		return false, nil
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// receiptEffects suppresses the number or warns the campaign, as the receipt says.
func receiptEffects(ctx context.Context, c conn, d Delivery, r Receipt) error {
	at := ms(r.At)
	if r.Suppress && d.SupporterID != 0 {
		if _, err := c.exec(ctx, suppressSQL, SubSuppressed, "carrier "+r.ErrorCode, at, d.SupporterID, ChannelSMS); err != nil {
			return err
		}
	}
	if r.Warning != "" {
		_, err := c.exec(ctx, `UPDATE campaigns SET sms_warning = ?
			WHERE id = (SELECT campaign_id FROM alerts WHERE id = ?)`, r.Warning, d.AlertID)
		return err
	}
	return nil
}
