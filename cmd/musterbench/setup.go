package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/smtptest"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/twiliotest"
)

const (
	benchSID   = "AC0123456789abcdef0123456789abcdef"
	benchToken = "0123456789abcdef0123456789abcdef"
)

// bench is one benchmark run: its directory, sinks, store and processes.
type bench struct {
	o        options
	dir      string
	smtp     *smtptest.Server
	smtpURL  string
	sinkProc *exec.Cmd
	tw       *twiliotest.Server
	st       *store.Store
	rdb      *redis.Client
	key      string
	base     string
	serve    *exec.Cmd
	worker   *exec.Cmd
	seedTime time.Duration
}

func setup(ctx context.Context, o options) (*bench, error) {
	dir, err := os.MkdirTemp("", "musterbench-")
	if err != nil {
		return nil, err
	}
	b := &bench{o: o, dir: dir}
	steps := []func(context.Context) error{b.build, b.sinks, b.redis, b.seed, b.start}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			b.close()
			return nil, err
		}
	}
	return b, nil
}

func (b *bench) build(ctx context.Context) error {
	fmt.Fprintln(os.Stderr, "building muster...")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(b.dir, "muster"), "./cmd/muster").CombinedOutput()
	if err != nil {
		return fmt.Errorf("go build (run from the repository root): %w\n%s", err, out)
	}
	return nil
}

func (b *bench) sinks(ctx context.Context) error {
	var err error
	if b.o.sink == "postfix" {
		err = b.postfixSink(ctx)
	} else if b.smtp, err = smtptest.Start(smtptest.WithDiscard()); err == nil {
		b.smtpURL = b.smtp.URL()
	}
	if err != nil {
		return err
	}
	b.tw, err = twiliotest.Start(benchSID, benchToken, twiliotest.WithDiscard())
	return err
}

// postfixSink runs postfix's smtp-sink (apt-get install postfix), the sink
// the reference figures in performance.md were measured with.
func (b *bench) postfixSink(ctx context.Context) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	b.sinkProc = exec.CommandContext(ctx, "/usr/sbin/smtp-sink", "-u", "nobody", "-m", "1024", addr, "1024")
	if err := b.sinkProc.Start(); err != nil {
		return fmt.Errorf("smtp-sink (apt-get install postfix): %w", err)
	}
	b.smtpURL = "smtp://" + addr + "?tls=none"
	for range 100 {
		if c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr); err == nil {
			return c.Close()
		}
		time.Sleep(20 * time.Millisecond) // waiting for a child process to listen
	}
	return errors.New("smtp-sink did not start listening")
}

func (b *bench) redis(ctx context.Context) error {
	opt, err := redis.ParseURL(b.o.redisURL)
	if err != nil {
		return fmt.Errorf("-redis: %w", err)
	}
	b.rdb = redis.NewClient(opt)
	return b.rdb.FlushDB(ctx).Err()
}

// seed creates the campaigns, N supporters subscribed on both channels, and an API key.
func (b *bench) seed(ctx context.Context) error {
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(b.dir, "muster.db"), store.Options{})
	if err != nil {
		return err
	}
	b.st = st
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	var c store.Campaign
	for _, slug := range []string{"empty", "bench"} {
		if c, err = st.CreateCampaign(ctx, store.Campaign{Slug: slug, Name: "Bench " + slug, Locale: "en",
			Timezone: "Europe/London", EmailFrom: "Bench <alerts@example.org>", SMSFrom: "+15005550006"}); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "seeding %d supporters...\n", b.o.n)
	start := time.Now()
	for from := 0; from < b.o.n; from += 1000 {
		if _, err := st.UpsertSupporters(ctx, c.ID, supporters(from, min(from+1000, b.o.n))); err != nil {
			return err
		}
	}
	b.seedTime = time.Since(start)
	secret, hash, err := api.GenerateKey()
	if err != nil {
		return err
	}
	b.key = secret
	_, err = st.CreateAPIKey(ctx, "bench", store.RoleOrganizer, hash)
	return err
}

func supporters(from, to int) []store.SupporterUpsert {
	locales := []string{"en", "es", "pt-BR", "fr"}
	out := make([]store.SupporterUpsert, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, store.SupporterUpsert{
			Supporter: store.Supporter{Email: fmt.Sprintf("s%07d@example.org", i), Phone: fmt.Sprintf("+4477%08d", i),
				Name: fmt.Sprintf("Supporter %d", i), Locale: locales[i%4], Country: "GB", Timezone: "Europe/London"},
			Subscriptions: []store.SubscriptionInput{
				{Channel: store.ChannelEmail, Status: store.SubActive, Source: "import"},
				{Channel: store.ChannelSMS, Status: store.SubActive, Source: "import"},
			},
		})
	}
	return out
}

// start runs `muster serve` and `muster worker` on the seeded database.
func (b *bench) start(ctx context.Context) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	b.base = "http://" + addr
	env := append(os.Environ(),
		"MUSTER_DATABASE_URL=sqlite:"+filepath.Join(b.dir, "muster.db"), "MUSTER_REDIS_URL="+b.o.redisURL,
		"MUSTER_DATA_DIR="+b.dir, "MUSTER_HTTP_ADDR="+addr, "MUSTER_SMTP_URL="+b.smtpURL,
		"TWILIO_ACCOUNT_SID="+benchSID, "TWILIO_AUTH_TOKEN="+benchToken, "MUSTER_TWILIO_BASE_URL="+b.tw.URL(),
		"MUSTER_EMAIL_RATE=0", "MUSTER_SMS_RATE=0", "MUSTER_LOG_LEVEL=warn", "MUSTER_QUIET_HOURS=off",
	)
	env = append(env, b.o.env...)
	if b.serve, err = b.process(ctx, env, "serve"); err != nil {
		return err
	}
	if b.worker, err = b.process(ctx, env, "worker"); err != nil {
		return err
	}
	return b.waitReady(ctx)
}

func (b *bench) process(ctx context.Context, env []string, name string) (*exec.Cmd, error) {
	logf, err := os.Create(filepath.Join(b.dir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(b.dir, "muster"), name)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logf, logf
	return cmd, cmd.Start()
}

func (b *bench) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/readyz", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond) // waiting for a child process to listen
	}
	return fmt.Errorf("muster serve did not become ready; see %s/serve.log", b.dir)
}

func freeAddr() (string, error) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().String(), nil
}

func (b *bench) close() {
	for _, cmd := range []*exec.Cmd{b.serve, b.worker} {
		if cmd != nil && cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
			_ = cmd.Wait()
		}
	}
	if b.st != nil {
		_ = b.st.Close()
	}
	if b.smtp != nil {
		_ = b.smtp.Close()
	}
	if b.sinkProc != nil {
		_ = b.sinkProc.Process.Kill()
		_ = b.sinkProc.Wait()
	}
	if b.tw != nil {
		b.tw.Close()
	}
	if b.rdb != nil {
		_ = b.rdb.FlushDB(context.Background()).Err()
		_ = b.rdb.Close()
	}
	if !b.o.keep {
		_ = os.RemoveAll(b.dir)
	} else {
		fmt.Fprintln(os.Stderr, "kept", b.dir)
	}
}
