package smstext

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"smart punctuation", "“Hello” — ‘world’…", `"Hello" - 'world'...`},
		{"guillemets", "«\u00a0Venez\u00a0»", `" Venez "`},
		{"spaces and zero width", "a\u00a0b\u202fc\u200bd\ufeff", "a b cd"},
		{"bullet and minus", "• 3 − 1", "- 3 - 1"},
		{"already gsm", "Hello 'world' €", "Hello 'world' €"},
		{"emoji keeps typography", "“Hello” 👍", "“Hello” 👍"},
		{"other script keeps typography", "“Привет”", "“Привет”"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Normalize(tt.body)); diff != "" {
				t.Errorf("Normalize (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalizeSavesSegments(t *testing.T) {
	body := "“Hello” — ‘world’…"
	if diff := cmp.Diff(Info{UCS2, 18, 1}, Analyze(body)); diff != "" {
		t.Errorf("Analyze before (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Info{GSM7, 20, 1}, Analyze(Normalize(body))); diff != "" {
		t.Errorf("Analyze after (-want +got):\n%s", diff)
	}
}

// TestReplacementTables checks that every character Normalize replaces is
// outside GSM-7, so a GSM-7 body is never touched, and that every
// replacement is inside it.
func TestReplacementTables(t *testing.T) {
	for _, r := range singleQuotes + doubleQuotes + dashes + ellipsis + zeroWidth + spaces {
		if septets(r) != 0 {
			t.Errorf("%q is GSM-7 already", r)
		}
		s, ok := replacement(r)
		if !ok {
			t.Errorf("replacement(%q) = false", r)
		}
		if _, gsm := gsmUnits(s); !gsm {
			t.Errorf("replacement(%q) = %q, not GSM-7", r, s)
		}
	}
}
