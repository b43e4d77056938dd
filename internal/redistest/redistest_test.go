package redistest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Without MUSTER_TEST_REDIS_ADDR, the server tests use is this process's own
// child, not the machine's Redis that a Muster or another test run may share.
func TestPrivateServer(t *testing.T) {
	if os.Getenv("MUSTER_TEST_REDIS_ADDR") != "" {
		t.Skip("MUSTER_TEST_REDIS_ADDR names a shared server")
	}
	c := Open(t, 0)
	info, err := c.Info(context.Background(), "server").Result()
	if err != nil {
		t.Fatal(err)
	}
	pid := field(info, "process_id")
	status, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		t.Fatalf("read the server's process status: %v", err)
	}
	if got, want := field(string(status), "PPid"), strconv.Itoa(os.Getpid()); got != want {
		t.Errorf("the Redis server at %s (pid %s) has parent %s, want this test process %s", Addr(), pid, got, want)
	}
	if port := field(info, "tcp_port"); Addr() != "127.0.0.1:"+port || port == "6379" {
		t.Errorf("Addr() = %s, server port %s: want a private port", Addr(), port)
	}
}

// field returns the value of "name:value" (or "name:\tvalue") in a line-based report.
func field(report, name string) string {
	for line := range strings.SplitSeq(report, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
