package ratelimit

import (
	"context"
	"fmt"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// throttlePrefix namespaces the throttle's keys in Redis.
const throttlePrefix = "muster:throttle:"

// Throttle limits how often one key (a client's IP address) may do something,
// across every process on the same Redis: a burst of Burst, then PerMinute a
// minute.
type Throttle struct {
	rl    *redis_rate.Limiter
	limit redis_rate.Limit
}

// NewThrottle returns a Throttle of perMinute requests a minute per key, with
// bursts of up to burst.
func NewThrottle(rdb redis.UniversalClient, perMinute, burst int) *Throttle {
	l := redis_rate.PerMinute(perMinute)
	l.Burst = max(burst, 1)
	return &Throttle{rl: redis_rate.NewLimiter(rdb), limit: l}
}

// Allow reports whether key may go ahead now, spending one of its requests.
func (t *Throttle) Allow(ctx context.Context, key string) (bool, error) {
	res, err := t.rl.Allow(ctx, throttlePrefix+key, t.limit)
	if err != nil {
		return false, fmt.Errorf("throttle: %w", err)
	}
	return res.Allowed > 0, nil
}
