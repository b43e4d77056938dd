package twiliotest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/muster-org/muster/internal/smstext"
)

// apiError is Twilio's error body.
type apiError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// message is Twilio's Message resource as answered on creation.
type message struct {
	AccountSID          string            `json:"account_sid"`
	APIVersion          string            `json:"api_version"`
	Body                string            `json:"body"`
	DateCreated         string            `json:"date_created"`
	DateSent            *string           `json:"date_sent"`
	DateUpdated         string            `json:"date_updated"`
	Direction           string            `json:"direction"`
	ErrorCode           *int              `json:"error_code"`
	ErrorMessage        *string           `json:"error_message"`
	From                *string           `json:"from"`
	MessagingServiceSID *string           `json:"messaging_service_sid"`
	NumMedia            string            `json:"num_media"`
	NumSegments         string            `json:"num_segments"`
	Price               *string           `json:"price"`
	PriceUnit           string            `json:"price_unit"`
	SID                 string            `json:"sid"`
	Status              string            `json:"status"`
	SubresourceURIs     map[string]string `json:"subresource_uris"`
	To                  string            `json:"to"`
	URI                 string            `json:"uri"`
}

// createMessage checks, in Twilio's order, a load-balancer failure injected
// with FailRaw, the credentials, the account in the path, the form, and an
// error injected with Fail, then accepts the message and answers, unless
// LoseAnswer loses the answer.
func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 20001, "Unable to parse the request body")
		return
	}
	to := r.PostForm.Get("To")
	if s.answerRule(w, s.rawFails, to) {
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != s.accountSID || pass != s.authToken {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if r.PathValue("sid") != s.accountSID {
		writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	if e := validate(r.PostForm); e != nil {
		writeJSON(w, e.Status, e)
		return
	}
	if s.answerRule(w, s.apiFails, to) {
		return
	}
	m := s.accept(r.PostForm)
	if how := s.takeLoss(to); how != 0 {
		lose(w, r, how)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

// accept records the message and returns its resource.
func (s *Server) accept(form url.Values) message {
	sid := "SM" + randomHex()
	s.record(Sent{
		SID: sid, To: form.Get("To"), From: form.Get("From"),
		MessagingServiceSID: form.Get("MessagingServiceSid"), Body: form.Get("Body"),
		StatusCallback: form.Get("StatusCallback"), ValidityPeriod: form.Get("ValidityPeriod"),
		Form: form,
	})
	now := s.now().UTC().Format(time.RFC1123Z)
	uri := "/2010-04-01/Accounts/" + s.accountSID + "/Messages/" + sid
	m := message{
		AccountSID: s.accountSID, APIVersion: "2010-04-01", Body: form.Get("Body"),
		DateCreated: now, DateUpdated: now, Direction: "outbound-api",
		NumMedia: "0", NumSegments: strconv.Itoa(max(smstext.Analyze(form.Get("Body")).Segments, 1)), PriceUnit: "USD",
		SID: sid, Status: "queued", To: form.Get("To"), URI: uri + ".json",
		SubresourceURIs: map[string]string{"media": uri + "/Media.json"},
	}
	if from := form.Get("From"); from != "" {
		m.From = &from
	}
	if service := form.Get("MessagingServiceSid"); service != "" {
		m.MessagingServiceSID = &service
		m.Status = "accepted"
	}
	return m
}

func (s *Server) record(m Sent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count++
	if !s.discard {
		s.sent = append(s.sent, m)
		s.countTo[m.To]++
	}
}

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newAPIError(status, code int, msg string) *apiError {
	return &apiError{Code: code, Message: msg, Status: status,
		MoreInfo: "https://www.twilio.com/docs/errors/" + strconv.Itoa(code)}
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, newAPIError(status, code, msg))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
