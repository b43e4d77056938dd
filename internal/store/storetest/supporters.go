package storetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// outcome is what a test expects of one upserted row.
type outcome struct {
	SameAs  int // index of the earlier supporter it must be, -1 for a new one
	Created bool
	Err     error
	Email   string
	Phone   string
	Name    string
	Country string
	Tags    []string
	Subs    map[store.Channel]store.SubscriptionStatus
}

func testUpsertSupporters(t *testing.T, open Opener) {
	email, sms := store.ChannelEmail, store.ChannelSMS
	ana := store.Supporter{Email: "ana@example.org", Name: "Ana", Country: "BR", Tags: []string{"embassy"}}
	bob := store.Supporter{Phone: "+447700900001", Name: "Bob"}
	subs := func(kv ...any) map[store.Channel]store.SubscriptionStatus {
		m := map[store.Channel]store.SubscriptionStatus{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(store.Channel)] = kv[i+1].(store.SubscriptionStatus)
		}
		return m
	}
	tests := []struct {
		name   string
		before []store.SupporterUpsert
		in     []store.SupporterUpsert
		want   []outcome
	}{
		{
			name: "create, tags normalised",
			in: []store.SupporterUpsert{{Supporter: store.Supporter{Email: "new@example.org", Phone: "+447700900009",
				Name: "New", Country: "GB", Tags: []string{"March", " embassy ", "march", ""}},
				Subscriptions: []store.SubscriptionInput{pending(email), active(sms)}}},
			want: []outcome{{SameAs: -1, Created: true, Email: "new@example.org", Phone: "+447700900009", Name: "New",
				Country: "GB", Tags: []string{"embassy", "march"}, Subs: subs(email, store.SubPending, sms, store.SubActive)}},
		},
		{
			name:   "update by email: non-empty fields overwrite, tags add up",
			before: []store.SupporterUpsert{{Supporter: ana, Subscriptions: []store.SubscriptionInput{active(email)}}},
			in: []store.SupporterUpsert{{Supporter: store.Supporter{Email: "ana@example.org", Phone: "+5511987654321",
				Name: "Ana M", Tags: []string{"march"}}, Subscriptions: []store.SubscriptionInput{pending(sms)}}},
			want: []outcome{{SameAs: 0, Email: "ana@example.org", Phone: "+5511987654321", Name: "Ana M", Country: "BR",
				Tags: []string{"embassy", "march"}, Subs: subs(email, store.SubActive, sms, store.SubPending)}},
		},
		{
			name:   "match by phone",
			before: []store.SupporterUpsert{{Supporter: bob}},
			in:     []store.SupporterUpsert{{Supporter: store.Supporter{Email: "bob@example.org", Phone: bob.Phone}}},
			want:   []outcome{{SameAs: 0, Email: "bob@example.org", Phone: bob.Phone, Name: "Bob", Subs: subs()}},
		},
		{
			name:   "email and phone of two supporters: that row conflicts, the others apply",
			before: []store.SupporterUpsert{{Supporter: ana}, {Supporter: bob}},
			in: []store.SupporterUpsert{
				{Supporter: store.Supporter{Email: ana.Email, Phone: bob.Phone, Name: "Mix"}},
				{Supporter: store.Supporter{Email: "cid@example.org"}, Subscriptions: []store.SubscriptionInput{active(email)}},
			},
			want: []outcome{{Err: store.ErrConflict}, {SameAs: -1, Created: true, Email: "cid@example.org",
				Subs: subs(email, store.SubActive)}},
		},
		{
			name:   "pending becomes active",
			before: []store.SupporterUpsert{{Supporter: ana, Subscriptions: []store.SubscriptionInput{pending(email)}}},
			in:     []store.SupporterUpsert{{Supporter: store.Supporter{Email: ana.Email}, Subscriptions: []store.SubscriptionInput{active(email)}}},
			want: []outcome{{SameAs: 0, Email: ana.Email, Name: "Ana", Country: "BR", Tags: []string{"embassy"},
				Subs: subs(email, store.SubActive)}},
		},
		{
			name:   "active stays active",
			before: []store.SupporterUpsert{{Supporter: ana, Subscriptions: []store.SubscriptionInput{active(email)}}},
			in:     []store.SupporterUpsert{{Supporter: store.Supporter{Email: ana.Email}, Subscriptions: []store.SubscriptionInput{pending(email)}}},
			want: []outcome{{SameAs: 0, Email: ana.Email, Name: "Ana", Country: "BR", Tags: []string{"embassy"},
				Subs: subs(email, store.SubActive)}},
		},
		{
			name: "the same person twice in one batch",
			in: []store.SupporterUpsert{
				{Supporter: store.Supporter{Email: "dup@example.org", Name: "One"}},
				{Supporter: store.Supporter{Email: "dup@example.org", Country: "AR"}, Subscriptions: []store.SubscriptionInput{active(sms)}},
			},
			want: []outcome{
				// Results show each supporter as the whole batch left them.
				{SameAs: -1, Created: true, Email: "dup@example.org", Name: "One", Country: "AR", Subs: subs(sms, store.SubActive)},
				{SameAs: -2, Email: "dup@example.org", Name: "One", Country: "AR", Subs: subs(sms, store.SubActive)},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkUpsert(t, newEnv(t, open), tc.before, tc.in, tc.want) })
	}
	t.Run("bad rows", func(t *testing.T) { testUpsertBadRows(t, newEnv(t, open)) })
}

