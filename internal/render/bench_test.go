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

// preparedPeople returns supporters of one shape who differ by name and link, as
// the supporters of one alert do.
func preparedPeople() []Person {
	var out []Person
	for _, name := range []string{"Ana Souza", "Bo", "José Ñandú", "Zoë <Z> & co"} {
		p := subscribed(ana("pt-BR"))
		p.Name, p.UnsubscribeURL = name, p.UnsubscribeURL+"?sig="+name[:2]
		out = append(out, p)
	}
	return out
}

func BenchmarkPreparedEmail(b *testing.B) {
	pr, err := shipped(b).Prepare(oct8(), footed(freeAssange()))
	if err != nil {
		b.Fatal(err)
	}
	people := preparedPeople()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := pr.Email(people[i%len(people)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPreparedSMS(b *testing.B) {
	pr, err := shipped(b).Prepare(oct8(), freeAssange())
	if err != nil {
		b.Fatal(err)
	}
	people := preparedPeople()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := pr.SMS(people[i%len(people)]); err != nil {
			b.Fatal(err)
		}
	}
}
