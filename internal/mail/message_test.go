package mail_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/mail"
)

func sampleMessage(to string) mail.Message {
	return mail.Message{
		From:      "Free Assange <alerts@example.org>",
		ReplyTo:   "team@example.org",
		To:        to,
		ToName:    "Ana Lima",
		Subject:   "Cadena humana — sábado 13:00",
		Text:      "Hola Ana,\n\nNos vemos en Parliament Square a las 09:00.\n",
		HTML:      "<p>Hola Ana,</p><p>Nos vemos en <b>Parliament Square</b>.</p>",
		MessageID: "a12.d345@example.org",
		Date:      time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		Headers:   map[string]string{"X-Muster-Alert": "a12"},
		ListUnsubscribe: []string{
			"mailto:unsubscribe@example.org?subject=d345",
			"https://muster.example.org/unsubscribe/tok",
		},
	}
}

// parsed is what a mail client sees of a message.
type parsed struct {
	Headers map[string]string
	Parts   []part
}

type part struct {
	ContentType string
	Body        string
}

var checkedHeaders = []string{
	"From", "To", "Reply-To", "Subject", "Message-Id", "Date", "Mime-Version",
	"List-Unsubscribe", "List-Unsubscribe-Post", "Precedence", "X-Auto-Response-Suppress",
	"X-Muster-Alert", "User-Agent", "X-Mailer",
}

