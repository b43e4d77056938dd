package ratelimit

import (
	"context"
	"sync"
	"testing"

	"github.com/muster-org/muster/internal/redistest"
)

func TestTakeUnlimited(t *testing.T) {
	l := New(redistest.Open(t, redistest.DBLimit), map[string]int{"email": 0})
	got, wait, err := l.Take(context.Background(), "email", 500)
	if err != nil || got != 500 || wait != 0 {
		t.Fatalf("Take = %d, %v, %v; want all 500 at once", got, wait, err)
	}
}

// Several processes share one budget: here, goroutines with their own Limiter
// on the same Redis never get more than the burst (one second's worth) at once.
func TestTakeSharedAcrossLimiters(t *testing.T) {
	rdb := redistest.Open(t, redistest.DBLimit)
	const rate = 50
	var (
		mu      sync.Mutex
		granted int
		waited  bool
		wg      sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := New(rdb, map[string]int{"sms": rate})
			for range 10 {
				n, wait, err := l.Take(context.Background(), "sms", 10)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				granted += n
				waited = waited || (n == 0 && wait > 0)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	// 400 permits were asked for at once; the GCRA burst is one second's rate,
	// plus what trickled in while asking.
	if granted < rate || granted > rate+10 {
		t.Fatalf("granted %d permits, want about %d (the burst)", granted, rate)
	}
	if !waited {
		t.Fatal("no caller was told to wait")
	}
}
