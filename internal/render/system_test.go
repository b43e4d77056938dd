package render

import (
	"errors"
	"strings"
	"testing"
)

// TestSystemTemplates: the double opt-in email renders in every shipped
// language, and alerts can neither list nor use it.
func TestSystemTemplates(t *testing.T) {
	r := shipped(t)
	data := map[string]any{"confirm_url": "https://muster.example.org/confirm/tok123"}
	for _, locale := range []string{"en", "es", "pt", "fr"} {
		e, err := r.System("_confirm", data, footed(freeAssange()), ana(locale))
		if err != nil {
			t.Fatal(err)
		}
		if e.Locale != locale || !strings.Contains(e.HTML, `href="https://muster.example.org/confirm/tok123"`) ||
			!strings.Contains(e.Text, "https://muster.example.org/confirm/tok123") || !strings.Contains(e.Subject, "Free Assange") {
			t.Errorf("%s: %+v", locale, e)
		}
		golden(t, "_confirm."+locale+".txt", "Subject: "+e.Subject+"\n\n"+e.Text+"\n")
	}
	for _, ti := range r.Templates() {
		if strings.HasPrefix(ti.Name, "_") {
			t.Errorf("Templates lists the system template %s", ti.Name)
		}
	}
	if r.Has("_confirm") {
		t.Error("Has(_confirm) is true: alerts could use it")
	}
	if err := r.Check(Message{Template: "_confirm"}, []string{ChannelEmail}, nil, "en"); err == nil {
		t.Error("Check accepts an alert with the system template")
	}
	if _, err := r.System("mobilization", nil, freeAssange(), ana("en")); !errors.Is(err, ErrUnknownTemplate) {
		t.Errorf("System(mobilization) = %v, want ErrUnknownTemplate", err)
	}
}
