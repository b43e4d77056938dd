package config

import (
	"fmt"
	"strings"
	"time"
)

// ParseQuietHours parses "HH:MM-HH:MM" into the start and end of the window as
// offsets from midnight. The window may wrap past midnight (21:00-08:00).
func ParseQuietHours(s string) (start, end time.Duration, err error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, fmt.Errorf("%q: want HH:MM-HH:MM", s)
	}
	if start, err = clock(from); err != nil {
		return 0, 0, err
	}
	if end, err = clock(to); err != nil {
		return 0, 0, err
	}
	return start, end, nil
}

func clock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q: want a time such as 21:00", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}
