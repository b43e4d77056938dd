package config

import (
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"database", c.DatabaseURL, "sqlite:./data/muster.db"},
		{"redis", c.RedisURL, "redis://127.0.0.1:6379/0"},
		{"base url", c.BaseURL, "http://127.0.0.1:8080"},
		{"outbox dir", c.OutboxDir, "./data/outbox"},
		{"email outbox", c.EmailOutbox(), true},
		{"sms outbox", c.SMSOutbox(), true},
		{"email rate unlimited with outbox", c.EmailRate, 0},
		{"retry base", c.RetryBase, 30 * time.Second},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadProviders(t *testing.T) {
	c, err := Load(env(map[string]string{
		"MUSTER_SMTP_URL": "smtp://u:p@mail.example.org:587", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "tok",
		"MUSTER_BASE_URL": "https://alerts.example.org/",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.EmailRate != 1000 || c.SMSRate != 100 || c.EmailOutbox() || c.SMSOutbox() {
		t.Errorf("provider defaults: email rate %d, sms rate %d, outboxes %v/%v", c.EmailRate, c.SMSRate, c.EmailOutbox(), c.SMSOutbox())
	}
	if c.BaseURL != "https://alerts.example.org" {
		t.Errorf("BaseURL = %q, want the trailing slash trimmed", c.BaseURL)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"bad number", map[string]string{"MUSTER_SMTP_POOL": "many"}, "MUSTER_SMTP_POOL"},
		{"bad duration", map[string]string{"MUSTER_RETRY_BASE": "soon"}, "MUSTER_RETRY_BASE"},
		{"production needs a secret", map[string]string{"MUSTER_ENV": "production"}, "MUSTER_SECRET"},
		{"half of twilio", map[string]string{"TWILIO_ACCOUNT_SID": "AC1"}, "TWILIO_AUTH_TOKEN"},
		{"bad database", map[string]string{"MUSTER_DATABASE_URL": "mysql://x"}, "MUSTER_DATABASE_URL"},
		{"bad quiet hours", map[string]string{"MUSTER_QUIET_HOURS": "late"}, "MUSTER_QUIET_HOURS"},
		{"bad base url", map[string]string{"MUSTER_BASE_URL": "alerts.example.org"}, "MUSTER_BASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestQuietHours(t *testing.T) {
	for in, want := range map[string]string{"": "21:00-08:00", "off": "off", "22:30-07:00": "22:30-07:00"} {
		c, err := Load(env(map[string]string{"MUSTER_QUIET_HOURS": in}))
		if err != nil || c.QuietHours.String() != want {
			t.Errorf("MUSTER_QUIET_HOURS=%q: %v, %v; want %s", in, c.QuietHours, err, want)
		}
	}
}

func TestWorkerGCPercent(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want int
	}{
		{map[string]string{}, 400},
		{map[string]string{"MUSTER_WORKER_GC_PERCENT": "100"}, 100},
		{map[string]string{"MUSTER_WORKER_GC_PERCENT": "0"}, 0},
		{map[string]string{"GOGC": "50"}, 0},
	} {
		c, err := Load(env(tc.env))
		if err != nil || c.WorkerGCPercent != tc.want {
			t.Errorf("%v: %d, %v; want %d", tc.env, c.WorkerGCPercent, err, tc.want)
		}
	}
}
