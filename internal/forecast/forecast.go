// Package forecast estimates when the last message of an alert goes out, from the
// audience on each channel, the provider rates, and the messages that quiet hours
// hold back until the morning in each supporter's zone. It is arithmetic, not a
// promise: it assumes the workers keep up with the configured rates.
package forecast

import (
	"fmt"
	"slices"
	"time"
)

// Capacities stand in for an unlimited rate (0): about what one worker process
// sends on two cores (docs/benchmarks.md).
const (
	EmailCapacity = 10_000
	SMSCapacity   = 5_000
)

// Release is a number of messages that may go from a moment on: at the start,
// or at the end of the quiet hours of a group of supporters.
type Release struct {
	At    time.Time
	Count int64
}

// Channel is one channel's audience and rate.
type Channel struct {
	Name     string
	Rate     int // messages per second across all workers; 0 means unlimited
	Releases []Release
}

// Input is what a forecast is made from.
type Input struct {
	Start     time.Time // when the alert starts sending (send_at, or now)
	ExpiresAt time.Time // zero: never
	EventAt   time.Time // the start of the event the alert calls to; zero: none
	Channels  []Channel
}

// ChannelResult is one channel's forecast.
type ChannelResult struct {
	Name     string    `json:"channel"`
	Messages int64     `json:"messages"`
	Rate     int       `json:"rate"`     // the rate used, messages per second
	Held     int64     `json:"held"`     // messages that wait for the end of quiet hours
	LastAt   time.Time `json:"last_at"`  // when the last message is expected to go
	Expiring int64     `json:"expiring"` // messages expected to be left when the alert expires
	Duration string    `json:"duration"` // LastAt - Start, for people
}

// Result is the forecast of an alert.
type Result struct {
	Start    time.Time       `json:"start"`
	LastAt   time.Time       `json:"last_at"`
	Channels []ChannelResult `json:"channels"`
	Warnings []string        `json:"warnings"`
}

// Make forecasts in: each channel sends its releases in time order at its rate.
func Make(in Input) Result {
	res := Result{Start: in.Start, LastAt: in.Start, Warnings: []string{}}
	for _, ch := range in.Channels {
		cr := channel(in, ch)
		res.Channels = append(res.Channels, cr)
		if cr.LastAt.After(res.LastAt) {
			res.LastAt = cr.LastAt
		}
		res.Warnings = append(res.Warnings, warnings(in, cr)...)
	}
	return res
}

func channel(in Input, ch Channel) ChannelResult {
	rate := ch.Rate
	if rate <= 0 {
		rate = EmailCapacity
		if ch.Name == "sms" {
			rate = SMSCapacity
		}
	}
	rs := slices.Clone(ch.Releases)
	slices.SortFunc(rs, func(a, b Release) int { return a.At.Compare(b.At) })
	cr := ChannelResult{Name: ch.Name, Rate: rate}
	t := in.Start
	for _, r := range rs {
		if r.Count <= 0 {
			continue
		}
		at := r.At
		if at.After(in.Start) {
			cr.Held += r.Count
		}
		start := later(t, at)
		t = start.Add(sendTime(r.Count, rate))
		cr.Messages += r.Count
		cr.Expiring += expiring(in.ExpiresAt, start, t, r.Count)
	}
	cr.LastAt = t
	cr.Duration = t.Sub(in.Start).Round(time.Second).String()
	return cr
}

// sendTime is how long n messages take at rate per second.
func sendTime(n int64, rate int) time.Duration {
	return time.Duration(float64(n) / float64(rate) * float64(time.Second))
}

// expiring estimates how many of n messages sent evenly from start to end would
// be left at expiry.
func expiring(expiry, start, end time.Time, n int64) int64 {
	switch {
	case expiry.IsZero() || !end.After(expiry):
		return 0
	case !expiry.After(start):
		return n
	}
	left := float64(end.Sub(expiry)) / float64(end.Sub(start))
	return int64(float64(n)*left + 0.5)
}

func warnings(in Input, cr ChannelResult) []string {
	var ws []string
	if cr.Expiring > 0 {
		ws = append(ws, fmt.Sprintf("%s: about %d of %d messages would not go out before the alert expires at %s; the last is expected at %s",
			cr.Name, cr.Expiring, cr.Messages, in.ExpiresAt.UTC().Format(time.RFC3339), cr.LastAt.UTC().Format(time.RFC3339)))
	}
	if !in.EventAt.IsZero() && cr.LastAt.After(in.EventAt) {
		ws = append(ws, fmt.Sprintf("%s: the last message is expected at %s, after the event starts at %s",
			cr.Name, cr.LastAt.UTC().Format(time.RFC3339), in.EventAt.UTC().Format(time.RFC3339)))
	}
	return ws
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
