package store

import (
	"context"
	"database/sql"
	"errors"
)

// The reasons an SMS subscription ends that only the number itself lifts, by
// texting START or YES (OptInPhone).
const (
	// ReasonSMSStop: the number texted STOP.
	ReasonSMSStop = "sms_stop"
	// ReasonCarrierStop: Twilio refused a message with error 21610, the number
	// having texted STOP to the sending number or service.
	ReasonCarrierStop = "21610"
	// reasonSuppressed marks a subscription refused because its contact is in
	// the suppression list.
	reasonSuppressed = "suppression_list"
	// reasonErased is the suppression list's reason for the contact of an
	// erased supporter who had left (see EraseSupporter): the one entry a
	// person's confirmation link may lift, since it may hide a mere
	// unsubscribe. Every other reason is a bounce, a complaint, a refusal or
	// a STOP.
	reasonErased = "erased after leaving"
)

// standing is what holds a contact back on a channel, across every campaign:
// its entry in the suppression list, a subscription of its supporter that a
// STOP ended, or one that a bounce, a complaint or a carrier suppressed.
type standing struct {
	// listed is the reason of the contact's suppression-list entry, "" when it
	// has none.
	listed string
	// status and reason are those of the supporter's subscription on the
	// channel that holds the contact back: unsubscribed (or pending) by a
	// STOP, or suppressed; status is "" when none does.
	status SubscriptionStatus
	reason string
}

// held reports whether anything holds the contact back.
func (s standing) held() bool { return s.listed != "" || s.status != "" }

// blocked reports whether the contact gets nothing from a join on the page:
// an address that bounced hard or complained (suppressed, or listed for
// anything but an erasure). A number is never blocked: it is held, and its
// own START or YES lifts it.
func (s standing) blocked(ch Channel) bool {
	if ch == ChannelSMS {
		return false
	}
	return s.status == SubSuppressed || (s.listed != "" && s.listed != reasonErased)
}

// start is the status and reason a new subscription an organizer asks for
// (API or import) starts with when the contact is held: unsubscribed, or
// suppressed like the rest of the contact's subscriptions. The STOP of a
// number keeps its reason, so that its START brings the subscription back.
func (s standing) start() (SubscriptionStatus, string) {
	switch {
	case s.status == SubSuppressed:
		return SubSuppressed, s.reason
	case s.status != "":
		return SubUnsubscribed, s.reason
	}
	return SubUnsubscribed, reasonSuppressed
}

// waitReason is the reason a pending subscription from the page keeps while
// the contact is held: what its own act must lift.
func (s standing) waitReason() string {
	if s.status != "" {
		return s.reason
	}
	return reasonSuppressed
}

// standingSQL finds the subscription of a supporter on a channel that holds
// its contact back: one a STOP ended (or a pending one waiting for it), else
// one suppressed.
const standingSQL = `SELECT status, reason FROM subscriptions
	WHERE supporter_id = ? AND channel = ?
	AND (status = 'suppressed' OR (status IN ('unsubscribed', 'pending') AND reason IN (?, ?)))
	ORDER BY CASE status WHEN 'suppressed' THEN 1 ELSE 0 END LIMIT 1`

// listedSQL returns the reason of a contact's suppression-list entry.
const listedSQL = `SELECT reason FROM suppressions WHERE contact_hash = ? AND channel = ?`

// standingStmts are the statements standingOf runs, prepared or not.
type standingStmts struct {
	listed, subs func(ctx context.Context, args ...any) *sql.Row
}

// connStanding returns the statements of standing on c.
func connStanding(c conn) standingStmts {
	return standingStmts{
		listed: func(ctx context.Context, args ...any) *sql.Row { return c.queryRow(ctx, listedSQL, args...) },
		subs:   func(ctx context.Context, args ...any) *sql.Row { return c.queryRow(ctx, standingSQL, args...) },
	}
}

// standingOf returns what holds back the contact (hashed as hash) of the
// supporter (0 when it has none) on ch.
func (q standingStmts) standingOf(ctx context.Context, supporterID int64, ch Channel, hash []byte) (standing, error) {
	var st standing
	if err := q.listed(ctx, hash, ch).Scan(&st.listed); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, err
	}
	if supporterID == 0 {
		return st, nil
	}
	err := q.subs(ctx, supporterID, ch, ReasonSMSStop, ReasonCarrierStop).Scan(&st.status, &st.reason)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return st, err
}
