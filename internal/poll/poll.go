// Package poll waits, in tests, for a condition that another goroutine or
// process makes true: it checks again every few milliseconds until a deadline,
// never sleeping a guessed time.
package poll

import (
	"testing"
	"time"
)

// interval is how often Until checks its condition.
const interval = 20 * time.Millisecond

// Until calls cond until it returns true, and fails the test with what() if
// timeout passes first.
func Until(t testing.TB, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what())
		}
		<-tick.C
	}
}
