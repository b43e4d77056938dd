package web

import (
	"net/http"
	"testing"
)

func TestClientIP(t *testing.T) {
	tests := []struct {
		remote, wantKey, wantEvidence string
	}{
		{remote: "203.0.113.7:5555", wantKey: "join:203.0.113.7", wantEvidence: "203.0.113.7"},
		{remote: "[2001:db8:1:2:3:4:5:6]:443", wantKey: "join:2001:db8:1:2::/64", wantEvidence: "2001:db8:1:2:3:4:5:6"},
		{remote: "[2001:db8:1:2:ffff::1]:443", wantKey: "join:2001:db8:1:2::/64", wantEvidence: "2001:db8:1:2:ffff::1"},
		{remote: "[::ffff:203.0.113.7]:1", wantKey: "join:203.0.113.7", wantEvidence: "203.0.113.7"},
		{remote: "[fe80::1%eth0]:1", wantKey: "join:fe80::/64", wantEvidence: "fe80::1"},
		{remote: "198.51.100.1", wantKey: "join:198.51.100.1", wantEvidence: "198.51.100.1"},
		{remote: "@", wantKey: "join:unknown", wantEvidence: ""},
	}
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			a := clientIP(&http.Request{RemoteAddr: tt.remote})
			if got := throttleKey(a); got != tt.wantKey {
				t.Errorf("throttleKey = %q, want %q", got, tt.wantKey)
			}
			if got := evidence(a); got != tt.wantEvidence {
				t.Errorf("evidence = %q, want %q", got, tt.wantEvidence)
			}
		})
	}
}
