package bounce

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// manyRecipients is a delivery status notification about n failed recipients.
func manyRecipients(n int) string {
	var b strings.Builder
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.example.org\r\n")
	for i := range n {
		fmt.Fprintf(&b, "\r\nFinal-Recipient: rfc822; r%d@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n", i)
	}
	b.WriteString("\r\n--b--\r\n")
	return b.String()
}

func TestParseRecipientsCap(t *testing.T) {
	tests := []struct {
		n       int
		wantErr error
	}{
		{1, nil},
		{MaxRecipients, nil},
		{MaxRecipients + 1, ErrTooManyRecipients},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			rep, err := Parse(strings.NewReader(manyRecipients(tt.n)))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && len(rep.Recipients) != tt.n {
				t.Errorf("Parse found %d recipients, want %d", len(rep.Recipients), tt.n)
			}
		})
	}
}
