package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Join is what a visitor asks for on a campaign's public join page: alerts on
// some channels, at the email address and the number they typed.
type Join struct {
	// Supporter is what was typed, validated: the email and the phone, and the
	// name, locale, country and time zone that a new supporter is given.
	Supporter   Supporter
	Channels    []Channel
	ConsentText string
	ConsentIP   string
}

// JoinResult is what a Join leaves to do.
type JoinResult struct {
	// Confirm lists, once each, the supporters whose subscriptions to the
	// campaign wait for a confirmation to be sent: the double opt-in email,
	// the text that asks for a reply YES.
	Confirm []int64
}

// rejoinAfter is how long after a confirmation a join again sends another:
// long enough that the form cannot flood an inbox or a phone.
const rejoinAfter = 10 * time.Minute

// Join subscribes a visitor of the public join page. Anyone can type anyone's
// address or number into that page, so a join never changes or takes over a
// person's record or subscription: each contact typed is its holder's
// business alone, and only that holder's own act (the link their address
// receives, a text from their number) makes a subscription active.
//
//   - A contact nobody has goes to a new supporter (one for both, when both
//     are new), with the name, locale, country and time zone typed; a
//     contact someone has is never attached to anyone else, and the record
//     that holds it is left as it is.
//   - Every subscription starts pending. A new one, or one its person had
//     ended with a link, waits for its confirmation (sent again when it went
//     more than rejoinAfter ago); one that had ended keeps its reason, so
//     that no organizer's upsert makes it active.
//   - A number held back by a STOP (its own, a carrier's, the suppression
//     list's) or suppressed is not texted: its new subscription waits for
//     its START or YES (OptInPhone), and its ended ones stay as they are.
//   - An address that bounced hard or complained gets nothing.
//
// Active subscriptions are left as they are.
func (s *Store) Join(ctx context.Context, campaignID int64, j Join) (JoinResult, error) {
	if err := validateJoin(j); err != nil {
		return JoinResult{}, err
	}
	var res JoinResult
	err := s.inTx(ctx, func(c conn) error {
		if err := c.queryRow(ctx, `SELECT id FROM campaigns WHERE id = ?`, campaignID).Scan(new(int64)); err != nil {
			return err
		}
		jn := &joiner{s: s, c: c, campaignID: campaignID, now: s.nowMS(), j: j}
		var err error
		res.Confirm, err = jn.run(ctx)
		return err
	})
	if err != nil {
		return JoinResult{}, s.wrap("join", err)
	}
	return res, nil
}

func validateJoin(j Join) error {
	if len(j.Channels) == 0 {
		return errors.New("store: join: no channel")
	}
	for _, ch := range j.Channels {
		if !ch.Valid() {
			return fmt.Errorf("store: join: unknown channel %q", ch)
		}
		if contactOf(j.Supporter, ch) == "" {
			return fmt.Errorf("store: join: no contact for channel %s", ch)
		}
	}
	return nil
}

// joiner is one Join, in its transaction.
type joiner struct {
	s          *Store
	c          conn
	campaignID int64
	now        int64
	j          Join
}

// run applies the join and returns the supporters to confirm.
func (jn *joiner) run(ctx context.Context) ([]int64, error) {
	owners, err := jn.owners(ctx)
	if err != nil {
		return nil, err
	}
	var confirm []int64
	for _, ch := range slices.Compact(slices.Sorted(slices.Values(jn.j.Channels))) {
		id, ok := owners[ch]
		if !ok {
			continue
		}
		ask, err := jn.subscribe(ctx, id, ch)
		if err != nil {
			return nil, err
		}
		if ask && !slices.Contains(confirm, id) {
			confirm = append(confirm, id)
		}
	}
	return confirm, nil
}

// owners returns, for each channel asked for, the supporter who holds its
// contact, creating one supporter for the contacts nobody holds. A channel
// without an owner (an address nobody holds that bounced) is left out.
func (jn *joiner) owners(ctx context.Context) (map[Channel]int64, error) {
	owners := map[Channel]int64{}
	var fresh Supporter
	for _, ch := range jn.j.Channels {
		contact := contactOf(jn.j.Supporter, ch)
		id, err := jn.holder(ctx, ch, contact)
		if err != nil {
			return nil, err
		}
		if id != 0 {
			owners[ch] = id
			continue
		}
		st, err := connStanding(jn.c).standingOf(ctx, 0, ch, jn.s.contactHash(ch, contact))
		if err != nil {
			return nil, err
		}
		if st.blocked(ch) {
			continue
		}
		setContact(&fresh, ch, contact)
		owners[ch] = 0
	}
	if fresh.Email == "" && fresh.Phone == "" {
		return owners, nil
	}
	id, err := jn.create(ctx, fresh)
	if err != nil {
		return nil, err
	}
	for ch, owner := range owners {
		if owner == 0 {
			owners[ch] = id
		}
	}
	return owners, nil
}

