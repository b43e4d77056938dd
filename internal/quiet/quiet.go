// Package quiet holds the quiet hours of SMS: a daily span of the supporter's
// local time (21:00-08:00 by default) when a text message waits for the morning
// instead of waking someone up. Email is never held.
//
// Times are wall-clock times in the supporter's zone, so the window follows
// daylight saving time: 08:00 is 08:00 on the day the clocks change too.
package quiet

import (
	"fmt"
	"strings"
	"time"
)

// Off is how a campaign or the configuration turns quiet hours off.
const Off = "off"

// Window is a daily span of local time. Start and End are offsets from local
// midnight; a window whose Start is after its End wraps past midnight
// (21:00-08:00). The zero Window (Start == End) holds nothing.
type Window struct {
	Start, End time.Duration
}

// Parse reads "HH:MM-HH:MM" (24-hour clock), or "off" for no quiet hours.
func Parse(s string) (Window, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, Off) {
		return Window{}, nil
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, fmt.Errorf("%q: want HH:MM-HH:MM (such as 21:00-08:00) or off", s)
	}
	start, err := clock(from)
	if err != nil {
		return Window{}, err
	}
	end, err := clock(to)
	if err != nil {
		return Window{}, err
	}
	if start == end {
		return Window{}, fmt.Errorf("%q: the window starts and ends at the same time; say off for no quiet hours", s)
	}
	return Window{Start: start, End: end}, nil
}

func clock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q: want a time such as 21:00", strings.TrimSpace(s))
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// IsOff reports whether w holds nothing.
func (w Window) IsOff() bool { return w.Start == w.End }

// String returns w as Parse reads it.
func (w Window) String() string {
	if w.IsOff() {
		return Off
	}
	return hhmm(w.Start) + "-" + hhmm(w.End)
}

func hhmm(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// Hold reports whether t falls inside w in loc, and if so when w ends there:
// the moment the message may go.
func (w Window) Hold(t time.Time, loc *time.Location) (time.Time, bool) {
	if w.IsOff() {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	now := time.Duration(lt.Hour())*time.Hour + time.Duration(lt.Minute())*time.Minute +
		time.Duration(lt.Second())*time.Second + time.Duration(lt.Nanosecond())
	day := 0
	switch {
	case w.Start < w.End && now >= w.Start && now < w.End:
	case w.Start > w.End && now >= w.Start:
		day = 1 // 23:30 in 21:00-08:00: the window ends tomorrow
	case w.Start > w.End && now < w.End:
	default:
		return time.Time{}, false
	}
	y, m, d := lt.Date()
	end := time.Date(y, m, d+day, int(w.End/time.Hour), int(w.End%time.Hour/time.Minute), 0, 0, loc)
	return end, true
}

// Resolve returns the campaign's window when it has one ("" means the default).
func Resolve(campaign string, def Window) (Window, error) {
	if strings.TrimSpace(campaign) == "" {
		return def, nil
	}
	w, err := Parse(campaign)
	if err != nil {
		return def, fmt.Errorf("quiet: campaign quiet hours %w", err)
	}
	return w, nil
}
