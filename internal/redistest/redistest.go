// Package redistest gives tests a real Redis of their own.
//
// Each test process (each package under `go test ./...`) starts its own
// private redis-server on a free loopback port, the first time a test asks for
// it, and the server dies with the process. So two test runs on one machine,
// or a test run beside a Muster that uses the machine's Redis, never share a
// database: nothing flushes or takes another's tasks. Within a process, each
// test's database is flushed before and after it.
//
// MUSTER_TEST_REDIS_ADDR names a server to use instead (for a machine without
// redis-server); then the package database numbers below keep the packages of
// one run apart, but two runs on that server would disturb each other.
package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The database numbers handed out to test packages; one per package, so that
// packages sharing a server named by MUSTER_TEST_REDIS_ADDR stay apart.
const (
	DBWeb    = 10
	DBAPI    = 11
	DBWorker = 12
	DBCmd    = 13
	DBLimit  = 14
	DBBench  = 15
)

// startTimeout bounds the wait for a private server to answer.
const startTimeout = 10 * time.Second

// private is the address of this process's own server, started once.
var private = sync.OnceValues(startPrivate) // one server per test process, by design

// Addr returns the address of the Redis server tests use: MUSTER_TEST_REDIS_ADDR,
// else this process's private server, started now if needed. It panics when
// no server can be started; Open reports that as a test failure instead.
func Addr() string {
	addr, err := addr()
	if err != nil {
		panic(err)
	}
	return addr
}

func addr() (string, error) {
	if a := os.Getenv("MUSTER_TEST_REDIS_ADDR"); a != "" {
		return a, nil
	}
	return private()
}

// URL returns a redis:// URL for database db on the test server.
func URL(db int) string {
	return "redis://" + Addr() + "/" + strconv.Itoa(db)
}

// Open returns a client on database db, flushed now and again when the test ends.
// The test fails at once if Redis cannot be reached.
func Open(t testing.TB, db int) *redis.Client {
	t.Helper()
	a, err := addr()
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: a, DB: db})
	ctx := context.Background()
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("redistest: Redis at %s is needed: %v", a, err)
	}
	t.Cleanup(func() {
		_ = c.FlushDB(context.Background()).Err()
		_ = c.Close()
	})
	return c
}

// startPrivate starts a redis-server that keeps nothing on disk, on a free
// port of 127.0.0.1, and returns its address once it answers. A port taken
// between the probe and the server's bind is retried with another.
func startPrivate() (string, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", errors.New("redis-server is not installed (`make test` installs it; " +
			"or set MUSTER_TEST_REDIS_ADDR to a server tests may flush)")
	}
	var errs []error
	for range 5 {
		a, err := tryStart(bin)
		if err == nil {
			return a, nil
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("start a private redis-server: %w", errors.Join(errs...))
}

func tryStart(bin string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	exited := make(chan error, 1)
	started := make(chan error, 1)
	go run(bin, port, started, exited)
	if err := <-started; err != nil {
		return "", err
	}
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer func() { _ = c.Close() }()
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case err := <-exited:
			return "", fmt.Errorf("redis-server on port %d exited: %w", port, err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return addr, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("redis-server on port %d did not answer: %w", port, err)
		}
		time.Sleep(20 * time.Millisecond) //nolint:forbidigo // polling a starting server, with a deadline
	}
}

// run starts the server and waits for it on a goroutine locked to its OS
// thread for good: the server gets SIGKILL when the thread that started it
// ends (Pdeathsig), and a locked thread ends only with the process.
func run(bin string, port int, started, exited chan<- error) {
	runtime.LockOSThread()
	cmd := exec.CommandContext(context.Background(), bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", //nolint:gosec // the machine's redis-server
		"--save", "", "--appendonly", "no", "--dir", os.TempDir(), "--logfile", "", "--loglevel", "warning")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		started <- fmt.Errorf("start redis-server: %w", err)
		return
	}
	started <- nil
	exited <- cmd.Wait()
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port //nolint:forcetypeassert // a TCP listener's address
	return port, ln.Close()
}
