package render

import (
	"testing"

	"github.com/muster-org/muster/internal/smstext"
)

// TestSMSFits: typography that alone would make an SMS UCS-2 is normalised to
// GSM-7, the opt-out line of the message's language ends it when the campaign
// asks, and a name that needs UCS-2 anyway keeps the organizer's typography.
func TestSMSFits(t *testing.T) {
	r := shipped(t)
	m := Message{Content: map[string]Content{
		"en": {SMS: "{{first_name}}: \u201cHuman chain\u201d \u2014 Saturday\u00a013:00\u2026"},
		"pt": {SMS: "{{first_name}}: \u201cCorrente humana\u201d \u2014 s\u00e1bado"},
		"es": {SMS: "{{first_name}}: \u201cCadena humana\u201d"},
		"fr": {SMS: "{{first_name}}: \u00ab Cha\u00eene humaine \u00bb"},
	}}
	opted := freeAssange()
	opted.OptOut = true
	tests := []struct {
		name   string
		c      Campaign
		p      Person
		want   string
		encode smstext.Encoding
	}{
		{"quotes and dashes normalised", freeAssange(), Person{Name: "Ana", Locale: "en"},
			`Ana: "Human chain" - Saturday 13:00...`, smstext.GSM7},
		{"opt-out line in English", opted, Person{Name: "Ana", Locale: "en-GB"},
			"Ana: \"Human chain\" - Saturday 13:00...\n" + smstext.OptOut("en"), smstext.GSM7},
		{"opt-out line in Spanish", opted, Person{Name: "Ana", Locale: "es-AR"},
			"Ana: \"Cadena humana\"\n" + smstext.OptOut("es"), smstext.GSM7},
		{"an emoji in the name keeps the quotes", opted, Person{Name: "Ana🙂", Locale: "en"},
			"Ana🙂: \u201cHuman chain\u201d \u2014 Saturday\u00a013:00\u2026\n" + smstext.OptOut("en"), smstext.UCS2},
		{"Portuguese accents are UCS-2 anyway", opted, Person{Name: "Ana", Locale: "pt-BR"},
			"Ana: \u201cCorrente humana\u201d \u2014 s\u00e1bado\n" + smstext.OptOut("pt"), smstext.UCS2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := r.SMS(m, tc.c, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if s.Body != tc.want {
				t.Errorf("SMS = %q\nwant  %q", s.Body, tc.want)
			}
			if got := smstext.Analyze(s.Body).Encoding; got != tc.encode {
				t.Errorf("encoding = %s, want %s", got, tc.encode)
			}
			pr, err := r.Prepare(m, tc.c)
			if err != nil {
				t.Fatal(err)
			}
			if ps, err := pr.SMS(tc.p); err != nil || ps != s {
				t.Errorf("prepared SMS = %+v, %v; want %+v", ps, err, s)
			}
		})
	}
}
