package worker

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

func TestUncovered(t *testing.T) {
	const email = store.ChannelEmail
	live := liveWork{ranges: map[rangeKey][][2]int64{
		{1, email}: {{200, 299}, {100, 149}, {400, 499}},
	}}
	batch := func(first, last int64) store.Batch {
		return store.Batch{AlertID: 1, Channel: email, FirstID: first, LastID: last}
	}
	tests := []struct {
		name string
		in   store.Batch
		want []store.Batch
	}{
		{"inside a live range", batch(210, 250), nil},
		{"exactly a live range", batch(400, 499), nil},
		{"no live range", batch(500, 600), []store.Batch{batch(500, 600)}},
		{"gaps around and between live ranges", batch(50, 450),
			[]store.Batch{batch(50, 99), batch(150, 199), batch(300, 399)}},
		{"other channel", store.Batch{AlertID: 1, Channel: store.ChannelSMS, FirstID: 100, LastID: 120},
			[]store.Batch{{AlertID: 1, Channel: store.ChannelSMS, FirstID: 100, LastID: 120}}},
		{"other alert", store.Batch{AlertID: 2, Channel: email, FirstID: 100, LastID: 120},
			[]store.Batch{{AlertID: 2, Channel: email, FirstID: 100, LastID: 120}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, live.uncovered(tt.in)); diff != "" {
				t.Errorf("uncovered (-want +got):\n%s", diff)
			}
		})
	}
}