// holder returns the id of the supporter with that contact on ch, or 0.
func (jn *joiner) holder(ctx context.Context, ch Channel, contact string) (int64, error) {
	column := "email"
	if ch == ChannelSMS {
		column = "phone"
	}
	var id int64
	err := jn.c.queryRow(ctx, `SELECT id FROM supporters WHERE `+column+` = ?`, contact).Scan(&id)
	if isNoRows(err) {
		return 0, nil
	}
	return id, err
}

// create stores a new supporter with the contacts of fresh and the rest of
// what was typed.
func (jn *joiner) create(ctx context.Context, fresh Supporter) (int64, error) {
	sup := jn.j.Supporter
	var id int64
	err := jn.c.queryRow(ctx, `INSERT INTO supporters (email, phone, name, locale, country, timezone, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, nullable(fresh.Email), nullable(fresh.Phone),
		sup.Name, sup.Locale, sup.Country, sup.Timezone, jn.now, jn.now).Scan(&id)
	return id, err
}

// setContact sets the supporter's address or number for a channel.
func setContact(s *Supporter, ch Channel, contact string) {
	if ch == ChannelSMS {
		s.Phone = contact
		return
	}
	s.Email = contact
}

// existingSub is what a join reads of a subscription already there.
type existingSub struct {
	status        SubscriptionStatus
	reason        string
	confirmSentAt int64
}

// subscribe applies the join to the supporter's subscription on ch, and
// reports whether a confirmation is to be asked for.
func (jn *joiner) subscribe(ctx context.Context, id int64, ch Channel) (bool, error) {
	st, err := connStanding(jn.c).standingOf(ctx, id, ch, jn.s.contactHash(ch, contactOf(jn.j.Supporter, ch)))
	if err != nil {
		return false, err
	}
	var sub existingSub
	err = jn.c.queryRow(ctx, `SELECT status, reason, confirm_sent_at FROM subscriptions
		WHERE campaign_id = ? AND supporter_id = ? AND channel = ?`, jn.campaignID, id, ch).
		Scan(&sub.status, &sub.reason, &sub.confirmSentAt)
	switch {
	case isNoRows(err):
		return jn.insert(ctx, id, ch, st)
	case err != nil:
		return false, err
	}
	switch sub.status {
	case SubPending:
		return jn.rejoin(ctx, id, ch, st, sub)
	case SubUnsubscribed:
		return jn.restart(ctx, id, ch, st, sub)
	}
	return false, nil // active: nothing to do; suppressed: nothing the form may do
}

// insert creates the pending subscription of a contact that had none with
// the campaign.
func (jn *joiner) insert(ctx context.Context, id int64, ch Channel, st standing) (bool, error) {
	if st.blocked(ch) {
		return false, nil
	}
	var reason string
	if st.held() {
		reason = st.waitReason()
	}
	_, err := jn.c.exec(ctx, `INSERT INTO subscriptions (campaign_id, supporter_id, channel, status, source,
		consent_text, consent_ip, reason, created_at, updated_at) VALUES (?, ?, ?, 'pending', 'form', ?, ?, ?, ?, ?)`,
		jn.campaignID, id, ch, jn.j.ConsentText, jn.j.ConsentIP, reason, jn.now, jn.now)
	return mayAsk(ch, st), err
}

// rejoin is a join of a subscription still pending: its confirmation goes
// again when the last one went more than rejoinAfter ago.
func (jn *joiner) rejoin(ctx context.Context, id int64, ch Channel, st standing, sub existingSub) (bool, error) {
	if !mayAsk(ch, st) {
		return false, nil
	}
	if sub.confirmSentAt != 0 && sub.confirmSentAt < jn.now-rejoinAfter.Milliseconds() {
		if err := jn.pend(ctx, id, ch, sub.reason); err != nil {
			return false, err
		}
	}
	return true, nil
}

// restart makes an unsubscribed subscription pending again, keeping why it
// had ended, unless a STOP ended it or the contact is held back: those only
// the number's START or YES lifts, and a bounced address gets nothing.
func (jn *joiner) restart(ctx context.Context, id int64, ch Channel, st standing, sub existingSub) (bool, error) {
	if !mayAsk(ch, st) {
		return false, nil
	}
	if err := jn.pend(ctx, id, ch, cmp.Or(sub.reason, string(SubUnsubscribed))); err != nil {
		return false, err
	}
	return true, nil
}

// pend makes the subscription pending with reason and this join's consent
// evidence, its confirmation still to send.
func (jn *joiner) pend(ctx context.Context, id int64, ch Channel, reason string) error {
	_, err := jn.c.exec(ctx, `UPDATE subscriptions SET status = 'pending', reason = ?, source = 'form',
		consent_text = ?, consent_ip = ?, confirm_sent_at = 0, updated_at = ?
		WHERE campaign_id = ? AND supporter_id = ? AND channel = ?`,
		reason, jn.j.ConsentText, jn.j.ConsentIP, jn.now, jn.campaignID, id, ch)
	return err
}

// mayAsk reports whether a confirmation may go to the contact: never to an
// address that bounced or complained, never a text to a number held back.
func mayAsk(ch Channel, st standing) bool {
	if ch == ChannelSMS {
		return !st.held()
	}
	return !st.blocked(ch)
}
