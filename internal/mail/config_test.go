package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/mail"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want mail.Config
	}{
		{"starttls by default", "smtp://mail.example.org",
			mail.Config{Host: "mail.example.org", Port: 587, TLS: "starttls"}},
		{"credentials are url-decoded", "smtp://alerts%40example.org:p%40ss%2Fw@mail.example.org:2525?tls=starttls",
			mail.Config{Host: "mail.example.org", Port: 2525, Username: "alerts@example.org", Password: "p@ss/w", TLS: "starttls"}},
		{"smtps means implicit tls", "smtps://u:p@mail.example.org",
			mail.Config{Host: "mail.example.org", Port: 465, Username: "u", Password: "p", TLS: "tls"}},
		{"tls=tls defaults to 465", "smtp://mail.example.org?tls=tls",
			mail.Config{Host: "mail.example.org", Port: 465, TLS: "tls"}},
		{"tls=none defaults to 25", "smtp://relay.internal?tls=none",
			mail.Config{Host: "relay.internal", Port: 25, TLS: "none"}},
		{"password without tls on localhost", "smtp://u:p@localhost:1025?tls=none",
			mail.Config{Host: "localhost", Port: 1025, Username: "u", Password: "p", TLS: "none"}},
		{"optional parameters", "smtp://mail.example.org?helo=muster.example.org&timeout=30s&insecure_skip_verify=true",
			mail.Config{Host: "mail.example.org", Port: 587, TLS: "starttls", HELO: "muster.example.org",
				Timeout: 30 * time.Second, InsecureSkipVerify: true}},
		{"ipv6 host", "smtp://[::1]:2525?tls=none",
			mail.Config{Host: "::1", Port: 2525, TLS: "none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mail.ParseURL(tt.raw)
			if err != nil {
				t.Fatalf("ParseURL: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseURL (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseURLErrors(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		mention string
	}{
		{"wrong scheme", "http://u:s3cret@mail.example.org", "scheme"},
		{"no host", "smtp://u:s3cret@:25", "host"},
		{"port out of range", "smtp://u:s3cret@mail.example.org:99999", "port"},
		{"port not a number", "smtp://mail.example.org:abc", "not a valid URL"},
		{"unknown tls mode", "smtp://u:s3cret@mail.example.org?tls=ssl", "tls"},
		{"smtps with starttls", "smtps://u:s3cret@mail.example.org?tls=starttls", "smtps"},
		{"user without password", "smtp://u@mail.example.org", "password"},
		{"password sent in clear", "smtp://u:s3cret@mail.example.org?tls=none", "unencrypted"},
		{"unknown parameter", "smtp://u:s3cret@mail.example.org?pool=3", "unknown parameter"},
		{"bad timeout", "smtp://u:s3cret@mail.example.org?timeout=soon", "timeout"},
		{"path", "smtp://u:s3cret@mail.example.org/x", "path"},
		{"bad escape in password", "smtp://u:s3cret%zz@mail.example.org", "percent-encode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mail.ParseURL(tt.raw)
			if err == nil {
				t.Fatal("ParseURL succeeded, want an error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "MUSTER_SMTP_URL") || !strings.Contains(msg, tt.mention) {
				t.Errorf("error %q does not name MUSTER_SMTP_URL and %q", msg, tt.mention)
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("error %q repeats the password", msg)
			}
		})
	}
}

func TestConfigStringMasksPassword(t *testing.T) {
	cfg, err := mail.ParseURL("smtp://alerts:s3cret@mail.example.org?tls=starttls")
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.String()
	if want := "smtp://alerts:xxxxx@mail.example.org:587?tls=starttls"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
