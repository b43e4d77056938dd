// Package config loads Muster's configuration from the environment.
//
// Every setting has a default that works on one machine with nothing
// installed but Redis; validation errors name the variable at fault.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/muster-org/muster/internal/quiet"
)

// Config is Muster's whole configuration.
type Config struct {
	// Env is MUSTER_ENV: "development" (default) or "production".
	Env string
	// DataDir is MUSTER_DATA_DIR (default ./data): the generated secret lives here.
	DataDir string
	// DatabaseURL is MUSTER_DATABASE_URL (default sqlite:./data/muster.db).
	DatabaseURL string
	// RedisURL is MUSTER_REDIS_URL (default redis://127.0.0.1:6379/0).
	RedisURL string
	// HTTPAddr is MUSTER_HTTP_ADDR (default 127.0.0.1:8080).
	HTTPAddr string
	// BaseURL is MUSTER_BASE_URL (default http:// + HTTPAddr): the public URL in links.
	BaseURL string
	// Secret is MUSTER_SECRET (default: generated into DataDir on first run); signs tokens.
	Secret string
	// LogLevel is MUSTER_LOG_LEVEL (default info): debug, info, warn, error.
	LogLevel string
	// LogFormat is MUSTER_LOG_FORMAT (default text): text or json.
	LogFormat string
	// DebugAddr is MUSTER_DEBUG_ADDR (default unset): where to serve Go's
	// profiler (/debug/pprof/), for measuring; keep it on loopback.
	DebugAddr string

	// SMTPURL is MUSTER_SMTP_URL (default unset: mail goes to the outbox).
	SMTPURL string
	// SMTPPool is MUSTER_SMTP_POOL (default 16): SMTP connections kept open per worker process.
	SMTPPool int
	// TwilioAccountSID is TWILIO_ACCOUNT_SID (default unset: SMS goes to the outbox).
	TwilioAccountSID string
	// TwilioAuthToken is TWILIO_AUTH_TOKEN.
	TwilioAuthToken string
	// TwilioBaseURL is MUSTER_TWILIO_BASE_URL (default Twilio's own).
	TwilioBaseURL string
	// SMSParallel is MUSTER_SMS_PARALLEL (default 16): Twilio requests in flight per batch.
	SMSParallel int
	// OutboxDir is MUSTER_OUTBOX_DIR (default ./data/outbox).
	OutboxDir string
	// EmailRate is MUSTER_EMAIL_RATE: emails per second across all workers
	// (default 1000 with SMTP, 0 = unlimited with the outbox).
	EmailRate int
	// SMSRate is MUSTER_SMS_RATE: SMS per second across all workers
	// (default 100 with Twilio, 0 = unlimited with the outbox).
	SMSRate int
	// QuietHours is MUSTER_QUIET_HOURS (default 21:00-08:00, or off): SMS quiet hours
	// in the supporter's local time; a campaign may set its own.
	QuietHours quiet.Window

	// BatchSize is MUSTER_BATCH_SIZE (default 500): recipients per delivery task.
	BatchSize int
	// ChunkSize is MUSTER_CHUNK_SIZE (default 64): deliveries claimed and recorded together.
	ChunkSize int
	// EmailConcurrency is MUSTER_EMAIL_CONCURRENCY (default 4): email batches in parallel per worker.
	EmailConcurrency int
	// SMSConcurrency is MUSTER_SMS_CONCURRENCY (default 4): SMS batches in parallel per worker.
	SMSConcurrency int
	// RetryBudget is MUSTER_RETRY_BUDGET (default 8): transient failures before a message fails.
	RetryBudget int
	// RetryBase is MUSTER_RETRY_BASE (default 30s): the first retry delay, doubled each time.
	RetryBase time.Duration
	// RetryMax is MUSTER_RETRY_MAX (default 30m): the longest retry delay.
	RetryMax time.Duration
	// RateLimitWait is MUSTER_RATE_LIMIT_WAIT (default 10s): the wait after a provider
	// rate-limit answer that gave no wait of its own.
	RateLimitWait time.Duration
	// SendLease is MUSTER_SEND_LEASE (default 2m): how long a message may stay in
	// sending before it is taken for lost with its process and re-driven (as ambiguous).
	SendLease time.Duration
	// WorkerGCPercent is MUSTER_WORKER_GC_PERCENT (default 400): the garbage
	// collector's target in worker processes, which trade some memory (a
	// bounded heap of a few tens of MB more) for a tenth more messages a
	// second; 0 leaves Go's default, and so does a GOGC in the environment.
	WorkerGCPercent int
	// ConfirmTTL is MUSTER_CONFIRM_TTL (default 168h): how long a double opt-in
	// link works.
	ConfirmTTL time.Duration
	// ReconcileInterval is MUSTER_RECONCILE_INTERVAL (default 30s): how often lost work is re-driven.
	ReconcileInterval time.Duration
	// QueuePoll is MUSTER_QUEUE_POLL (default 1s): how often scheduled and retried
	// tasks are moved to their queue.
	QueuePoll time.Duration
	// ShutdownTimeout is MUSTER_SHUTDOWN_TIMEOUT (default 20s).
	ShutdownTimeout time.Duration
}

// Production reports whether Muster runs with MUSTER_ENV=production.
func (c Config) Production() bool { return c.Env == "production" }

// EmailOutbox reports whether email goes to the local outbox.
func (c Config) EmailOutbox() bool { return c.SMTPURL == "" }

// SMSOutbox reports whether SMS goes to the local outbox.
func (c Config) SMSOutbox() bool { return c.TwilioAccountSID == "" || c.TwilioAuthToken == "" }

