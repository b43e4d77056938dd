package keyword_test

import (
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/keyword"
)

func TestTwiML(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>`
	tests := []struct {
		name    string
		message string
		want    string
	}{
		{"plain", "Reply STOP to opt out.", head + "<Response><Message>Reply STOP to opt out.</Message></Response>"},
		{"ampersand and angle brackets", "Tom & Jerry <3 > you", head + "<Response><Message>Tom &amp; Jerry &lt;3 &gt; you</Message></Response>"},
		{"accents pass as UTF-8", "Répondez STOP", head + "<Response><Message>Répondez STOP</Message></Response>"},
		{"markup is text", "</Message><Redirect>https://evil.example</Redirect>",
			head + "<Response><Message>&lt;/Message&gt;&lt;Redirect&gt;https://evil.example&lt;/Redirect&gt;</Message></Response>"},
		{"empty: no reply", "", head + "<Response></Response>"},
		{"blank: no reply", " \n", head + "<Response></Response>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := keyword.TwiML(tt.message)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TwiML(%q) (-want +got):\n%s", tt.message, diff)
			}
			var doc struct {
				Message *string `xml:"Message"`
			}
			if err := xml.Unmarshal([]byte(got), &doc); err != nil {
				t.Fatalf("TwiML(%q) is not XML: %v", tt.message, err)
			}
			if doc.Message != nil && *doc.Message != tt.message {
				t.Errorf("TwiML(%q) reads back as %q", tt.message, *doc.Message)
			}
		})
	}
}
