package smtptest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/emersion/go-smtp"
)

// rule is an injected reply (none for DropReply) and how many more times to
// give it (<0: always).
type rule struct {
	reply *smtp.SMTPError
	times int
}

// Fail answers RCPT TO for rcpt (case-insensitive) with code, the enhanced
// status code (such as "5.1.1"; "" for none) and msg, for its next times
// attempts; times < 0 means always, 0 removes the rule. The session stays
// open, even after a 421. Fail panics on a malformed enhanced code.
func (s *Server) Fail(rcpt string, code int, enhanced, msg string, times int) {
	s.setRule(s.rcptRule, rcpt, code, enhanced, msg, times)
}

// FailData is Fail for the reply after DATA: the message is received and
// then refused, for every transaction that has rcpt among its recipients.
func (s *Server) FailData(rcpt string, code int, enhanced, msg string, times int) {
	s.setRule(s.dataRule, rcpt, code, enhanced, msg, times)
}

// DropReply makes the server take the next times messages to rcpt
// (case-insensitive) whole, record them as received (Count, CountTo and
// Messages include them), and then close the connection without answering
// the final dot, as an MTA that crashes or loses the network at that moment
// does: the client cannot know that the message arrived. times < 0 means
// always, 0 removes the rule.
func (s *Server) DropReply(rcpt string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(rcpt)
	if times == 0 {
		delete(s.dropRule, key)
		return
	}
	s.dropRule[key] = &rule{times: times}
}

func (s *Server) setRule(rules map[string]*rule, rcpt string, code int, enhanced, msg string, times int) {
	reply := &smtp.SMTPError{Code: code, EnhancedCode: parseEnhanced(enhanced), Message: msg}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(rcpt)
	if times == 0 {
		delete(rules, key)
		return
	}
	rules[key] = &rule{reply: reply, times: times}
}

// takeRule returns the injected reply for rcpt, if any, and counts it.
func (s *Server) takeRule(rules map[string]*rule, rcpt string) error {
	if r := s.take(rules, rcpt); r != nil {
		return r.reply
	}
	return nil
}

// take returns the rule for rcpt, if any, and counts it.
func (s *Server) take(rules map[string]*rule, rcpt string) *rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(rcpt)
	r, ok := rules[key]
	if !ok {
		return nil
	}
	if r.times > 0 {
		r.times--
		if r.times == 0 {
			delete(rules, key)
		}
	}
	return r
}

func parseEnhanced(s string) smtp.EnhancedCode {
	if s == "" {
		return smtp.NoEnhancedCode
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		panic(fmt.Sprintf("smtptest: enhanced status code %q is not of the form 5.1.1", s))
	}
	var code smtp.EnhancedCode
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			panic(fmt.Sprintf("smtptest: enhanced status code %q is not of the form 5.1.1", s))
		}
		code[i] = n
	}
	return code
}
