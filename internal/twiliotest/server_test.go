package twiliotest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/twiliotest"
)

const (
	accountSID = "AC0123456789abcdef0123456789abcdef"
	authToken  = "0123456789abcdef0123456789abcdef"
	serviceSID = "MG0123456789abcdef0123456789abcdef"
)

// newRequest makes a request to create a message for this account, as
// Twilio's clients do.
func newRequest(t *testing.T, s *twiliotest.Server, form url.Values) *http.Request {
	t.Helper()
	return newRequestAs(t, s, accountSID, authToken, form)
}

func newRequestAs(t *testing.T, s *twiliotest.Server, account, token string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/2010-04-01/Accounts/"+account+"/Messages.json",
		strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(accountSID, token)
	return req
}

// post sends a form as Twilio's clients do and returns the status, the
// Content-Type and the decoded JSON body (nil if it is not JSON).
func post(t *testing.T, s *twiliotest.Server, account, token string, form url.Values) (int, string, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(newRequestAs(t, s, account, token, form))
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if json.Unmarshal(raw, &body) != nil {
		body = nil
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

func valid() url.Values {
	return url.Values{"To": {"+447700900123"}, "From": {"+15005550006"}, "Body": {"Rally at 13:00"}}
}

func TestServerValidatesLikeTwilio(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(url.Values)
		wantStatus int
		wantCode   float64 // 0 when accepted
	}{
		{"valid", func(url.Values) {}, 201, 0},
		{"missing To", func(f url.Values) { f.Del("To") }, 400, 21604},
		{"To not E.164", func(f url.Values) { f.Set("To", "07700900123") }, 400, 21211},
		{"To with a leading zero", func(f url.Values) { f.Set("To", "+0447700900123") }, 400, 21211},
		{"no sender", func(f url.Values) { f.Del("From") }, 400, 21603},
		{"service only", func(f url.Values) { f.Del("From"); f.Set("MessagingServiceSid", serviceSID) }, 201, 0},
		{"both senders, as Twilio allows", func(f url.Values) { f.Set("MessagingServiceSid", serviceSID) }, 201, 0},
		{"malformed service sid", func(f url.Values) { f.Del("From"); f.Set("MessagingServiceSid", "MG123") }, 400, 21701},
		{"alphanumeric sender", func(f url.Values) { f.Set("From", "Muster") }, 201, 0},
		{"short code sender", func(f url.Values) { f.Set("From", "12345") }, 201, 0},
		{"bad sender", func(f url.Values) { f.Set("From", "not-a-sender!") }, 400, 21212},
		{"empty body", func(f url.Values) { f.Set("Body", "") }, 400, 21602},
		{"1600 characters", func(f url.Values) { f.Set("Body", strings.Repeat("é", 1600)) }, 201, 0},
		{"1601 characters", func(f url.Values) { f.Set("Body", strings.Repeat("x", 1601)) }, 400, 21617},
		{"status callback", func(f url.Values) { f.Set("StatusCallback", "https://m.example.org/s?d=1") }, 201, 0},
		{"relative status callback", func(f url.Values) { f.Set("StatusCallback", "/webhooks/twilio/status") }, 400, 21609},
		{"ftp status callback", func(f url.Values) { f.Set("StatusCallback", "ftp://m.example.org/s") }, 400, 21609},
		{"validity 36000", func(f url.Values) { f.Set("ValidityPeriod", "36000") }, 201, 0},
		{"validity 0", func(f url.Values) { f.Set("ValidityPeriod", "0") }, 400, 21624},
		{"validity 36001", func(f url.Values) { f.Set("ValidityPeriod", "36001") }, 400, 21624},
		{"validity not a number", func(f url.Values) { f.Set("ValidityPeriod", "1h") }, 400, 21624},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := twiliotest.NewServer(t, accountSID, authToken)
			form := valid()
			tt.edit(form)
			status, _, body := post(t, s, accountSID, authToken, form)
			var code float64
			if status != 201 {
				code, _ = body["code"].(float64)
			}
			if status != tt.wantStatus || code != tt.wantCode {
				t.Errorf("answer %d %v, want %d %v; body %v", status, code, tt.wantStatus, tt.wantCode, body)
			}
			if wantCount := map[bool]int{true: 1, false: 0}[status == 201]; s.Count() != wantCount || s.Requests() != 1 {
				t.Errorf("Count, Requests = %d, %d; want %d, 1", s.Count(), s.Requests(), wantCount)
			}
		})
	}
}

