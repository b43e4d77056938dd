package ratelimit_test

import (
	"context"
	"testing"

	"github.com/muster-org/muster/internal/ratelimit"
	"github.com/muster-org/muster/internal/redistest"
)

// TestThrottle: one key's burst runs out while another key is untouched, and
// two throttles on the same Redis share the count.
func TestThrottle(t *testing.T) {
	rdb := redistest.Open(t, redistest.DBLimit)
	ctx := context.Background()
	a, b := ratelimit.NewThrottle(rdb, 6, 5), ratelimit.NewThrottle(rdb, 6, 5)
	allowed := 0
	for i := range 10 {
		th := a
		if i%2 == 1 {
			th = b
		}
		ok, err := th.Allow(ctx, "198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			allowed++
		}
	}
	if allowed != 5 {
		t.Errorf("%d of 10 requests allowed, want the burst of 5", allowed)
	}
	if ok, err := a.Allow(ctx, "203.0.113.9"); err != nil || !ok {
		t.Errorf("another address was throttled: %v, %v", ok, err)
	}
}
