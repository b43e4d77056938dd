package smtptest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"regexp"
	"sync"
	"time"
)

// listener hands go-smtp our own connections, so that the server can speak
// without enhanced status codes and notice a client that hangs up while a
// reply is held.
type listener struct {
	net.Listener
	srv   *Server
	plain bool
	tls   *tls.Config // set for implicit TLS: conn then sees the plaintext
}

// Accept implements net.Listener, counting connections (a connection has a
// session per EHLO: STARTTLS starts another).
func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.srv.mu.Lock()
	l.srv.connections++
	l.srv.mu.Unlock()
	if l.tls != nil {
		c = tls.Server(c, l.tls)
	}
	return &conn{Conn: c, plain: l.plain}, nil
}

// conn is one server-side connection. With plain set, it rewrites what
// go-smtp writes as a server without ENHANCEDSTATUSCODES (RFC 2034) would
// say it: go-smtp always advertises the extension and puts a code in every
// reply. It also keeps bytes read by watch for go-smtp's next Read.
type conn struct {
	net.Conn
	plain bool

	wmu     sync.Mutex
	partial []byte // the start of a line not yet written, when plain

	rmu     sync.Mutex
	pending []byte // read while watching, not yet given to go-smtp
}

// Read implements net.Conn, giving what watch read first.
func (c *conn) Read(p []byte) (int, error) {
	c.rmu.Lock()
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		c.rmu.Unlock()
		return n, nil
	}
	c.rmu.Unlock()
	return c.Conn.Read(p)
}

// Write implements net.Conn. go-smtp flushes each reply line on its own, but
// a line split across writes is put together before it is rewritten.
func (c *conn) Write(p []byte) (int, error) {
	if !c.plain {
		return c.Conn.Write(p)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.partial = append(c.partial, p...)
	var out []byte
	for {
		i := bytes.Index(c.partial, []byte("\r\n"))
		if i < 0 {
			break
		}
		out = append(out, plainLine(c.partial[:i+2])...)
		c.partial = c.partial[i+2:]
	}
	if len(out) > 0 {
		if _, err := c.Conn.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// enhancedReply matches a reply line with an RFC 3463 code after its reply
// code: "550 5.1.1 No such user" or "250-2.0.0 ...".
var enhancedReply = regexp.MustCompile(`^(\d{3}[ -])[245]\.\d{1,3}\.\d{1,3} `)

// plainLine drops the ENHANCEDSTATUSCODES line of the EHLO reply (never its
// last line: go-smtp always ends it with SIZE) and the enhanced code of any
// other reply.
func plainLine(line []byte) []byte {
	if bytes.HasPrefix(line, []byte("250-ENHANCEDSTATUSCODES\r")) {
		return nil
	}
	return enhancedReply.ReplaceAll(line, []byte("$1"))
}

// waitOrGone blocks until released is closed or the client hangs up, and
// reports whether the client is still there. While it waits nothing else
// reads the connection (go-smtp is inside the session's handler), so it reads
// to notice EOF or a reset; whatever it reads is kept for go-smtp.
func (c *conn) waitOrGone(released <-chan struct{}) bool {
	gone := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		c.watch(gone)
	}()
	select {
	case <-released:
		_ = c.SetReadDeadline(time.Now()) // ends watch's Read
		<-stopped
		_ = c.SetReadDeadline(time.Time{})
		select {
		case <-gone:
			return false
		default:
			return true
		}
	case <-gone:
		<-stopped
		return false
	}
}

// watch reads until an error; any error but our own deadline means the
// client is gone.
func (c *conn) watch(gone chan<- struct{}) {
	buf := make([]byte, 512)
	for {
		n, err := c.Conn.Read(buf)
		if n > 0 {
			c.rmu.Lock()
			c.pending = append(c.pending, buf[:n]...)
			c.rmu.Unlock()
		}
		if err != nil {
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				close(gone)
			}
			return
		}
	}
}
