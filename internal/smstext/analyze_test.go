package smstext

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnalyze(t *testing.T) {
	a, zh := strings.Repeat, "ж" // zh is Cyrillic: UCS-2, one unit
	tests := []struct {
		name string
		body string
		want Info
	}{
		{"empty", "", Info{GSM7, 0, 0}},
		{"ascii 160", a("a", 160), Info{GSM7, 160, 1}},
		{"ascii 161", a("a", 161), Info{GSM7, 161, 2}},
		{"ascii 306", a("a", 306), Info{GSM7, 306, 2}},
		{"ascii 307", a("a", 307), Info{GSM7, 307, 3}},
		{"emoji", "👍", Info{UCS2, 2, 1}},
		{"ucs2 70", a(zh, 70), Info{UCS2, 70, 1}},
		{"ucs2 71", a(zh, 71), Info{UCS2, 71, 2}},
		{"greek in gsm", "ΔΦΓΛΩΠΨΣΘΞ", Info{GSM7, 10, 1}},
		{"alpha beta", "ΑΒΓ", Info{UCS2, 3, 1}},
		{"extension counts two", "€[]", Info{GSM7, 6, 1}},
		{"extension fills single", a("a", 158) + "€", Info{GSM7, 160, 1}},
		{"extension after 152 fits second part", a("a", 152) + "€" + a("a", 151), Info{GSM7, 305, 2}},
		{"extension after 152 not split", a("a", 152) + "€" + a("a", 152), Info{GSM7, 306, 3}},
		{"pair fills single", a(zh, 68) + "👍", Info{UCS2, 70, 1}},
		{"pair after 66 fits second part", a(zh, 66) + "👍" + a(zh, 65), Info{UCS2, 133, 2}},
		{"pair after 66 not split", a(zh, 66) + "👍" + a(zh, 66), Info{UCS2, 134, 3}},
		{"backtick", "`", Info{UCS2, 1, 1}},
		{"tab", "a\tb", Info{UCS2, 3, 1}},
		{"line breaks", "a\r\nb", Info{GSM7, 4, 1}},
		{"invalid utf-8", "a\xffb", Info{UCS2, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Analyze(tt.body)); diff != "" {
				t.Errorf("Analyze (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAlphabet guards the two constant tables against a typo: the default
// alphabet has 128 positions, one of them the escape, and no character is in
// both tables.
func TestAlphabet(t *testing.T) {
	seen := map[rune]bool{}
	for _, r := range basicSet + extensionSet {
		if seen[r] {
			t.Errorf("%q appears twice", r)
		}
		seen[r] = true
	}
	if got := len([]rune(basicSet)); got != 127 {
		t.Errorf("basic set has %d characters, want 127", got)
	}
	for r := rune(0); r < 0x80; r++ {
		want := strings.ContainsRune(basicSet, r)
		if got := septets(r) == 1; got != want {
			t.Errorf("septets(%q) == 1 is %v, want %v", r, got, want)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	body := strings.Repeat("Rally at city hall, 5pm! ", 7)[:160]
	for b.Loop() {
		Analyze(body)
	}
}
