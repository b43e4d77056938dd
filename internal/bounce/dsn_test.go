package bounce

import (
	"net/textproto"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDSNRecipientKind(t *testing.T) {
	tests := []struct {
		name         string
		action       string
		status       string
		diag         string
		want         Kind
		wantIncluded bool
	}{
		{"unknown user", "failed", "5.1.1", "", Hard, true},
		{"bad system", "failed", "5.1.2", "", Hard, true},
		{"bad syntax", "failed", "5.1.3", "", Hard, true},
		{"null MX", "failed", "5.1.10", "", Hard, true},
		{"mailbox disabled", "failed", "5.2.1", "", Hard, true},
		{"unable to route", "failed", "5.4.4", "", Hard, true},
		{"protocol rejection", "failed", "5.5.0", "", Hard, true},
		{"other permanent", "failed", "5.0.0", "", Hard, true},
		{"policy", "failed", "5.7.1", "", Soft, true},
		{"policy, three-digit detail", "failed", "5.7.606", "", Soft, true},
		{"content", "failed", "5.6.0", "", Soft, true},
		{"bad sender mailbox", "failed", "5.1.7", "", Soft, true},
		{"bad sender system", "failed", "5.1.8", "", Soft, true},
		{"mailbox full", "failed", "5.2.2", "", Soft, true},
		{"message too long", "failed", "5.2.3", "", Soft, true},
		{"message too big", "failed", "5.3.4", "", Soft, true},
		{"expired", "failed", "5.4.7", "", Soft, true},
		{"failed after transient errors", "failed", "4.4.1", "", Soft, true},
		{"failed without status", "failed", "", "", Soft, true},
		{"delayed", "delayed", "4.4.7", "", Soft, true},
		{"delayed with a permanent status", "delayed", "5.1.1", "", Soft, true},
		{"delivered", "delivered", "2.0.0", "", "", false},
		{"relayed", "relayed", "2.0.0", "", "", false},
		{"expanded", "expanded", "2.0.0", "", "", false},
		{"no action, permanent", "", "5.1.1", "", Hard, true},
		{"no action, transient", "", "4.2.0", "", Soft, true},
		{"no action, success", "", "2.1.5", "", "", false},
		{"nothing", "", "", "", "", false},
		{"generic status, policy reply", "failed", "5.0.0", "smtp; 550 5.7.1 Client host blocked", Soft, true},
		{"generic status, hyphen reply", "failed", "5.0.0", "smtp; 550-5.2.2 Mailbox full", Soft, true},
		{"generic status, hash reply", "failed", "5.0.0", "smtp; 550 #5.1.0 Address rejected", Hard, true},
		{"generic status, reply of another class", "failed", "5.0.0", "smtp; 450 4.7.1 Try later", Hard, true},
		{"specific status wins over reply", "failed", "5.1.1", "smtp; 550 5.7.1 blocked", Hard, true},
		{"no status, reply code", "failed", "", "smtp; 550 5.1.1 User unknown", Hard, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			block := textproto.MIMEHeader{"Final-Recipient": {"rfc822; a@example.net"}}
			for k, v := range map[string]string{"Action": tt.action, "Status": tt.status, "Diagnostic-Code": tt.diag} {
				if v != "" {
					block.Set(k, v)
				}
			}
			got, included := dsnRecipient(block)
			if included != tt.wantIncluded {
				t.Fatalf("included = %v, want %v", included, tt.wantIncluded)
			}
			if included && got.Kind != tt.want {
				t.Errorf("Kind = %q, want %q", got.Kind, tt.want)
			}
		})
	}
}

func TestAddress(t *testing.T) {
	tests := []struct {
		field string
		want  string
	}{
		{"rfc822; a@example.net", "a@example.net"},
		{"RFC822;a@example.net", "a@example.net"},
		{"rfc822; <a@example.net>", "a@example.net"},
		{"a@example.net", "a@example.net"},
		{`utf-8; j\x{F6}rg@example.net`, "jörg@example.net"},
		{"UTF-8; jörg@example.net", "jörg@example.net"},
		{`utf-8; j\x{110000}rg@example.net`, `j\x{110000}rg@example.net`},
		{`utf-8; j\x{F6rg@example.net`, `j\x{F6rg@example.net`},
		{"x400; /C=FR/", ""},
		{"rfc822; ", ""},
		{"rfc822; @example.net", ""},
		{"rfc822; a@", ""},
		{"rfc822; a b@example.net", ""},
		{"rfc822; a@example.net, b@example.net", ""},
		{"rfc822; \xffa@example.net", ""},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, address(tt.field)); diff != "" {
				t.Errorf("address(%q) mismatch (-want +got):\n%s", tt.field, diff)
			}
		})
	}
}

func TestMessageID(t *testing.T) {
	tests := []struct {
		value string
		want  string
	}{
		{"<muster.a12.d345@example.org>", "muster.a12.d345@example.org"},
		{"  <muster.a12.d345@example.org> (comment)", "muster.a12.d345@example.org"},
		{"muster.a12.d345@example.org", "muster.a12.d345@example.org"},
		{"<a@example.org> <b@example.org>", "a@example.org"},
		{"<muster.a12.d3", ""},
		{"<>", ""},
		{"", ""},
		{"two words", ""},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, messageID(tt.value)); diff != "" {
				t.Errorf("messageID(%q) mismatch (-want +got):\n%s", tt.value, diff)
			}
		})
	}
}

func TestFeedbackKind(t *testing.T) {
	tests := []struct {
		feedbackType string
		want         Kind
	}{
		{"abuse", Complaint},
		{"fraud", Complaint},
		{"virus", Soft},
		{"auth-failure", Soft},
		{"not-spam", Soft},
		{"other", Soft},
		{"", Soft},
	}
	for _, tt := range tests {
		t.Run(tt.feedbackType, func(t *testing.T) {
			if got := feedbackKind(tt.feedbackType); got != tt.want {
				t.Errorf("feedbackKind(%q) = %q, want %q", tt.feedbackType, got, tt.want)
			}
		})
	}
}
