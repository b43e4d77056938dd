// Package ratelimit holds provider send rates across every worker process,
// with a GCRA limiter kept in Redis (github.com/go-redis/redis_rate).
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// keyPrefix namespaces the limiter's keys in Redis.
const keyPrefix = "muster:rate:"

// Limiter hands out send permits per key (a channel such as "email" or "sms"),
// each key with its own rate per second shared by all processes on the same Redis.
type Limiter struct {
	rl    *redis_rate.Limiter
	rates map[string]int
}

// New returns a Limiter with a rate per second for each key; a key with rate 0,
// or with no rate, is unlimited.
func New(rdb redis.UniversalClient, rates map[string]int) *Limiter {
	return &Limiter{rl: redis_rate.NewLimiter(rdb), rates: rates}
}

// Take asks for up to n permits for key without waiting. It returns how many
// were granted (0..n) and, when none was, how long to wait before asking again.
func (l *Limiter) Take(ctx context.Context, key string, n int) (int, time.Duration, error) {
	rate := l.rates[key]
	if rate <= 0 || n <= 0 {
		return n, 0, nil
	}
	res, err := l.rl.AllowAtMost(ctx, keyPrefix+key, redis_rate.PerSecond(rate), n)
	if err != nil {
		return 0, 0, fmt.Errorf("rate limit %s: %w", key, err)
	}
	if res.Allowed > 0 {
		return res.Allowed, 0, nil
	}
	wait := res.RetryAfter
	if wait <= 0 {
		wait = time.Second / time.Duration(rate)
	}
	return 0, wait, nil
}
