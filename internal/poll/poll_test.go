package poll

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestUntilReturnsWhenTheConditionHolds(t *testing.T) {
	var n atomic.Int32
	go func() {
		for range 3 {
			n.Add(1)
		}
	}()
	Until(t, 5*time.Second, func() bool { return n.Load() == 3 }, func() string { return "never 3" })
}

// recorder is a testing.TB that records a failure instead of stopping the test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(string, ...any) {
	r.failed = true
	panic(r) // stop Until, as t.Fatalf's runtime.Goexit would
}

func TestUntilFailsAtTheDeadline(t *testing.T) {
	r := &recorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		Until(r, 50*time.Millisecond, func() bool { return false }, func() string { return "waited" })
	}()
	if !r.failed {
		t.Fatal("Until returned although the condition never held")
	}
}
