package mail

import (
	"net"
	"sync/atomic"
)

// wire is a session's TCP connection, under any TLS. It remembers whether a
// write failed since reset: go-mail drops the error of writing the final dot
// of DATA and returns only the error of reading the reply, and telling the
// two apart decides whether the server may have the message.
type wire struct {
	net.Conn
	writeFailed atomic.Bool
}

// Write implements net.Conn.
func (w *wire) Write(p []byte) (int, error) {
	n, err := w.Conn.Write(p)
	if err != nil {
		w.writeFailed.Store(true)
	}
	return n, err
}

// reset forgets earlier write failures, before a message.
func (w *wire) reset() { w.writeFailed.Store(false) }

// wroteAll reports whether every write since reset went out whole. A write
// that returned no error was taken by the kernel, and may reach the server.
func (w *wire) wroteAll() bool { return !w.writeFailed.Load() }
