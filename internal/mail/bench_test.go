package mail_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/muster-org/muster/internal/mail"
)

// alertMessage is an alert of about 5 KB: 2 KB of text and 3 KB of HTML.
func alertMessage() mail.Message {
	m := sampleMessage("ana@example.org")
	m.Text = strings.Repeat("Nos vemos en Parliament Square el sábado a las 13:00. Traigan agua y un cartel.\n", 25)
	m.HTML = "<html><body>" + strings.Repeat(`<p>Nos vemos en <b>Parliament Square</b> el sábado a las 13:00. <a href="https://muster.example.org/a/a12">Detalles</a></p>`, 25) + "</body></html>"
	return m
}

func BenchmarkWriteMessage(b *testing.B) {
	withCalendar := alertMessage()
	withCalendar.Calendar = sampleCalendar(b)
	for _, bm := range []struct {
		name string
		m    mail.Message
	}{
		{"text+html", alertMessage()},
		{"text+html+calendar", withCalendar},
	} {
		b.Run(bm.name, func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := mail.WriteMessage(&buf, bm.m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/msg")
		})
	}
}