func TestServerAnswersTwiliosShapes(t *testing.T) {
	s := twiliotest.NewServer(t, accountSID, authToken)
	form := valid()
	form.Set("StatusCallback", "https://m.example.org/s")
	status, contentType, body := post(t, s, accountSID, authToken, form)
	if status != 201 || !strings.HasPrefix(contentType, "application/json") {
		t.Fatalf("answer %d %q, want 201 JSON", status, contentType)
	}
	sid, _ := body["sid"].(string)
	if len(sid) != 34 || !strings.HasPrefix(sid, "SM") {
		t.Errorf("sid = %q, want SM and 32 hex digits", sid)
	}
	if _, err := time.Parse(time.RFC1123Z, body["date_created"].(string)); err != nil {
		t.Errorf("date_created: %v", err)
	}
	for _, volatile := range []string{"sid", "date_created", "date_updated", "uri", "subresource_uris"} {
		delete(body, volatile)
	}
	want := map[string]any{
		"account_sid": accountSID, "api_version": "2010-04-01", "body": "Rally at 13:00", "date_sent": nil,
		"direction": "outbound-api", "error_code": nil, "error_message": nil, "from": "+15005550006",
		"messaging_service_sid": nil, "num_media": "0", "num_segments": "1", "price": nil, "price_unit": "USD",
		"status": "queued", "to": "+447700900123",
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	got := s.Messages()
	wantSent := []twiliotest.Sent{{SID: sid, To: "+447700900123", From: "+15005550006", Body: "Rally at 13:00",
		StatusCallback: "https://m.example.org/s", Form: form}}
	if diff := cmp.Diff(wantSent, got); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
}

func TestServerAuthenticates(t *testing.T) {
	tests := []struct {
		name       string
		account    string
		token      string
		wantStatus int
		wantCode   float64
		wantInfo   string
	}{
		{"wrong token", accountSID, "ffffffffffffffffffffffffffffffff", 401, 20003, "https://www.twilio.com/docs/errors/20003"},
		{"another account in the path", "AC99999999999999999999999999999999", authToken, 404, 20404, "https://www.twilio.com/docs/errors/20404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := twiliotest.NewServer(t, accountSID, authToken)
			status, _, body := post(t, s, tt.account, tt.token, valid())
			want := map[string]any{"code": tt.wantCode, "status": float64(tt.wantStatus), "more_info": tt.wantInfo}
			delete(body, "message")
			if status != tt.wantStatus {
				t.Errorf("status = %d, want %d", status, tt.wantStatus)
			}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("error body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServerFailInjection(t *testing.T) {
	const to = "+447700900123"
	s := twiliotest.NewServer(t, accountSID, authToken)
	s.Fail(to, 400, 21610, "Attempt to send to unsubscribed recipient", 2)
	s.FailRaw("+447700900999", 503, "text/html", "<html>503</html>", 1)

	var got []int
	for range 3 {
		status, _, body := post(t, s, accountSID, authToken, valid())
		code, _ := body["code"].(float64)
		got = append(got, status, int(code))
	}
	if want := []int{400, 21610, 400, 21610, 201, 0}; !cmp.Equal(want, got) {
		t.Errorf("answers = %v, want %v", got, want)
	}

	other := valid()
	other.Set("To", "+447700900999")
	status, contentType, body := post(t, s, accountSID, "wrong", other)
	if status != 503 || contentType != "text/html" || body != nil {
		t.Errorf("raw failure = %d %q %v, want 503 text/html before authentication", status, contentType, body)
	}
	if got := []int{s.Requests(), s.Count(), s.CountTo(to), s.CountTo("+447700900999")}; !cmp.Equal(got, []int{4, 1, 1, 0}) {
		t.Errorf("requests, count, count to each = %v, want [4 1 1 0]", got)
	}
}

func TestServerDiscard(t *testing.T) {
	s := twiliotest.NewServer(t, accountSID, authToken, twiliotest.WithDiscard())
	for range 3 {
		if status, _, _ := post(t, s, accountSID, authToken, valid()); status != 201 {
			t.Fatalf("status %d", status)
		}
	}
	s.WaitCount(t, 3, time.Second)
	if got := []int{s.Count(), len(s.Messages()), s.CountTo("+447700900123")}; !cmp.Equal(got, []int{3, 0, 0}) {
		t.Errorf("count, kept, count to = %v, want [3 0 0]", got)
	}
}

func TestStartAndClose(t *testing.T) {
	s, err := twiliotest.Start(accountSID, authToken)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := post(t, s, accountSID, authToken, valid()); status != 201 {
		t.Fatalf("status %d", status)
	}
	s.Close()
	s.Close()
	if _, err := http.Post(s.URL()+"/", "text/plain", nil); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestServerLoseAnswer(t *testing.T) {
	tests := []struct {
		name string
		how  twiliotest.Loss
	}{
		{"hang", twiliotest.Hang},
		{"hang up", twiliotest.Hangup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const to = "+447700900123"
			s := twiliotest.NewServer(t, accountSID, authToken)
			s.LoseAnswer(to, tt.how, 1)
			req := newRequest(t, s, valid())
			// A short timeout ends the hang; a hang-up ends the request at once.
			client := &http.Client{Timeout: 300 * time.Millisecond}
			if resp, err := client.Do(req); err == nil {
				_ = resp.Body.Close()
				t.Fatalf("answered %d, want no answer", resp.StatusCode)
			}
			// The message was created all the same.
			if got := []int{s.Requests(), s.Count(), s.CountTo(to)}; !cmp.Equal(got, []int{1, 1, 1}) {
				t.Errorf("requests, count, count to = %v, want [1 1 1]", got)
			}
			if status, _, _ := post(t, s, accountSID, authToken, valid()); status != 201 {
				t.Errorf("after the rule ran out: %d, want 201", status)
			}
		})
	}
}

func TestServerCloseEndsAHang(t *testing.T) {
	s, err := twiliotest.Start(accountSID, authToken)
	if err != nil {
		t.Fatal(err)
	}
	s.LoseAnswer("+447700900123", twiliotest.Hang, -1)
	done := make(chan error, 1)
	req := newRequest(t, s, valid())
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		done <- err
	}()
	s.WaitCount(t, 1, 5*time.Second)
	s.Close()
	if err := <-done; err == nil {
		t.Error("the hanging request was answered after Close")
	}
}
