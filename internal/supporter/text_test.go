package supporter_test

import (
	"strings"
	"testing"

	"github.com/muster-org/muster/internal/supporter"
)

func TestFreeText(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		lines   bool
		want    string
		wantErr string
	}{
		{name: "trimmed", in: "  Ana  ", want: "Ana"},
		{name: "accents, emoji and joiners", in: "Zoë 👩\u200d🔬 می\u200cخواهم", want: "Zoë 👩\u200d🔬 می\u200cخواهم"},
		{name: "NUL", in: "A\x00na", wantErr: "U+0000"},
		{name: "escape", in: "A\x1b[2Jna", wantErr: "U+001B"},
		{name: "DEL", in: "A\x7fna", wantErr: "U+007F"},
		{name: "C1", in: "A\u0085na", wantErr: "U+0085"},
		{name: "tab", in: "A\tna", wantErr: "U+0009"},
		{name: "line feed in one line", in: "A\nna", wantErr: "U+000A"},
		{name: "paragraph separator", in: "A\u2029na", wantErr: "U+2029"},
		{name: "invalid UTF-8", in: "An\xe9", wantErr: "UTF-8"},
		{name: "lone surrogate bytes", in: "A\xed\xa0\x80", wantErr: "UTF-8"},
		{name: "too long", in: strings.Repeat("é", 11), wantErr: "11 characters"},
		{name: "lines kept", in: "1 Main St\nLondon", lines: true, want: "1 Main St\nLondon"},
		{name: "CRLF and CR become LF", in: "1 Main St\r\nLondon\rUK", lines: true, want: "1 Main St\nLondon\nUK"},
		{name: "NUL in lines", in: "1 Main St\n\x00", lines: true, wantErr: "U+0000"},
		{name: "tab in lines", in: "1 Main St\tLondon", lines: true, wantErr: "U+0009"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := supporter.FreeText
			if tt.lines {
				check = supporter.FreeTextLines
			}
			limit := 40
			if strings.HasPrefix(tt.name, "too long") {
				limit = 10
			}
			got, err := check(tt.in, limit)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got error %v, want %q", err, tt.want)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got %q, %v; want an error naming %q", got, err, tt.wantErr)
			case got != tt.want:
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
