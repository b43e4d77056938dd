package render

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTemplates(t *testing.T) {
	want := []TemplateInfo{
		{Name: "invite", Locales: []string{"en", "es"}, Channels: []string{"email", "sms"}},
		{Name: "notice", Locales: []string{"fr"}, Channels: []string{"email"}},
	}
	if diff := cmp.Diff(want, mustNew(t, minimalFS()).Templates()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	all := []string{"en", "es", "fr", "pt"}
	both := []string{"email", "sms"}
	want = []TemplateInfo{
		{Name: "change", Locales: all, Channels: both},
		{Name: "mobilization", Locales: all, Channels: both},
		{Name: "online-action", Locales: all, Channels: both},
		{Name: "reminder", Locales: all, Channels: both},
	}
	if diff := cmp.Diff(want, shipped(t).Templates()); diff != "" {
		t.Errorf("shipped (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	r := mustNew(t, minimalFS())
	es := map[string]Content{"es": {Subject: "s", Body: "b"}}
	tests := []struct {
		name    string
		m       Message
		sms     bool
		campaig string
		want    error
	}{
		{"unknown template", Message{Template: "nope"}, false, "en", ErrUnknownTemplate},
		{"template lacks sms", Message{Template: "notice"}, true, "fr", ErrNoChannel},
		{"template lacks locale", Message{Template: "notice"}, false, "de", ErrNoVariant},
		{"content lacks sms", Message{Content: es}, true, "es", ErrNoChannel},
		{"content lacks locale", Message{Content: es}, false, "de", ErrNoVariant},
		{"neither", Message{}, false, "en", ErrNoContent},
		{"both", Message{Template: "invite", Content: es}, true, "en", ErrNoContent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.sms {
				_, err = r.SMS(tt.m, Campaign{Locale: tt.campaig}, Person{Locale: "de"})
			} else {
				_, err = r.Email(tt.m, Campaign{Locale: tt.campaig}, Person{Locale: "de"})
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestMissingDataRendersEmpty(t *testing.T) {
	r := shipped(t)
	for _, locale := range []string{"en", "es", "pt", "fr"} {
		t.Run(locale, func(t *testing.T) {
			m := Message{Template: "mobilization", Data: map[string]any{"title": nil}}
			e, err := r.Email(m, Campaign{Name: "C"}, Person{Locale: locale})
			if err != nil {
				t.Fatal(err)
			}
			s, err := r.SMS(m, Campaign{Name: "C"}, Person{Locale: locale})
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{e.Subject, e.HTML, e.Text, s.Body} {
				for _, junk := range []string{"<no value>", "<nil>", "%!", "href=\"\"", "When", "Cuándo", "Quando", "Quand"} {
					if strings.Contains(part, junk) {
						t.Errorf("output has %q:\n%s", junk, part)
					}
				}
			}
		})
	}
}

func TestPersonFirstName(t *testing.T) {
	r := shipped(t)
	tests := []struct {
		name, locale, want string
	}{
		{"Ana Maria Souza", "en", "Hi Ana,"},
		{"  Bo\tDiddley ", "en", "Hi Bo,"},
		{"", "en", "Hi friend,"},
		{"", "es", "Hola, compa:"},
		{"", "pt-BR", "Olá, companheira/o!"},
		{"", "fr", "Bonjour ami·e,"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.name, func(t *testing.T) {
			e, err := r.Email(oct8(), freeAssange(), Person{Name: tt.name, Locale: tt.locale})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(e.Text, "\n"+tt.want+"\n") {
				t.Errorf("text lacks %q:\n%s", tt.want, e.Text)
			}
		})
	}
}

func TestOptionalDetailsAndFooter(t *testing.T) {
	r := shipped(t)
	m := oct8()
	m.Data["details"] = "Wear yellow & bring water.\nStewards wear <orange> vests."
	e, err := r.Email(m, freeAssange(), ana("en"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Wear yellow &amp; bring water.<br>\nStewards wear &lt;orange&gt; vests."} {
		if !strings.Contains(e.HTML, s) {
			t.Errorf("html lacks %q", s)
		}
	}
	if !strings.Contains(e.Text, "\n\nWear yellow & bring water.\nStewards wear <orange> vests.\n\n") {
		t.Errorf("text lacks the details paragraph:\n%s", e.Text)
	}
	for _, s := range []string{"unsubscribe", "Unsubscribe", "Coalition"} {
		if strings.Contains(e.HTML, s) || strings.Contains(e.Text, s) {
			t.Errorf("no extras given, but the email has %q", s)
		}
	}
}

func TestTemplateDataIsNotExecuted(t *testing.T) {
	r := shipped(t)
	m := oct8()
	m.Data["title"] = `{{.Person.FirstName}} <script>alert(1)</script>`
	m.Data["url"] = "javascript:alert(1)"
	e, err := r.Email(m, freeAssange(), ana("en"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.HTML, "{{.Person.FirstName}} &lt;script&gt;") || strings.Contains(e.HTML, "javascript:") {
		t.Errorf("html let data through:\n%s", e.HTML)
	}
	if !strings.Contains(e.Subject, "{{.Person.FirstName}}") {
		t.Errorf("subject = %q", e.Subject)
	}
}

func TestConcurrentRendering(t *testing.T) {
	r := shipped(t)
	want := map[string]Email{}
	msgs := map[string]Message{
		"template": oct8(),
		"content":  {Content: map[string]Content{"en": {Subject: "S {{first_name}}", Body: "**{{data.title}}** {{when.starts_at}}"}}, Data: oct8().Data},
	}
	for k, m := range msgs {
		e, err := r.Email(m, footed(freeAssange()), subscribed(ana("pt-BR")))
		if err != nil {
			t.Fatal(err)
		}
		want[k] = e
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 16 {
		wg.Go(func() {
			for j := range 20 {
				k := "template"
				if (i+j)%2 == 0 {
					k = "content"
				}
				e, err := r.Email(msgs[k], footed(freeAssange()), subscribed(ana("pt-BR")))
				if err == nil && e != want[k] {
					err = fmt.Errorf("%s rendered differently under load", k)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
