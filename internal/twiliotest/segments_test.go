package twiliotest

import (
	"strings"
	"testing"
)

func TestSegments(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"short", "Rally at 13:00", "1"},
		{"160 GSM characters", strings.Repeat("a", 160), "1"},
		{"161 GSM characters", strings.Repeat("a", 161), "2"},
		{"306 GSM characters", strings.Repeat("a", 306), "2"},
		{"307 GSM characters", strings.Repeat("a", 307), "3"},
		{"GSM accents", strings.Repeat("é", 160), "1"},
		{"extension characters count twice", strings.Repeat("€", 81), "2"},
		{"70 UCS-2 units", strings.Repeat("ç", 70), "1"},
		{"emoji are two units", strings.Repeat("🙂", 36), "2"},
		{"134 UCS-2 units", strings.Repeat("ç", 134), "2"},
		{"135 UCS-2 units", strings.Repeat("ç", 135), "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := segments(tt.body); got != tt.want {
				t.Errorf("segments = %s, want %s", got, tt.want)
			}
		})
	}
}
