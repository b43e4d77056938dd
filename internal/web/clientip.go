package web

import (
	"net"
	"net/http"
	"net/netip"
)

// clientIP returns the address the request came from: the host of
// RemoteAddr, or the zero Addr when it is not an IP address (a Unix socket).
// Proxy headers are not read; see the package comment.
func clientIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// throttleKey is the key the join throttle counts a client under: its IPv4
// address, or the /64 of its IPv6 address, since one line or host usually
// holds a whole /64 and could walk through it.
func throttleKey(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "join:unknown"
	case a.Is6():
		p, _ := a.Prefix(64) // cannot fail: 64 bits fit in an IPv6 address
		return "join:" + p.String()
	}
	return "join:" + a.String()
}

// evidence is the address kept as consent evidence: the whole of it, or ""
// when there is none.
func evidence(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
