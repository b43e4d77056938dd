package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"sync"

	gomail "github.com/wneessen/go-mail"

	"github.com/muster-org/muster/internal/failure"
)

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("mail: pool closed")

// Pool sends messages over at most Config.PoolSize SMTP connections, opened
// when first needed and reused for message after message. It is safe for
// concurrent use; a sender waits for a free connection or for its ctx.
type Pool struct {
	client *gomail.Client // settings only: every connection is our own *smtp.Client
	addr   string
	logger *slog.Logger
	slots  chan struct{} // one token per connection that may be open or in use

	mu     sync.Mutex
	idle   []*session
	closed bool
}

// NewPool checks cfg and returns a pool; it opens no connection yet.
func NewPool(cfg Config, logger *slog.Logger) (*Pool, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	client, err := gomail.NewClient(cfg.Host, clientOptions(cfg)...)
	if err != nil {
		return nil, fmt.Errorf("mail: configure SMTP client: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Pool{
		client: client,
		addr:   net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		logger: logger,
		slots:  make(chan struct{}, cfg.PoolSize),
	}, nil
}

// Send delivers m and returns its Message-ID (without angle brackets). A
// failure is a *failure.Error. A message the server accepted counts as sent
// even if the connection failed right after; one whose reply to the final
// dot never came (connection lost, timeout, ctx ended) is Ambiguous, and is
// never sent again by Send.
func (p *Pool) Send(ctx context.Context, m Message) (string, error) {
	msg, id, err := build(m)
	if err != nil {
		return "", err
	}
	if err := p.deliver(ctx, msg); err != nil {
		return "", err
	}
	return id, nil
}

// deliver sends msg. When a reused connection turns out to have died while
// idle (the server timed it out or restarted) before it took anything of
// the message, it tries once more on a fresh connection; a fresh
// connection's failure is final, and so is any failure after MAIL FROM.
func (p *Pool) deliver(ctx context.Context, msg *gomail.Msg) error {
	fresh := false
	for {
		s, reused, err := p.acquire(ctx, fresh)
		if err != nil {
			return err
		}
		keep, wroteAll, err := p.sendOn(ctx, s, msg)
		p.release(s, keep)
		if err == nil || msg.IsDelivered() {
			return nil
		}
		f := classifySend(err, wroteAll)
		switch {
		case f.Class == failure.Ambiguous && ctx.Err() != nil:
			return failure.New(failure.Ambiguous, codeNoReply,
				fmt.Errorf("mail: %w while waiting for the reply to the final dot", ctx.Err()))
		case f.Class == failure.Ambiguous:
			return f
		case ctx.Err() != nil:
			return canceled(ctx.Err())
		case reused && !fresh && diedIdle(err):
			p.logger.DebugContext(ctx, "smtp: pooled connection failed, retrying on a new one", "addr", p.addr)
			fresh = true
		default:
			return f
		}
	}
}

// sendOn sends msg over s, closing s if ctx ends meanwhile (go-mail takes no
// ctx). keep says whether s is still fit for the next message; wroteAll
// whether every write of the send went out (see classifySend).
func (p *Pool) sendOn(ctx context.Context, s *session, msg *gomail.Msg) (keep, wroteAll bool, err error) {
	s.wire.reset()
	stop := context.AfterFunc(ctx, func() { _ = s.wire.Close() })
	err = p.client.SendWithSMTPClient(s.client, msg)
	notInterrupted := stop()
	return notInterrupted && (err == nil || reusable(err)), s.wire.wroteAll(), err
}

// acquire waits for a connection slot and returns an idle session (reused)
// or a new one. fresh skips, and closes, an idle session: it has been idle as
// long as the one that just failed.
func (p *Pool) acquire(ctx context.Context, fresh bool) (*session, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, canceled(err)
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, false, canceled(ctx.Err())
	}
	s, ok, err := p.popIdle()
	switch {
	case err != nil:
		<-p.slots
		return nil, false, err
	case ok && !fresh:
		return s, true, nil
	case ok:
		_ = s.wire.Close()
	}
	s, err = p.dial(ctx)
	if err != nil {
		<-p.slots
		if ctx.Err() != nil {
			return nil, false, canceled(ctx.Err())
		}
		return nil, false, classifyDial(err)
	}
	return s, false, nil
}

// popIdle takes the most recently used idle session, if there is one.
func (p *Pool) popIdle() (*session, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, false, ErrClosed
	}
	n := len(p.idle)
	if n == 0 {
		return nil, false, nil
	}
	s := p.idle[n-1]
	p.idle = p.idle[:n-1]
	return s, true, nil
}

// release gives the slot back, keeping s for the next sender or dropping it.
// A dropped connection is closed without QUIT: it is not trusted any more.
func (p *Pool) release(s *session, keep bool) {
	p.mu.Lock()
	if keep && !p.closed {
		p.idle = append(p.idle, s)
		s = nil
	}
	p.mu.Unlock()
	if s != nil {
		_ = s.wire.Close()
	}
	<-p.slots
}

// Close says QUIT on the idle connections and makes later Sends fail with
// ErrClosed; connections in use are closed when their Send returns.
func (p *Pool) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, s := range idle {
		s.quit()
	}
	return nil
}

func canceled(err error) error {
	return failure.New(failure.Transient, "canceled", fmt.Errorf("mail: %w", err))
}