func parseMessage(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	got := parsed{Headers: map[string]string{}}
	dec := new(mime.WordDecoder)
	for _, name := range checkedHeaders {
		if v := msg.Header.Get(name); v != "" {
			decoded, err := dec.DecodeHeader(v)
			if err != nil {
				t.Fatalf("decode %s: %v", name, err)
			}
			got.Headers[name] = decoded
		}
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	if mediaType != "multipart/alternative" {
		got.Parts = []part{{msg.Header.Get("Content-Type"), readPart(t, msg.Header.Get("Content-Transfer-Encoding"), msg.Body)}}
		return got
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		got.Parts = append(got.Parts, part{p.Header.Get("Content-Type"), readPart(t, p.Header.Get("Content-Transfer-Encoding"), p)})
	}
}

func readPart(t *testing.T, encoding string, r io.Reader) string {
	t.Helper()
	if strings.EqualFold(encoding, "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read part: %v", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

func TestWriteMessage(t *testing.T) {
	var buf bytes.Buffer
	if err := mail.WriteMessage(&buf, sampleMessage("ana@example.org")); err != nil {
		t.Fatalf("WriteMessage: %v", err)
	}
	want := parsed{
		Headers: map[string]string{
			"From":                     `"Free Assange" <alerts@example.org>`,
			"To":                       `"Ana Lima" <ana@example.org>`,
			"Reply-To":                 "<team@example.org>",
			"Subject":                  "Cadena humana — sábado 13:00",
			"Message-Id":               "<a12.d345@example.org>",
			"Date":                     "Sun, 22 Nov 2026 10:00:00 +0000",
			"Mime-Version":             "1.0",
			"List-Unsubscribe":         "<https://muster.example.org/unsubscribe/tok>, <mailto:unsubscribe@example.org?subject=d345>",
			"List-Unsubscribe-Post":    "List-Unsubscribe=One-Click",
			"Precedence":               "bulk",
			"X-Auto-Response-Suppress": "All",
			"X-Muster-Alert":           "a12",
		},
		Parts: []part{
			{"text/plain; charset=UTF-8", "Hola Ana,\n\nNos vemos en Parliament Square a las 09:00.\n"},
			{"text/html; charset=UTF-8", "<p>Hola Ana,</p><p>Nos vemos en <b>Parliament Square</b>.</p>"},
		},
	}
	if diff := cmp.Diff(want, parseMessage(t, buf.Bytes())); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
}

func TestWriteMessageVariants(t *testing.T) {
	tests := []struct {
		name        string
		edit        func(*mail.Message)
		wantHeaders map[string]string
		wantParts   []part
	}{
		{
			name: "text only, mailto unsubscribe has no one-click",
			edit: func(m *mail.Message) {
				m.HTML, m.ToName = "", ""
				m.ListUnsubscribe = []string{"mailto:u@example.org"}
			},
			wantHeaders: map[string]string{"To": "<ana@example.org>", "List-Unsubscribe": "<mailto:u@example.org>"},
			wantParts:   []part{{"text/plain; charset=UTF-8", "Hola Ana,\n\nNos vemos en Parliament Square a las 09:00.\n"}},
		},
		{
			name: "html only, no unsubscribe",
			edit: func(m *mail.Message) {
				m.Text, m.ListUnsubscribe = "", nil
			},
			wantHeaders: map[string]string{"To": `"Ana Lima" <ana@example.org>`},
			wantParts:   []part{{"text/html; charset=UTF-8", "<p>Hola Ana,</p><p>Nos vemos en <b>Parliament Square</b>.</p>"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := sampleMessage("ana@example.org")
			tt.edit(&m)
			var buf bytes.Buffer
			if err := mail.WriteMessage(&buf, m); err != nil {
				t.Fatalf("WriteMessage: %v", err)
			}
			got := parseMessage(t, buf.Bytes())
			for name, want := range tt.wantHeaders {
				if got.Headers[name] != want {
					t.Errorf("%s = %q, want %q", name, got.Headers[name], want)
				}
			}
			if got.Headers["List-Unsubscribe-Post"] != "" {
				t.Errorf("List-Unsubscribe-Post = %q without an https URL", got.Headers["List-Unsubscribe-Post"])
			}
			if diff := cmp.Diff(tt.wantParts, got.Parts); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteMessageRefusesBadInput(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*mail.Message)
		wantClass failure.Class
	}{
		{"recipient address", func(m *mail.Message) { m.To = "ana at example" }, failure.Recipient},
		{"sender address", func(m *mail.Message) { m.From = "Free Assange" }, failure.Config},
		{"reply-to address", func(m *mail.Message) { m.ReplyTo = "@@" }, failure.Config},
		{"no body", func(m *mail.Message) { m.Text, m.HTML = "", "" }, failure.Config},
		{"message-id with brackets", func(m *mail.Message) { m.MessageID = "<a@b>" }, failure.Config},
		{"message-id with a line break", func(m *mail.Message) { m.MessageID = "a@b\r\nBcc: x@y" }, failure.Config},
		{"message-id without domain", func(m *mail.Message) { m.MessageID = "a12" }, failure.Config},
		{"header name with colon", func(m *mail.Message) { m.Headers = map[string]string{"X-A:B": "v"} }, failure.Config},
		{"header overriding From", func(m *mail.Message) { m.Headers = map[string]string{"from": "x@y"} }, failure.Config},
		{"unsubscribe with a line break", func(m *mail.Message) {
			m.ListUnsubscribe = []string{"https://e.org/u\r\nBcc: x@y"}
		}, failure.Config},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := sampleMessage("ana@example.org")
			tt.edit(&m)
			var buf bytes.Buffer
			err := mail.WriteMessage(&buf, m)
			if got := failure.ClassOf(err); err == nil || got != tt.wantClass {
				t.Fatalf("WriteMessage error %v (class %q), want class %q", err, got, tt.wantClass)
			}
			if buf.Len() != 0 {
				t.Errorf("WriteMessage wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

func TestWriteMessageHeaderValuesCannotInject(t *testing.T) {
	m := sampleMessage("ana@example.org")
	m.Subject = "Hi\r\nBcc: victim@example.org"
	m.ToName = "Ana\r\nBcc: victim@example.org"
	m.Headers = map[string]string{"X-Muster-Alert": "a\r\nBcc: victim@example.org"}
	var buf bytes.Buffer
	if err := mail.WriteMessage(&buf, m); err != nil {
		t.Fatalf("WriteMessage: %v", err)
	}
	msg, err := netmail.ReadMessage(&buf)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if bcc := msg.Header.Get("Bcc"); bcc != "" {
		t.Fatalf("a header value injected Bcc: %q", bcc)
	}
}
