package forecast_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/forecast"
)

func TestMake(t *testing.T) {
	start := time.Date(2022, 10, 8, 2, 30, 0, 0, time.UTC)
	morning := start.Add(8*time.Hour + 30*time.Minute)
	tests := []struct {
		name         string
		in           forecast.Input
		want         []forecast.ChannelResult
		wantLast     time.Time
		wantWarnings []string // parts of each warning, in order
	}{
		{
			name: "email at its rate",
			in: forecast.Input{Start: start, Channels: []forecast.Channel{
				{Name: "email", Rate: 1000, Releases: []forecast.Release{{At: start, Count: 60_000}}},
			}},
			want:     []forecast.ChannelResult{{Name: "email", Messages: 60_000, Rate: 1000, LastAt: start.Add(time.Minute), Duration: "1m0s"}},
			wantLast: start.Add(time.Minute),
		},
		{
			name: "unlimited uses the capacity",
			in: forecast.Input{Start: start, Channels: []forecast.Channel{
				{Name: "sms", Releases: []forecast.Release{{At: start, Count: forecast.SMSCapacity * 2}}},
			}},
			want:     []forecast.ChannelResult{{Name: "sms", Messages: forecast.SMSCapacity * 2, Rate: forecast.SMSCapacity, LastAt: start.Add(2 * time.Second), Duration: "2s"}},
			wantLast: start.Add(2 * time.Second),
		},
		{
			name: "quiet hours hold some SMS until the morning",
			in: forecast.Input{Start: start, EventAt: start.Add(4 * time.Hour), Channels: []forecast.Channel{
				{Name: "sms", Rate: 100, Releases: []forecast.Release{{At: morning, Count: 6000}, {At: start, Count: 100}}},
				{Name: "email", Rate: 100, Releases: []forecast.Release{{At: start, Count: 100}}},
			}},
			want: []forecast.ChannelResult{
				{Name: "sms", Messages: 6100, Rate: 100, Held: 6000, LastAt: morning.Add(time.Minute), Duration: "8h31m0s"},
				{Name: "email", Messages: 100, Rate: 100, LastAt: start.Add(time.Second), Duration: "1s"},
			},
			wantLast:     morning.Add(time.Minute),
			wantWarnings: []string{"sms: the last message is expected at 2022-10-08T11:01:00Z, after the event starts at 2022-10-08T06:30:00Z"},
		},
		{
			name: "a backlog carries over a release",
			in: forecast.Input{Start: start, Channels: []forecast.Channel{
				{Name: "sms", Rate: 10, Releases: []forecast.Release{{At: start, Count: 600}, {At: start.Add(30 * time.Second), Count: 100}}},
			}},
			want:     []forecast.ChannelResult{{Name: "sms", Messages: 700, Rate: 10, Held: 100, LastAt: start.Add(70 * time.Second), Duration: "1m10s"}},
			wantLast: start.Add(70 * time.Second),
		},
		{
			name: "too slow for the expiry",
			in: forecast.Input{Start: start, ExpiresAt: start.Add(30 * time.Second), Channels: []forecast.Channel{
				{Name: "email", Rate: 10, Releases: []forecast.Release{{At: start, Count: 600}}},
			}},
			want:         []forecast.ChannelResult{{Name: "email", Messages: 600, Rate: 10, LastAt: start.Add(time.Minute), Expiring: 300, Duration: "1m0s"}},
			wantLast:     start.Add(time.Minute),
			wantWarnings: []string{"email: about 300 of 600 messages would not go out before the alert expires"},
		},
		{
			name: "held past the expiry",
			in: forecast.Input{Start: start, ExpiresAt: start.Add(time.Hour), Channels: []forecast.Channel{
				{Name: "sms", Rate: 100, Releases: []forecast.Release{{At: morning, Count: 50}}},
			}},
			want:         []forecast.ChannelResult{{Name: "sms", Messages: 50, Rate: 100, Held: 50, LastAt: morning.Add(500 * time.Millisecond), Expiring: 50, Duration: "8h30m1s"}},
			wantLast:     morning.Add(500 * time.Millisecond),
			wantWarnings: []string{"sms: about 50 of 50 messages"},
		},
		{name: "nothing to send", in: forecast.Input{Start: start}, wantLast: start},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := forecast.Make(tc.in)
			if diff := cmp.Diff(tc.want, got.Channels); diff != "" {
				t.Errorf("channels (-want +got):\n%s", diff)
			}
			if !got.LastAt.Equal(tc.wantLast) {
				t.Errorf("LastAt = %s, want %s", got.LastAt, tc.wantLast)
			}
			if len(got.Warnings) != len(tc.wantWarnings) {
				t.Fatalf("warnings = %q, want %d", got.Warnings, len(tc.wantWarnings))
			}
			for i, w := range tc.wantWarnings {
				if !strings.Contains(got.Warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, got.Warnings[i], w)
				}
			}
		})
	}
}