// Load reads the configuration from getenv (os.Getenv in production).
func Load(getenv func(string) string) (Config, error) {
	l := loader{getenv: getenv}
	c := Config{
		Env:               l.str("MUSTER_ENV", "development"),
		DataDir:           l.str("MUSTER_DATA_DIR", "./data"),
		RedisURL:          l.str("MUSTER_REDIS_URL", "redis://127.0.0.1:6379/0"),
		HTTPAddr:          l.str("MUSTER_HTTP_ADDR", "127.0.0.1:8080"),
		Secret:            getenv("MUSTER_SECRET"),
		LogLevel:          l.str("MUSTER_LOG_LEVEL", "info"),
		LogFormat:         l.str("MUSTER_LOG_FORMAT", "text"),
		DebugAddr:         getenv("MUSTER_DEBUG_ADDR"),
		SMTPURL:           getenv("MUSTER_SMTP_URL"),
		SMTPPool:          l.num("MUSTER_SMTP_POOL", 16, 1, 1000),
		TwilioAccountSID:  getenv("TWILIO_ACCOUNT_SID"),
		TwilioAuthToken:   getenv("TWILIO_AUTH_TOKEN"),
		TwilioBaseURL:     getenv("MUSTER_TWILIO_BASE_URL"),
		SMSParallel:       l.num("MUSTER_SMS_PARALLEL", 16, 1, 1000),
		BatchSize:         l.num("MUSTER_BATCH_SIZE", 500, 1, 10000),
		ChunkSize:         l.num("MUSTER_CHUNK_SIZE", 64, 1, 1000),
		EmailConcurrency:  l.num("MUSTER_EMAIL_CONCURRENCY", 4, 1, 1000),
		SMSConcurrency:    l.num("MUSTER_SMS_CONCURRENCY", 4, 1, 1000),
		RetryBudget:       l.num("MUSTER_RETRY_BUDGET", 8, 0, 1000),
		RetryBase:         l.dur("MUSTER_RETRY_BASE", 30*time.Second),
		RetryMax:          l.dur("MUSTER_RETRY_MAX", 30*time.Minute),
		RateLimitWait:     l.dur("MUSTER_RATE_LIMIT_WAIT", 10*time.Second),
		SendLease:         l.dur("MUSTER_SEND_LEASE", 2*time.Minute),
		ConfirmTTL:        l.dur("MUSTER_CONFIRM_TTL", 7*24*time.Hour),
		WorkerGCPercent:   l.num("MUSTER_WORKER_GC_PERCENT", 400, 0, 10000),
		ReconcileInterval: l.dur("MUSTER_RECONCILE_INTERVAL", 30*time.Second),
		QueuePoll:         l.dur("MUSTER_QUEUE_POLL", time.Second),
		ShutdownTimeout:   l.dur("MUSTER_SHUTDOWN_TIMEOUT", 20*time.Second),
	}
	c.QuietHours = l.quiet("MUSTER_QUIET_HOURS", "21:00-08:00")
	if getenv("GOGC") != "" {
		c.WorkerGCPercent = 0 // the operator's GOGC, which the runtime has applied, wins
	}
	c.DatabaseURL = l.str("MUSTER_DATABASE_URL", "sqlite:"+strings.TrimSuffix(c.DataDir, "/")+"/muster.db")
	c.OutboxDir = l.str("MUSTER_OUTBOX_DIR", strings.TrimSuffix(c.DataDir, "/")+"/outbox")
	c.BaseURL = strings.TrimSuffix(l.str("MUSTER_BASE_URL", "http://"+c.HTTPAddr), "/")
	c.EmailRate = l.num("MUSTER_EMAIL_RATE", pick(c.EmailOutbox(), 0, 1000), 0, 1_000_000)
	c.SMSRate = l.num("MUSTER_SMS_RATE", pick(c.SMSOutbox(), 0, 100), 0, 1_000_000)
	l.errs = append(l.errs, c.validate()...)
	if len(l.errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(l.errs...))
	}
	return c, nil
}

func pick(cond bool, yes, no int) int {
	if cond {
		return yes
	}
	return no
}

func (c Config) validate() []error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(c.Env == "development" || c.Env == "production", "MUSTER_ENV: %q is neither development nor production", c.Env)
	check(!c.Production() || len(c.Secret) >= 32, "MUSTER_SECRET: required, at least 32 characters, when MUSTER_ENV=production")
	check(c.Secret == "" || len(c.Secret) >= 32, "MUSTER_SECRET: at least 32 characters")
	check(strings.HasPrefix(c.DatabaseURL, "sqlite:") || strings.HasPrefix(c.DatabaseURL, "postgres://") ||
		strings.HasPrefix(c.DatabaseURL, "postgresql://"), "MUSTER_DATABASE_URL: want sqlite:PATH or postgres://...")
	u, err := url.Parse(c.BaseURL)
	check(err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "", "MUSTER_BASE_URL: %q is not an http(s) URL", c.BaseURL)
	check((c.TwilioAccountSID == "") == (c.TwilioAuthToken == ""), "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: set both or neither")
	check(c.LogFormat == "text" || c.LogFormat == "json", "MUSTER_LOG_FORMAT: want text or json")
	check(c.RetryBase > 0 && c.RetryMax >= c.RetryBase, "MUSTER_RETRY_BASE/MUSTER_RETRY_MAX: want 0 < base <= max")
	check(c.SendLease > 0 && c.ReconcileInterval > 0 && c.QueuePoll > 0 && c.RateLimitWait > 0,
		"MUSTER_SEND_LEASE, MUSTER_RECONCILE_INTERVAL, MUSTER_QUEUE_POLL, MUSTER_RATE_LIMIT_WAIT: must be positive")
	return errs
}
