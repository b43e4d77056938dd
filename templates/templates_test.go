package templates_test

import (
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/templates"
)

func TestFSHoldsTheTree(t *testing.T) {
	for _, f := range []string{
		"layout/email.html", "layout/email.txt", "layout/en.tmpl", "layout/es.tmpl", "layout/fr.tmpl", "layout/pt.tmpl",
		"mobilization/en.tmpl", "mobilization/es.tmpl", "mobilization/fr.tmpl", "mobilization/pt.tmpl", "mobilization/sample.json",
	} {
		if _, err := fs.Stat(templates.FS(), f); err != nil {
			t.Errorf("not embedded: %v", err)
		}
	}
	if _, err := fs.Stat(templates.FS(), "templates.go"); err == nil {
		t.Error("templates.go is embedded; the pattern is too wide")
	}
}

func TestShippedTemplatesLoad(t *testing.T) {
	r, err := render.New(templates.FS())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	want := []render.TemplateInfo{{Name: "mobilization", Locales: []string{"en", "es", "fr", "pt"}, Channels: []string{"email", "sms"}}}
	if diff := cmp.Diff(want, r.Templates()); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}
}
