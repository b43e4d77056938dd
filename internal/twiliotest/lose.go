package twiliotest

import "net/http"

// Loss is how the answer to a created message is lost.
type Loss int

const (
	// Hang never answers: the client waits until its own timeout, and the
	// request ends when the client hangs up or the server closes.
	Hang Loss = iota + 1
	// Hangup closes the connection without a word, as a crashed or
	// restarted front end does: the client reads EOF.
	Hangup
)

// loss is a LoseAnswer rule and how many more times to apply it (<0: always).
type loss struct {
	how   Loss
	times int
}

// LoseAnswer makes the server create and record the next times messages to
// the number to, after authentication, validation and Fail rules as Twilio
// would (Count, CountTo and Messages include them), and then lose the answer
// as how says: the message exists, and the client cannot know it. times < 0
// means always, 0 removes the rule.
func (s *Server) LoseAnswer(to string, how Loss, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if times == 0 {
		delete(s.losses, to)
		return
	}
	s.losses[to] = &loss{how: how, times: times}
}

// takeLoss returns how the answer to a message to the number to is lost, or
// 0, and counts the rule.
func (s *Server) takeLoss(to string) Loss {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.losses[to]
	if !ok {
		return 0
	}
	if l.times > 0 {
		l.times--
		if l.times == 0 {
			delete(s.losses, to)
		}
	}
	return l.how
}

// lose withholds the answer to r as how says.
func lose(w http.ResponseWriter, r *http.Request, how Loss) {
	if how == Hangup {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
	}
	// Hang, or a connection that cannot be taken over: the request's
	// context ends when the client hangs up or the server closes.
	<-r.Context().Done()
}
