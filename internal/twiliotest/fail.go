package twiliotest

import (
	"encoding/json"
	"net/http"
)

// rule is an injected answer and how many more times to give it (<0: always).
type rule struct {
	status      int
	contentType string
	body        []byte
	times       int
}

// Fail answers the next times requests to the number to with Twilio's error
// JSON ({"code":21610,"message":...,"more_info":...,"status":400}), after
// authentication and validation as Twilio would; times < 0 means always, 0
// removes the rule.
func (s *Server) Fail(to string, httpStatus, code int, message string, times int) {
	body, _ := json.Marshal(newAPIError(httpStatus, code, message))
	s.setRule(s.apiFails, to, &rule{httpStatus, "application/json; charset=utf-8", body, times})
}

// FailRaw answers the next times requests to the number to with this status
// and body before anything else is checked, as a load balancer in front of
// Twilio does (an HTML 502 or 503); times < 0 means always, 0 removes it.
func (s *Server) FailRaw(to string, httpStatus int, contentType, body string, times int) {
	s.setRule(s.rawFails, to, &rule{httpStatus, contentType, []byte(body), times})
}

func (s *Server) setRule(rules map[string]*rule, to string, r *rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.times == 0 {
		delete(rules, to)
		return
	}
	rules[to] = r
}

// answerRule writes the injected answer for to, if any, and reports whether
// it did.
func (s *Server) answerRule(w http.ResponseWriter, rules map[string]*rule, to string) bool {
	s.mu.Lock()
	r, ok := rules[to]
	if ok && r.times > 0 {
		r.times--
		if r.times == 0 {
			delete(rules, to)
		}
	}
	s.mu.Unlock()
	if !ok {
		return false
	}
	w.Header().Set("Content-Type", r.contentType)
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
	return true
}
