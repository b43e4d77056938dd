package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/failure"
	musmail "github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/sms"
)

// files lists the names in dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func email(id, subject string) musmail.Message {
	return musmail.Message{From: "Free Assange <alerts@example.org>", To: "ana@example.org", ToName: "Ana",
		Subject: subject, Text: "Hola", HTML: "<p>Hola</p>", MessageID: id,
		ListUnsubscribe: []string{"https://muster.example.org/unsubscribe/tok"}}
}

func TestMailerWritesOneFilePerMessageID(t *testing.T) {
	dir := t.TempDir()
	m, err := NewMailer(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{"first try", "retried"} {
		id, err := m.Send(context.Background(), email("a12.d345@example.org", subject))
		if err != nil || id != "a12.d345@example.org" {
			t.Fatalf("Send = %q, %v", id, err)
		}
	}
	emailDir := filepath.Join(dir, "email")
	if diff := cmp.Diff([]string{"a12.d345@example.org.eml"}, files(t, emailDir)); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	f, err := os.Open(filepath.Join(emailDir, "a12.d345@example.org.eml"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	msg, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatalf("the file is not a message: %v", err)
	}
	got := []string{msg.Header.Get("Message-Id"), msg.Header.Get("Subject"), msg.Header.Get("List-Unsubscribe-Post")}
	if diff := cmp.Diff([]string{"<a12.d345@example.org>", "retried", "List-Unsubscribe=One-Click"}, got); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

func TestMailerMakesMessageID(t *testing.T) {
	dir := t.TempDir()
	m, err := NewMailer(dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := m.Send(context.Background(), email("", "x"))
	if err != nil || !strings.Contains(id, "@") {
		t.Fatalf("Send = %q, %v", id, err)
	}
	if diff := cmp.Diff([]string{id + ".eml"}, files(t, filepath.Join(dir, "email"))); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestMailerRefusesBadMessage(t *testing.T) {
	dir := t.TempDir()
	m, err := NewMailer(dir)
	if err != nil {
		t.Fatal(err)
	}
	bad := email("a@b", "x")
	bad.To = "not an address"
	if _, err := m.Send(context.Background(), bad); failure.ClassOf(err) != failure.Recipient {
		t.Fatalf("Send error %v, want a recipient failure", err)
	}
	if got := files(t, filepath.Join(dir, "email")); len(got) != 0 {
		t.Errorf("files left behind: %v", got)
	}
}

func TestTexterWritesJSON(t *testing.T) {
	dir := t.TempDir()
	tx, err := NewTexter(dir)
	if err != nil {
		t.Fatal(err)
	}
	tx.now = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.FixedZone("x", 3600)) }
	tests := []struct {
		name string
		msg  sms.Message
		want string
	}{
		{"from number", sms.Message{ID: "d1", To: "+447700900123", From: "+15005550006", Body: "Rally 13:00"}, `{
  "id": "d1",
  "to": "+447700900123",
  "from": "+15005550006",
  "body": "Rally 13:00",
  "created_at": "2026-11-22T09:00:00Z"
}
`},
		{"service, callback and validity", sms.Message{ID: "d2", To: "+447700900123", From: "+15005550006",
			MessagingServiceSID: "MG0123456789abcdef0123456789abcdef", Body: "¡Hola!",
			StatusCallback: "https://m.example.org/s?d=d2", ValidityPeriod: 2 * time.Hour}, `{
  "id": "d2",
  "to": "+447700900123",
  "messaging_service_sid": "MG0123456789abcdef0123456789abcdef",
  "body": "¡Hola!",
  "status_callback": "https://m.example.org/s?d=d2",
  "validity_period_seconds": 7200,
  "created_at": "2026-11-22T09:00:00Z"
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := tx.Send(context.Background(), tt.msg)
			if err != nil || id != "outbox-"+tt.msg.ID {
				t.Fatalf("Send = %q, %v", id, err)
			}
			got, err := os.ReadFile(filepath.Join(dir, "sms", tt.msg.ID+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTexterIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	tx, err := NewTexter(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{"first", "retried"} {
		if _, err := tx.Send(context.Background(), sms.Message{ID: "d1", To: "+447700900123", From: "+15005550006", Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	smsDir := filepath.Join(dir, "sms")
	if diff := cmp.Diff([]string{"d1.json"}, files(t, smsDir)); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	got, err := os.ReadFile(filepath.Join(smsDir, "d1.json"))
	if err != nil || !strings.Contains(string(got), `"body": "retried"`) {
		t.Errorf("file = %s, %v; want the retried body", got, err)
	}
}

func TestTexterRefuses(t *testing.T) {
	tests := []struct {
		name      string
		ctx       func() context.Context
		msg       sms.Message
		wantClass failure.Class
		wantErr   error
	}{
		{"no id", context.Background, sms.Message{To: "+447700900123", Body: "x"}, failure.Config, nil},
		{"cancelled", func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, sms.Message{ID: "d1", To: "+447700900123", Body: "x"}, failure.Transient, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tx, err := NewTexter(dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tx.Send(tt.ctx(), tt.msg)
			if err == nil || failure.ClassOf(err) != tt.wantClass || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("Send error %v, want class %s", err, tt.wantClass)
			}
			if got := files(t, filepath.Join(dir, "sms")); len(got) != 0 {
				t.Errorf("files written: %v", got)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	long := strings.Repeat("x", 300)
	sum := sha256.Sum256([]byte(long))
	tests := []struct {
		name string
		id   string
		want string
	}{
		{"plain", "a12.d345@example.org", "a12.d345@example.org"},
		{"traversal", "../../etc/passwd", "%2E.%2F..%2Fetc%2Fpasswd"},
		{"hidden", ".profile", "%2Eprofile"},
		{"percent is escaped too", "a%2Fb", "a%252Fb"},
		{"spaces and brackets", "<a b>", "%3Ca%20b%3E"},
		{"too long", long, "sha256-" + hex.EncodeToString(sum[:])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fileName(tt.id); got != tt.want {
				t.Errorf("fileName(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
}

func TestTraversalStaysInside(t *testing.T) {
	dir := t.TempDir()
	tx, err := NewTexter(filepath.Join(dir, "outbox"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Send(context.Background(), sms.Message{ID: "../../evil", To: "+447700900123", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"outbox"}, files(t, dir)); diff != "" {
		t.Errorf("files beside the outbox (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"%2E.%2F..%2Fevil.json"}, files(t, filepath.Join(dir, "outbox", "sms"))); diff != "" {
		t.Errorf("files in sms (-want +got):\n%s", diff)
	}
}
