package smstext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"", "hello", "“Hello” — ‘world’…", "👍", "€{}", "ΑΒΓ", "a\u00a0b\u200b", "“x” 👍",
		strings.Repeat("a", 152) + "€" + strings.Repeat("a", 152),
		strings.Repeat("ж", 66) + "👍" + strings.Repeat("ж", 66),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		info := Analyze(body)
		if body != "" && info.Segments < 1 {
			t.Errorf("Analyze(%q).Segments = %d for a non-empty body", body, info.Segments)
		}
		if info.Encoding == GSM7 && info.Units < utf8.RuneCountInString(body) {
			t.Errorf("Analyze(%q).Units = %d, fewer than its runes", body, info.Units)
		}
		norm := Normalize(body)
		if again := Normalize(norm); again != norm {
			t.Errorf("Normalize(%q) = %q, but Normalize of that = %q", body, norm, again)
		}
		if norm != body && Analyze(norm).Encoding != GSM7 {
			t.Errorf("Normalize(%q) = %q, changed but not GSM-7", body, norm)
		}
	})
}
