package worker

import (
	"math/rand/v2"
	"time"
)

func (s Settings) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// backoff is the wait before the n-th retry (n >= 1): RetryBase doubled for each
// earlier failure, capped at RetryMax, then spread by ±50% jitter so that the
// recipients of one outage do not all come back at the same instant.
func (s Settings) backoff(n int) time.Duration {
	d := s.RetryBase
	for i := 1; i < n && d < s.RetryMax; i++ {
		d *= 2
	}
	d = min(d, s.RetryMax)
	jitter := rand.Float64
	if s.Jitter != nil {
		jitter = s.Jitter
	}
	return time.Duration(float64(d) * (0.5 + jitter()))
}
