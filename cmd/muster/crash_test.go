package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/poll"
	"github.com/muster-org/muster/internal/redistest"
	"github.com/muster-org/muster/internal/smtptest"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/twiliotest"
	"github.com/muster-org/muster/worker"
)

const (
	crashSID   = "AC0123456789abcdef0123456789abcdef"
	crashToken = "0123456789abcdef0123456789abcdef"
)

// buildMuster builds the muster binary into a temporary directory.
func buildMuster(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "muster")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A worker process killed with SIGKILL mid-alert, then restarted: every
// message goes out, and the only doubles are those recorded as ambiguous (in
// flight at the instant of the kill).
func TestWorkerKilledMidAlert(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const n = 400
	bin := buildMuster(t)
	dir := t.TempDir()
	redistest.Open(t, redistest.DBCmd)
	smtp := smtptest.NewServer(t)
	tw := twiliotest.NewServer(t, crashSID, crashToken)
	dbURL := "sqlite:" + filepath.Join(dir, "muster.db")
	st, alertID := seedCrash(t, dbURL, n)

	env := append(os.Environ(),
		"MUSTER_DATABASE_URL="+dbURL, "MUSTER_REDIS_URL="+redistest.URL(redistest.DBCmd),
		"MUSTER_DATA_DIR="+dir, "MUSTER_SMTP_URL="+smtp.URL(),
		"TWILIO_ACCOUNT_SID="+crashSID, "TWILIO_AUTH_TOKEN="+crashToken, "MUSTER_TWILIO_BASE_URL="+tw.URL(),
		"MUSTER_EMAIL_RATE=150", "MUSTER_SMS_RATE=150", "MUSTER_BATCH_SIZE=50", "MUSTER_CHUNK_SIZE=10",
		"MUSTER_SEND_LEASE=2s", "MUSTER_RECONCILE_INTERVAL=200ms", "MUSTER_QUEUE_POLL=100ms",
		"MUSTER_RETRY_BASE=50ms", "MUSTER_RETRY_MAX=200ms", "MUSTER_LOG_LEVEL=warn",
		"MUSTER_QUIET_HOURS=off", // whatever the hour in the supporters' zones
	)
	first := startProcess(t, bin, env, filepath.Join(dir, "worker1.log"))
	poll.Until(t, 30*time.Second, func() bool { return smtp.Count() >= n/4 && tw.Count() >= n/4 },
		func() string { return fmt.Sprintf("first worker sent %d emails, %d SMS", smtp.Count(), tw.Count()) })
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	killedAt := smtp.Count() + tw.Count()

	startProcess(t, bin, env, filepath.Join(dir, "worker2.log"))
	poll.Until(t, 90*time.Second, func() bool {
		a, err := st.AlertByID(context.Background(), alertID)
		return err == nil && a.Status == store.AlertCompleted
	}, func() string { return "the alert did not complete after the restart; see " + dir })
	if killedAt >= 2*n {
		t.Fatalf("the kill came too late (%d of %d messages already out) to test anything", killedAt, 2*n)
	}
	checkOnceOrAmbiguous(t, st, alertID, smtp, tw)
}

func checkOnceOrAmbiguous(t *testing.T, st *store.Store, alertID int64, smtp *smtptest.Server, tw *twiliotest.Server) {
	t.Helper()
	ctx := context.Background()
	sups, _, err := st.ListSupporters(ctx, 1, store.SupporterFilter{}, store.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ds, _, err := st.ListDeliveries(ctx, alertID, store.DeliveryFilter{}, store.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	ambiguous := map[string]bool{}
	for _, d := range ds {
		if d.Status != store.DeliverySent {
			t.Errorf("delivery %d is %s, want sent", d.ID, d.Status)
		}
		ambiguous[fmt.Sprint(d.Channel, d.SupporterID)] = d.Ambiguous
	}
	doubles := 0
	for _, s := range sups {
		for ch, got := range map[store.Channel]int{store.ChannelEmail: smtp.CountTo(s.Email), store.ChannelSMS: tw.CountTo(s.Phone)} {
			amb := ambiguous[fmt.Sprint(ch, s.ID)]
			switch {
			case got == 1:
			case got == 2 && amb:
				doubles++
			default:
				t.Errorf("supporter %d got %d %s messages (ambiguous: %v), want 1 (or 2 if ambiguous)", s.ID, got, ch, amb)
			}
		}
	}
	t.Logf("%d messages were in flight at the kill and went out twice, each recorded as ambiguous", doubles)
}

func seedCrash(t *testing.T, dbURL string, n int) (*store.Store, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, store.Campaign{Slug: "crash", Name: "Crash", Locale: "en", Timezone: "UTC",
		EmailFrom: "Crash <alerts@example.org>", SMSFrom: "+15005550006"})
	if err != nil {
		t.Fatal(err)
	}
	var ups []store.SupporterUpsert
	for i := range n {
		ups = append(ups, store.SupporterUpsert{
			Supporter: store.Supporter{Email: fmt.Sprintf("k%04d@example.org", i), Phone: fmt.Sprintf("+4474001%05d", i),
				Name: "K", Locale: "en", Country: "GB"},
			Subscriptions: []store.SubscriptionInput{
				{Channel: store.ChannelEmail, Status: store.SubActive, Source: "api"},
				{Channel: store.ChannelSMS, Status: store.SubActive, Source: "api"},
			},
		})
	}
	if _, err := st.UpsertSupporters(ctx, c.ID, ups); err != nil {
		t.Fatal(err)
	}
	a, _, err := st.CreateAlert(ctx, store.Alert{CampaignID: c.ID, Template: "mobilization",
		Data:     map[string]any{"title": "Chain", "starts_at": "2022-10-08T13:00:00Z", "place": "Here"},
		Channels: []store.Channel{store.ChannelEmail, store.ChannelSMS}, SendAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: redistest.Addr(), DB: redistest.DBCmd})
	defer func() { _ = client.Close() }()
	if err := worker.NewQueue(client).EnqueueFanout(ctx, a.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	return st, a.ID
}

// startProcess runs `muster worker` with env, logging to logPath; it is killed when the test ends.
func startProcess(t *testing.T, bin string, env []string, logPath string) *exec.Cmd {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "worker")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		_ = logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s:\n%s", logPath, strings.TrimSpace(string(b)))
		}
	})
	return cmd
}
