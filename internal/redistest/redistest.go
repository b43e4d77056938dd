// Package redistest gives tests a real Redis database of their own, flushed
// before and after each test.
//
// Each test package picks its own database number so that packages tested in
// parallel by `go test ./...` never share one. MUSTER_TEST_REDIS_ADDR overrides
// the address (default 127.0.0.1:6379).
package redistest

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/redis/go-redis/v9"
)

// The database numbers handed out to test packages; one per package.
const (
	DBWeb    = 10
	DBAPI    = 11
	DBWorker = 12
	DBCmd    = 13
	DBLimit  = 14
	DBBench  = 15
)

// Addr returns the address of the Redis server tests use.
func Addr() string {
	if a := os.Getenv("MUSTER_TEST_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// URL returns a redis:// URL for database db on the test server.
func URL(db int) string {
	return "redis://" + Addr() + "/" + strconv.Itoa(db)
}

// Open returns a client on database db, flushed now and again when the test ends.
// The test fails at once if Redis cannot be reached.
func Open(t testing.TB, db int) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: Addr(), DB: db})
	ctx := context.Background()
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("redistest: Redis at %s is needed (run `make test`, which starts it): %v", Addr(), err)
	}
	t.Cleanup(func() {
		_ = c.FlushDB(context.Background()).Err()
		_ = c.Close()
	})
	return c
}
