package config

import (
	"fmt"
	"strconv"
	"time"

	"github.com/muster-org/muster/internal/quiet"
)

// loader reads typed values from the environment and collects what is wrong.
type loader struct {
	getenv func(string) string
	errs   []error
}

func (l *loader) str(name, def string) string {
	if v := l.getenv(name); v != "" {
		return v
	}
	return def
}

func (l *loader) num(name string, def, lo, hi int) int {
	v := l.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		l.errs = append(l.errs, fmt.Errorf("%s: %q is not a whole number from %d to %d", name, v, lo, hi))
		return def
	}
	return n
}

func (l *loader) dur(name string, def time.Duration) time.Duration {
	v := l.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		l.errs = append(l.errs, fmt.Errorf("%s: %q is not a duration such as 500ms, 30s or 5m", name, v))
		return def
	}
	return d
}

// quiet reads a quiet-hours window ("21:00-08:00" or "off").
func (l *loader) quiet(name, def string) quiet.Window {
	v := l.str(name, def)
	w, err := quiet.Parse(v)
	if err != nil {
		l.errs = append(l.errs, fmt.Errorf("%s: %w", name, err))
	}
	return w
}
