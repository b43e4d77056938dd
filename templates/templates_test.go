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
	var names []string
	for _, ti := range r.Templates() {
		names = append(names, ti.Name)
	}
	want := []string{"change", "mobilization", "online-action", "reminder"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}
}

// TestEveryTemplateIsComplete wants every shipped template in all four languages,
// by email and SMS, with a sample to try it and render its golden files with.
func TestEveryTemplateIsComplete(t *testing.T) {
	r, err := render.New(templates.FS())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, ti := range r.Templates() {
		want := render.TemplateInfo{Name: ti.Name, Locales: []string{"en", "es", "fr", "pt"}, Channels: []string{"email", "sms"}}
		if diff := cmp.Diff(want, ti); diff != "" {
			t.Errorf("%s (-want +got):\n%s", ti.Name, diff)
		}
		if _, err := fs.Stat(templates.FS(), ti.Name+"/sample.json"); err != nil {
			t.Errorf("%s: no sample: %v", ti.Name, err)
		}
	}
}
