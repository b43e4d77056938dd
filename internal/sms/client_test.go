package sms_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/internal/twiliotest"
)

const (
	accountSID = "AC0123456789abcdef0123456789abcdef"
	authToken  = "0123456789abcdef0123456789abcdef"
	serviceSID = "MG0123456789abcdef0123456789abcdef"
	to         = "+447700900123"
)

func newClient(t *testing.T, baseURL, token string) *sms.Client {
	t.Helper()
	c, err := sms.NewClient(sms.Config{AccountSID: accountSID, AuthToken: token, BaseURL: baseURL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

func TestSendPostsTwiliosForm(t *testing.T) {
	tests := []struct {
		name string
		msg  sms.Message
		want url.Values
	}{
		{"from number",
			sms.Message{ID: "d1", To: to, From: "+15005550006", Body: "Rally at 13:00"},
			url.Values{"To": {to}, "From": {"+15005550006"}, "Body": {"Rally at 13:00"}}},
		{"service wins over from, with callback and validity",
			sms.Message{ID: "d2", To: to, From: "+15005550006", MessagingServiceSID: serviceSID, Body: "¡Hola! 13:00",
				StatusCallback: "https://muster.example.org/webhooks/twilio/status?d=d2", ValidityPeriod: 90 * time.Minute},
			url.Values{"To": {to}, "MessagingServiceSid": {serviceSID}, "Body": {"¡Hola! 13:00"},
				"StatusCallback": {"https://muster.example.org/webhooks/twilio/status?d=d2"}, "ValidityPeriod": {"5400"}}},
		{"validity rounded up to a second",
			sms.Message{To: to, From: "+15005550006", Body: "x", ValidityPeriod: 300 * time.Millisecond},
			url.Values{"To": {to}, "From": {"+15005550006"}, "Body": {"x"}, "ValidityPeriod": {"1"}}},
		{"validity clamped to ten hours",
			sms.Message{To: to, From: "+15005550006", Body: "x", ValidityPeriod: 20 * time.Hour},
			url.Values{"To": {to}, "From": {"+15005550006"}, "Body": {"x"}, "ValidityPeriod": {"36000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := twiliotest.NewServer(t, accountSID, authToken)
			sid, err := newClient(t, srv.URL(), authToken).Send(context.Background(), tt.msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server accepted %d messages, want 1", len(got))
			}
			if diff := cmp.Diff(tt.want, got[0].Form); diff != "" {
				t.Errorf("form (-want +got):\n%s", diff)
			}
			if sid != got[0].SID || !strings.HasPrefix(sid, "SM") {
				t.Errorf("Send returned %q, server made %q", sid, got[0].SID)
			}
		})
	}
}

// verdict is what a Send's failure says: its class and code, and whether it
// may decide for others (Suppress or Unsubscribe the number, or, Fresh,
// block the channel at once).
type verdict struct {
	Class       failure.Class
	Code        string
	Suppress    bool
	Unsubscribe bool
	Fresh       bool
}

func TestSendClassifies(t *testing.T) {
	const html = "<html><body>Bad gateway</body></html>"
	tests := []struct {
		name  string
		setup func(*twiliotest.Server)
		msg   func(*sms.Message)
		token string
		want  verdict
		// created is how many messages the server made (LoseAnswer).
		created int
	}{
		{name: "429 too many requests", want: verdict{Class: failure.RateLimited, Code: "20429"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 429, 20429, "Too Many Requests", -1) }},
		{name: "503 service unavailable", want: verdict{Class: failure.Transient, Code: "20503"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 503, 20503, "Service Unavailable", -1) }},
		{name: "500 from Twilio, with its code", want: verdict{Class: failure.Transient, Code: "20500"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 500, 20500, "Internal Server Error", -1) }},
		{name: "html 503 from the load balancer", want: verdict{Class: failure.Transient, Code: "http 503"},
			setup: func(s *twiliotest.Server) {
				s.FailRaw(to, 503, "text/html", "<html><body>503 Service Unavailable</body></html>", -1)
			}},
		{name: "html 502 from a gateway", want: verdict{Class: failure.Ambiguous, Code: "http 502"},
			setup: func(s *twiliotest.Server) { s.FailRaw(to, 502, "text/html", html, -1) }},
		{name: "empty 502", want: verdict{Class: failure.Ambiguous, Code: "http 502"},
			setup: func(s *twiliotest.Server) { s.FailRaw(to, 502, "text/plain", "", -1) }},
		{name: "html 504 gateway timeout", want: verdict{Class: failure.Ambiguous, Code: "http 504"},
			setup: func(s *twiliotest.Server) { s.FailRaw(to, 504, "text/html", html, -1) }},
		{name: "queue full", want: verdict{Class: failure.Transient, Code: "21611"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21611, "Queue full", -1) }},
		{name: "stopped", want: verdict{Class: failure.Recipient, Code: "21610", Suppress: true, Unsubscribe: true},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21610, "Attempt to send to unsubscribed recipient", -1) }},
		{name: "not a mobile", want: verdict{Class: failure.Recipient, Code: "21614", Suppress: true},
			setup: func(s *twiliotest.Server) {
				s.Fail(to, 400, 21614, "'To' number "+to+" is not a valid mobile number", -1)
			}},
		{name: "not reachable by SMS", want: verdict{Class: failure.Recipient, Code: "21612", Suppress: true},
			setup: func(s *twiliotest.Server) {
				s.Fail(to, 400, 21612, "The 'To' phone number is not currently reachable", -1)
			}},
		{name: "landline", want: verdict{Class: failure.Recipient, Code: "21635", Suppress: true},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21635, "'To' number cannot be a landline", -1) }},
		{name: "a short code", want: verdict{Class: failure.Recipient, Code: "21265", Suppress: true},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21265, "'To' number cannot be a Short Code", -1) }},
		{name: "to and from the same", want: verdict{Class: failure.Recipient, Code: "21266"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21266, "'To' and 'From' numbers cannot be the same", -1) }},
		{name: "region not enabled for the account", want: verdict{Class: failure.Config, Code: "21408"},
			setup: func(s *twiliotest.Server) {
				s.Fail(to, 400, 21408, "Permission to send an SMS has not been enabled", -1)
			}},
		{name: "unknown 4xx code", want: verdict{Class: failure.Recipient, Code: "21999"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21999, "Something about the number", -1) }},
		{name: "bad sender", want: verdict{Class: failure.Config, Code: "21606"},
			setup: func(s *twiliotest.Server) { s.Fail(to, 400, 21606, "Not a valid message-capable number", -1) }},
		{name: "forbidden", want: verdict{Class: failure.Config, Code: "20403", Fresh: true},
			setup: func(s *twiliotest.Server) { s.Fail(to, 403, 20403, "Forbidden", -1) }},
		{name: "wrong token", token: "ffffffffffffffffffffffffffffffff", want: verdict{Class: failure.Config, Code: "20003", Fresh: true}},
		{name: "redirect", want: verdict{Class: failure.Config, Code: "http 301"},
			setup: func(s *twiliotest.Server) { s.FailRaw(to, 301, "text/html", html, -1) }},
		{name: "a web page, not Twilio", want: verdict{Class: failure.Config, Code: "http 200"},
			setup: func(s *twiliotest.Server) { s.FailRaw(to, 200, "text/html", html, -1) }},
		{name: "created without a SID", want: verdict{Class: failure.Ambiguous, Code: "no-sid"},
			setup: func(s *twiliotest.Server) { s.FailRaw(to, 201, "application/json", `{"status":"queued"}`, -1) }},
		{name: "invalid number, validated by the server", want: verdict{Class: failure.Recipient, Code: "21211", Suppress: true},
			msg: func(m *sms.Message) { m.To = "+0123" }},
		{name: "body too long, validated by the server", want: verdict{Class: failure.Config, Code: "21617"},
			msg: func(m *sms.Message) { m.Body = strings.Repeat("x", 1601) }},
		{name: "invalid service sid, validated by the server", want: verdict{Class: failure.Config, Code: "21701"},
			msg: func(m *sms.Message) { m.MessagingServiceSID = "MG123" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := twiliotest.NewServer(t, accountSID, authToken)
			if tt.setup != nil {
				tt.setup(srv)
			}
			token := authToken
			if tt.token != "" {
				token = tt.token
			}
			m := sms.Message{ID: "d1", To: to, From: "+15005550006", Body: "Rally at 13:00"}
			if tt.msg != nil {
				tt.msg(&m)
			}

			_, err := newClient(t, srv.URL(), token).Send(context.Background(), m)
			var fe *failure.Error
			if !errors.As(err, &fe) {
				t.Fatalf("Send error %v is not a *failure.Error", err)
			}
			got := verdict{fe.Class, fe.Code, fe.Suppress, fe.Unsubscribe, fe.Fresh}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("verdict (-want +got):\n%s\nerr: %v", diff, err)
			}
			if strings.Contains(err.Error(), strings.TrimPrefix(m.To, "+")) && len(m.To) > 6 {
				t.Errorf("error text names the number: %v", err)
			}
			if srv.Count() != 0 {
				t.Errorf("server accepted %d messages, want 0", srv.Count())
			}
		})
	}
}

