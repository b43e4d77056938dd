package render

import "testing"

func BenchmarkEmail(b *testing.B) {
	r := shipped(b)
	m, c, p := oct8(), footed(freeAssange()), subscribed(ana("pt-BR"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Email(m, c, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSMS(b *testing.B) {
	r := shipped(b)
	m, c, p := oct8(), freeAssange(), ana("pt-BR")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.SMS(m, c, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmailContent(b *testing.B) {
	r := shipped(b)
	m := Message{
		Content: map[string]Content{
			"en": {Subject: "{{first_name}}, see you {{when.starts_at}}", Body: "## Tomorrow\n\nHi {{first_name}}, meet us at **{{data.place}}**, {{when.starts_at}}.\n\n[RSVP]({{data.url}})"},
			"pt": {Subject: "{{first_name}}, até {{when.starts_at}}", Body: "## Amanhã\n\nOlá, {{first_name}}! Em **{{data.place}}**, {{when.starts_at}}.\n\n[Confirme]({{data.url}})"},
		},
		Data: oct8().Data,
	}
	c, p := footed(freeAssange()), subscribed(ana("pt-BR"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Email(m, c, p); err != nil {
			b.Fatal(err)
		}
	}
}
