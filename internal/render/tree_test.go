package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTextTemplatesPrintNilAsEmpty(t *testing.T) {
	const email = `{{define "subject"}}S{{end}}{{define "html"}}H{{end}}{{define "text"}}T{{end}}`
	tests := []struct {
		name, sms string
		data      map[string]any
		want      string
	}{
		{"missing key", `[{{.Data.nope}}]`, nil, "[]"},
		{"nil value", `[{{.Data.x}}]`, map[string]any{"x": nil}, "[]"},
		{"through $", `{{with .Data.x}}[{{$.Data.nope}}]{{end}}`, map[string]any{"x": 1}, "[]"},
		{"nil in a range", `{{range .Data.list}}[{{.}}]{{end}}`, map[string]any{"list": []any{"a", nil, 2}}, "[a][][2]"},
		{"field of a with", `{{with .Data.venue}}[{{.name}}|{{.floor}}]{{end}}`, map[string]any{"venue": map[string]any{"name": "Hall"}}, "[Hall|]"},
		{"variable", `{{$v := .Data.nope}}[{{$v}}]`, nil, "[]"},
		{"index", `[{{index .Data "nope"}}]`, map[string]any{}, "[]"},
		{"values still print", `{{.Data.n}} {{.Data.b}} {{.Data.s}} {{.Person.FirstName}} {{.Campaign.Name}}`, map[string]any{"n": 3, "b": true, "s": "x"}, "3 true x Ana C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustNew(t, with(minimalFS(), map[string]string{
				"invite/es.tmpl":     "",
				"invite/en.tmpl":     email + `{{define "sms"}}` + tt.sms + `{{end}}`,
				"invite/sample.json": `{"list": ["a"], "venue": {"name": "Hall"}}`,
			}))
			s, err := r.SMS(Message{Template: "invite", Data: tt.data}, Campaign{Name: "C"}, Person{Name: "Ana"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, s.Body); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