// TestSendNeverSendsASilentSecondCopy loses Twilio's answer after the
// request went out whole: the message exists at Twilio, so the failure is
// Ambiguous, never a Transient one the worker would send again. A failure
// before the request was written stays Transient.
func TestSendNeverSendsASilentSecondCopy(t *testing.T) {
	tests := []struct {
		name   string
		pooled bool // the request goes out on a connection used before
		how    twiliotest.Loss
	}{
		{"no answer before the timeout", false, twiliotest.Hang},
		{"no answer before the timeout, pooled connection", true, twiliotest.Hang},
		{"connection closed after the request", false, twiliotest.Hangup},
		{"connection closed after the request, pooled connection", true, twiliotest.Hangup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := twiliotest.NewServer(t, accountSID, authToken)
			c, err := sms.NewClient(sms.Config{AccountSID: accountSID, AuthToken: authToken, BaseURL: srv.URL(),
				Timeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if tt.pooled {
				if _, err := c.Send(context.Background(), sms.Message{To: "+447700900456", From: "+15005550006", Body: "x"}); err != nil {
					t.Fatalf("first Send: %v", err)
				}
			}
			srv.LoseAnswer(to, tt.how, 1)

			_, err = c.Send(context.Background(), sms.Message{To: to, From: "+15005550006", Body: "Rally at 13:00"})
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Class != failure.Ambiguous || fe.Code != "no-answer" {
				t.Fatalf("Send error %v, want ambiguous (no-answer)", err)
			}
			if strings.Contains(err.Error(), "447700900123") {
				t.Errorf("error text names the number: %v", err)
			}
			// One request, one message: nothing sent it again.
			if got := []int{srv.Requests() - btoi(tt.pooled), srv.CountTo(to)}; !cmp.Equal(got, []int{1, 1}) {
				t.Errorf("requests, messages = %v, want [1 1]", got)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSendFailsTransientlyBeforeTheRequestIsWritten(t *testing.T) {
	tests := []struct {
		name string
		base func(*testing.T) string
	}{
		{"connection refused", func(t *testing.T) string { return "http://" + closedAddr(t) }},
		// A TLS handshake that never completes: nothing of the request left.
		{"TLS handshake times out", func(t *testing.T) string { return "https://" + silentServer(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := sms.NewClient(sms.Config{AccountSID: accountSID, AuthToken: authToken,
				BaseURL: tt.base(t), Timeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Send(context.Background(), sms.Message{To: to, From: "+15005550006", Body: "x"})
			var fe *failure.Error
			if !errors.As(err, &fe) || fe.Class != failure.Transient || fe.Code != "network" {
				t.Fatalf("Send error %v, want transient (network)", err)
			}
		})
	}
}

// closedAddr returns an address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// silentServer accepts connections and never says a word.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = conn.Close() })
		}
	}()
	return ln.Addr().String()
}

func TestSendReusesConnectionsAfterErrors(t *testing.T) {
	srv := twiliotest.NewServer(t, accountSID, authToken)
	srv.Fail(to, 400, 21610, "Attempt to send to unsubscribed recipient", -1)
	// A big page: twilio-go stops reading it at the first byte and never closes it.
	srv.FailRaw("+447700900999", 503, "text/html", "<html>"+strings.Repeat("busy ", 20000)+"</html>", -1)
	c := newClient(t, srv.URL(), authToken)
	for _, number := range []string{to, "+447700900999", "+447700900456", to, "+447700900999", "+447700900456"} {
		_, _ = c.Send(context.Background(), sms.Message{To: number, From: "+15005550006", Body: "x"})
	}
	if got := []int{srv.Requests(), srv.Count(), srv.Connections()}; !cmp.Equal(got, []int{6, 2, 1}) {
		t.Errorf("requests, accepted, connections = %v, want [6 2 1]", got)
	}
}

func TestSendHonoursContext(t *testing.T) {
	srv := twiliotest.NewServer(t, accountSID, authToken)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := newClient(t, srv.URL(), authToken).Send(ctx, sms.Message{To: to, From: "+15005550006", Body: "x"})
	if !errors.Is(err, context.Canceled) || failure.ClassOf(err) != failure.Transient {
		t.Fatalf("Send error %v, want a transient context.Canceled", err)
	}
	if srv.Requests() != 0 {
		t.Errorf("server saw %d requests, want 0", srv.Requests())
	}
}

func TestNewClientRefusesBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     sms.Config
		mention string
	}{
		{"no account", sms.Config{AuthToken: authToken}, "TWILIO_ACCOUNT_SID"},
		{"not an account sid", sms.Config{AccountSID: "SK0123", AuthToken: authToken}, "TWILIO_ACCOUNT_SID"},
		{"no token", sms.Config{AccountSID: accountSID}, "TWILIO_AUTH_TOKEN"},
		{"token with symbols", sms.Config{AccountSID: accountSID, AuthToken: "s3cret-token!"}, "TWILIO_AUTH_TOKEN"},
		{"relative base url", sms.Config{AccountSID: accountSID, AuthToken: authToken, BaseURL: "localhost:8080"}, "MUSTER_TWILIO_BASE_URL"},
		{"base url with a path", sms.Config{AccountSID: accountSID, AuthToken: authToken, BaseURL: "https://edge.example.org/twilio"}, "MUSTER_TWILIO_BASE_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sms.NewClient(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.mention) {
				t.Fatalf("NewClient error %v, want one naming %s", err, tt.mention)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error repeats the token: %v", err)
			}
		})
	}
}

func TestValiditySeconds(t *testing.T) {
	tests := []struct {
		name string
		in   time.Duration
		want int
	}{
		{"unset", 0, 0},
		{"negative", -time.Second, 0},
		{"below a second", time.Millisecond, 1},
		{"whole", 2 * time.Hour, 7200},
		{"rounded up", 1500 * time.Millisecond, 2},
		{"clamped", 11 * time.Hour, 36000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (sms.Message{ValidityPeriod: tt.in}).ValiditySeconds(); got != tt.want {
				t.Errorf("ValiditySeconds(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}
