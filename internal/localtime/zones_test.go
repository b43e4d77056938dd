package localtime

import (
	"testing"
	"time"
)

func TestZones(t *testing.T) {
	z := NewZones()
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{[]string{"America/Sao_Paulo", "Europe/London"}, "America/Sao_Paulo"},
		{[]string{"", "Europe/London"}, "Europe/London"},
		{[]string{"Mars/Olympus", "Asia/Kolkata"}, "Asia/Kolkata"},
		{[]string{"Local"}, "UTC"},
		{nil, "UTC"},
	} {
		if got := z.Pick(tc.names...).String(); got != tc.want {
			t.Errorf("Pick(%q) = %s, want %s", tc.names, got, tc.want)
		}
	}
	first, again := z.Load("America/Sao_Paulo"), z.Load("America/Sao_Paulo")
	if first == nil || first != again {
		t.Error("Load does not cache")
	}
	for i := range maxZones + 10 {
		z.Load("Junk/" + time.Duration(i).String())
	}
	if n := len(z.m); n > maxZones {
		t.Errorf("cache holds %d names, want at most %d", n, maxZones)
	}
}