// checkUpsert applies before, then in, and compares in's outcome with want.
// SameAs -2 means the same supporter as the row before in the batch.
func checkUpsert(t *testing.T, e *env, before, in []store.SupporterUpsert, want []outcome) {
	t.Helper()
	c := e.campaign("c")
	other := e.campaign("other")
	e.upsert(other.ID, before...) // subscriptions to another campaign must not show
	earlier := e.upsert(c.ID, before...)
	res, err := e.s.UpsertSupporters(e.ctx, c.ID, in)
	if err != nil {
		t.Fatalf("UpsertSupporters: %v", err)
	}
	got := make([]outcome, len(res))
	for i, r := range res {
		got[i] = outcomeOf(r, earlier, res[:i])
		if r.Err == nil && r.Supporter.ID == 0 {
			t.Errorf("row %d: no supporter id", i)
		}
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) || errors.Is(b, a) })); diff != "" {
		t.Errorf("UpsertSupporters (-want +got):\n%s", diff)
	}
}

func outcomeOf(r store.UpsertResult, earlier []store.Supporter, batch []store.UpsertResult) outcome {
	if r.Err != nil {
		return outcome{Err: r.Err}
	}
	s := r.Supporter
	o := outcome{SameAs: -1, Created: r.Created, Email: s.Email, Phone: s.Phone, Name: s.Name, Country: s.Country,
		Tags: s.Tags, Subs: map[store.Channel]store.SubscriptionStatus{}}
	for i, e := range earlier {
		if e.ID == s.ID {
			o.SameAs = i
		}
	}
	if n := len(batch); n > 0 && batch[n-1].Supporter.ID == s.ID {
		o.SameAs = -2
	}
	for _, sub := range s.Subscriptions {
		o.Subs[sub.Channel] = sub.Status
	}
	return o
}

func testUpsertBadRows(t *testing.T, e *env) {
	c := e.campaign("c")
	rows := []store.SupporterUpsert{
		{Supporter: store.Supporter{Name: "Nobody"}},
		{Supporter: store.Supporter{Email: "a@example.org"}, Subscriptions: []store.SubscriptionInput{{Channel: "fax", Status: store.SubActive}}},
		{Supporter: store.Supporter{Email: "b@example.org"}, Subscriptions: []store.SubscriptionInput{{Channel: store.ChannelEmail, Status: store.SubSuppressed}}},
		{Supporter: store.Supporter{Email: "ok@example.org"}},
	}
	res, err := e.s.UpsertSupporters(e.ctx, c.ID, rows)
	if err != nil {
		t.Fatalf("UpsertSupporters: %v", err)
	}
	for i, r := range res[:3] {
		if r.Err == nil {
			t.Errorf("row %d (%+v) applied, want an error", i, rows[i])
		}
	}
	if res[3].Err != nil || !res[3].Created {
		t.Errorf("good row: %+v, want created", res[3])
	}
	if _, err := e.s.UpsertSupporters(e.ctx, c.ID+100, rows[3:]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpsertSupporters on an unknown campaign: %v, want ErrNotFound", err)
	}
}

func testUpsertNeverResubscribes(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c := e.campaign("c")
	sup := e.upsert(c.ID, person(1, active(store.ChannelSMS), active(store.ChannelEmail)))[0]
	e.unsubscribe(c.ID, store.ChannelSMS, sup)
	importPending := store.SubscriptionInput{Channel: store.ChannelSMS, Status: store.SubPending, Source: "import", ConsentText: "yes"}
	for _, in := range []store.SubscriptionInput{active(store.ChannelSMS), importPending} {
		got := e.upsert(c.ID, person(1, in))[0]
		want := []store.Subscription{
			{SupporterID: sup.ID, CampaignID: c.ID, CampaignSlug: "c", Channel: store.ChannelEmail,
				Status: store.SubActive, Source: "import", ConsentText: "yes"},
			{SupporterID: sup.ID, CampaignID: c.ID, CampaignSlug: "c", Channel: store.ChannelSMS,
				Status: store.SubUnsubscribed, Source: "import", ConsentText: "yes", Reason: "STOP"},
		}
		if diff := cmp.Diff(want, got.Subscriptions, ignoreClock()); diff != "" {
			t.Errorf("subscriptions after upserting %s again (-want +got):\n%s", in.Status, diff)
		}
	}
}

