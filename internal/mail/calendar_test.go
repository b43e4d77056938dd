package mail_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/ical"
	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/smtptest"
)

// entity is a MIME entity as a mail client sees it: a multipart body as its
// parts, any other body decoded.
type entity struct {
	Type        string
	Params      map[string]string // without the random boundary
	Disposition string
	Filename    string
	Body        string
	Parts       []entity
}

func parseEntity(t *testing.T, raw []byte) entity {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	return readEntity(t, textproto.MIMEHeader(msg.Header), msg.Body)
}

func readEntity(t *testing.T, h textproto.MIMEHeader, body io.Reader) entity {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	e := entity{Type: mediaType}
	if d := h.Get("Content-Disposition"); d != "" {
		disposition, dparams, err := mime.ParseMediaType(d)
		if err != nil {
			t.Fatalf("Content-Disposition %q: %v", d, err)
		}
		e.Disposition, e.Filename = disposition, dparams["filename"]
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		e.Params, e.Body = params, decodeBody(t, h.Get("Content-Transfer-Encoding"), body)
		return e
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return e
		}
		if err != nil {
			t.Fatalf("next part of %s: %v", mediaType, err)
		}
		e.Parts = append(e.Parts, readEntity(t, p.Header, p))
	}
}

func decodeBody(t *testing.T, encoding string, r io.Reader) string {
	t.Helper()
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s body: %v", encoding, err)
	}
	return string(b)
}

func sampleCalendar(t testing.TB) []byte {
	t.Helper()
	cal, err := ical.Event{
		UID:         "a12@muster.example.org",
		Start:       time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC),
		Summary:     "Cadena humana ante el Parlamento — sábado 13:00, traigan agua 🙌",
		Location:    "Parliament Square, London",
		Description: "Hola Ana,\nNos vemos en Parliament Square.",
		URL:         "https://muster.example.org/a/a12",
		Stamp:       time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
	}.Encode()
	if err != nil {
		t.Fatalf("encode calendar: %v", err)
	}
	return cal
}

// crlf is what a text part decodes to: go-mail ends its lines with CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestWriteMessageWithCalendar(t *testing.T) {
	m := sampleMessage("ana@example.org")
	cal := sampleCalendar(t)
	text := entity{Type: "text/plain", Params: map[string]string{"charset": "UTF-8"}, Body: crlf(m.Text)}
	html := entity{Type: "text/html", Params: map[string]string{"charset": "UTF-8"}, Body: m.HTML}
	invite := entity{
		Type:        "text/calendar",
		Params:      map[string]string{"charset": "utf-8", "method": "PUBLISH", "name": "invite.ics"},
		Disposition: "attachment", Filename: "invite.ics", Body: string(cal),
	}
	tests := []struct {
		name string
		edit func(*mail.Message)
		want entity
	}{
		{"text and HTML", func(m *mail.Message) { m.Calendar = cal },
			entity{Type: "multipart/mixed", Parts: []entity{{Type: "multipart/alternative", Parts: []entity{text, html}}, invite}}},
		{"text only", func(m *mail.Message) { m.Calendar, m.HTML = cal, "" },
			entity{Type: "multipart/mixed", Parts: []entity{text, invite}}},
		{"HTML only", func(m *mail.Message) { m.Calendar, m.Text = cal, "" },
			entity{Type: "multipart/mixed", Parts: []entity{html, invite}}},
		{"empty calendar adds nothing", func(m *mail.Message) { m.Calendar = []byte{} },
			entity{Type: "multipart/alternative", Parts: []entity{text, html}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := sampleMessage("ana@example.org")
			tt.edit(&m)
			var buf bytes.Buffer
			if err := mail.WriteMessage(&buf, m); err != nil {
				t.Fatalf("WriteMessage: %v", err)
			}
			if diff := cmp.Diff(tt.want, parseEntity(t, buf.Bytes())); diff != "" {
				t.Errorf("MIME structure (-want +got):\n%s", diff)
			}
			var without bytes.Buffer
			m.Calendar = nil
			if err := mail.WriteMessage(&without, m); err != nil {
				t.Fatalf("WriteMessage without the calendar: %v", err)
			}
			if diff := cmp.Diff(parseMessage(t, without.Bytes()).Headers, parseMessage(t, buf.Bytes()).Headers); diff != "" {
				t.Errorf("headers differ from the message without a calendar (-without +with):\n%s", diff)
			}
		})
	}
}

func TestPoolSendDeliversTheCalendar(t *testing.T) {
	srv := smtptest.NewServer(t)
	p := newPool(t, srv.URL(), nil)
	m := sampleMessage("ana@example.org")
	m.Calendar = sampleCalendar(t)

	if _, err := p.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	sent := parseEntity(t, got[0].Data)
	if n := len(sent.Parts); sent.Type != "multipart/mixed" || n != 2 {
		t.Fatalf("sent a %s of %d parts, want multipart/mixed of 2", sent.Type, n)
	}
	if diff := cmp.Diff(string(m.Calendar), sent.Parts[1].Body); diff != "" {
		t.Errorf("received calendar (-want +got):\n%s", diff)
	}
	var written bytes.Buffer
	if err := mail.WriteMessage(&written, m); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(parseEntity(t, written.Bytes()), sent); diff != "" {
		t.Errorf("sent message differs from WriteMessage (-written +sent):\n%s", diff)
	}
}