func testSupporterByID(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c1, c2 := e.campaign("c1"), e.campaign("c2")
	row := person(1, pending(store.ChannelEmail))
	row.Supporter.Tags = []string{"b", "a"}
	e.upsert(c2.ID, row)
	sup := e.upsert(c1.ID, person(1, active(store.ChannelSMS)))[0]
	got, err := e.s.SupporterByID(e.ctx, sup.ID)
	if err != nil {
		t.Fatalf("SupporterByID: %v", err)
	}
	want := row.Supporter
	want.ID, want.Tags = sup.ID, []string{"a", "b"}
	want.Subscriptions = []store.Subscription{
		{SupporterID: sup.ID, CampaignID: c1.ID, CampaignSlug: "c1", Channel: store.ChannelSMS, Status: store.SubActive, Source: "import", ConsentText: "yes"},
		{SupporterID: sup.ID, CampaignID: c2.ID, CampaignSlug: "c2", Channel: store.ChannelEmail, Status: store.SubPending, Source: "form", ConsentText: "yes"},
	}
	if diff := cmp.Diff(want, got, ignoreClock()); diff != "" {
		t.Errorf("SupporterByID (-want +got):\n%s", diff)
	}
	if got.Subscriptions[0].ConfirmedAt.IsZero() || !got.Subscriptions[1].ConfirmedAt.IsZero() {
		t.Errorf("ConfirmedAt = %v (active), %v (pending); want set, zero",
			got.Subscriptions[0].ConfirmedAt, got.Subscriptions[1].ConfirmedAt)
	}
	if _, err := e.s.SupporterByID(e.ctx, sup.ID+100); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SupporterByID(unknown): %v, want ErrNotFound", err)
	}
}

func testListSupporters(t *testing.T, open Opener) {
	e := newEnv(t, open)
	c, other := e.campaign("c"), e.campaign("other")
	email, sms := store.ChannelEmail, store.ChannelSMS
	rows := []store.SupporterUpsert{
		person(0, active(email), active(sms)),
		person(1, pending(email)),
		person(2, active(sms)),
		person(3, active(email)),
		person(4, active(email), pending(sms)),
	}
	rows[1].Supporter.Country, rows[4].Supporter.Country = "BR", "BR"
	rows[2].Supporter.Tags, rows[4].Supporter.Tags = []string{"embassy"}, []string{"embassy", "march"}
	sups := e.upsert(c.ID, rows...)
	e.upsert(other.ID, person(5, active(email)), person(0, active(email)))
	tests := []struct {
		name string
		f    store.SupporterFilter
		want []int
	}{
		{"everyone", store.SupporterFilter{}, []int{0, 1, 2, 3, 4}},
		{"channel", store.SupporterFilter{Channel: sms}, []int{0, 2, 4}},
		{"status", store.SupporterFilter{Status: store.SubPending}, []int{1, 4}},
		{"channel and status", store.SupporterFilter{Channel: sms, Status: store.SubPending}, []int{4}},
		{"tag", store.SupporterFilter{Tag: "Embassy"}, []int{2, 4}},
		{"country", store.SupporterFilter{Country: "BR"}, []int{1, 4}},
		{"nobody", store.SupporterFilter{Country: "BR", Tag: "march", Status: store.SubSuppressed}, nil},
	}
	for _, tc := range tests {
		for _, limit := range []int{0, 2} {
			got := listAll(t, e, c.ID, tc.f, limit)
			var want []int64
			for _, i := range tc.want {
				want = append(want, sups[i].ID)
			}
			var ids []int64
			for _, s := range got {
				ids = append(ids, s.ID)
				if len(s.Subscriptions) == 0 || s.Subscriptions[0].CampaignID != c.ID {
					t.Errorf("%s: supporter %d has subscriptions %+v, want the campaign's only", tc.name, s.ID, s.Subscriptions)
				}
			}
			if diff := cmp.Diff(want, ids); diff != "" {
				t.Errorf("%s, pages of %d (-want +got):\n%s", tc.name, limit, diff)
			}
		}
	}
	if _, _, err := e.s.ListSupporters(e.ctx, c.ID, store.SupporterFilter{}, store.Page{Cursor: "%%"}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("ListSupporters with a bad cursor: %v, want ErrBadCursor", err)
	}
}

func listAll(t *testing.T, e *env, campaignID int64, f store.SupporterFilter, limit int) []store.Supporter {
	t.Helper()
	var all []store.Supporter
	p := store.Page{Limit: limit}
	for range 100 {
		sups, next, err := e.s.ListSupporters(e.ctx, campaignID, f, p)
		if err != nil {
			t.Fatalf("ListSupporters: %v", err)
		}
		if limit > 0 && len(sups) > limit {
			t.Fatalf("ListSupporters returned %d supporters, limit %d", len(sups), limit)
		}
		all = append(all, sups...)
		if next == "" {
			return all
		}
		p.Cursor = next
	}
	t.Fatal("ListSupporters never ended")
	return nil
}
