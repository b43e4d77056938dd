package render

import (
	"reflect"
	"testing"
	ttemplate "text/template"
)

func TestPrintsOnly(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want bool
	}{
		{"printed", `Hi {{.Person.FirstName}}, {{$.Person.FirstName}}`, true},
		{"alert-wide values", `{{.Data.title}} {{.Campaign.Name}} {{.Locale}} {{.Footer}} {{index .Data "x"}} {{printf "%s" .Data.x}}`, true},
		{"every personal field", `{{.Subject}} {{.UnsubscribeURL}} {{.BodyHTML}} {{.BodyText}}`, true},
		{"nil printed as empty", `{{.Person.FirstName | _render_empty}}`, true},
		{"if", `{{if .Person.FirstName}}named{{else}}not{{end}}`, true},
		{"with", `{{with .UnsubscribeURL}}<{{.}}> {{$.Person.FirstName}}{{end}}`, true},
		{"else with", `{{with .Data.a}}a{{else with .Person.FirstName}}{{.}}{{end}}`, true},
		{"range over data", `{{range $i, $e := .Data.list}}{{$i}}{{$e}}{{.}}{{end}}`, true},
		{"when", `{{when $ "at"}} {{when . "at"}} {{with .Data.x}}{{when $ "at"}}{{end}}`, true},
		{"view to a template", `{{define "x"}}{{.Person.FirstName}}{{end}}{{template "x" .}}{{template "x" $}}`, true},
		{"data to a template", `{{define "x"}}{{.Person.FirstName}} {{.}}{{end}}{{template "x" .Data}}{{template "x"}}`, true},
		{"recursive template", `{{define "r"}}{{if .Data.x}}{{template "r" .}}{{end}}{{.Person.FirstName}}{{end}}{{template "r" .}}`, true},
		{"variable from data", `{{$v := .Data}}{{$v.x}}`, true},

		{"compared", `{{if eq .Person.FirstName "Ana"}}Ana!{{end}}`, false},
		{"compared through with", `{{with .Person.FirstName}}{{if eq . "Ana"}}Ana!{{end}}{{end}}`, false},
		{"negated", `{{if not .UnsubscribeURL}}none{{end}}`, false},
		{"and", `{{if and .Data.x .UnsubscribeURL}}x{{end}}`, false},
		{"sliced", `{{slice .Person.FirstName 0 1}}`, false},
		{"measured", `{{len .Subject}}`, false},
		{"quoted", `{{printf "%q" .Person.FirstName}}`, false},
		{"piped to a function", `{{.Person.FirstName | printf "%.3s"}}`, false},
		{"escaped by hand", `{{.Person.FirstName | html}}`, false},
		{"nl2br", `{{nl2br .BodyText}}`, false},
		{"when of a name", `{{when $ .Person.FirstName}}`, false},
		{"whole person", `{{.Person}}`, false},
		{"whole view", `{{.}}`, false},
		{"view printed", `{{print $}}`, false},
		{"view indexed", `{{index $ "Data"}}`, false},
		{"view in a variable", `{{$v := .}}{{$v.Person.FirstName}}`, false},
		{"name in a variable", `{{$n := .Person.FirstName}}{{$n}}`, false},
		{"ranged", `{{range .Person.FirstName}}{{.}}{{end}}`, false},
		{"chained", `{{(.Person).FirstName}}`, false},
		{"field of a name", `{{.Person.FirstName.X}}`, false},
		{"field of with", `{{with .Subject}}{{.X}}{{end}}`, false},
		{"person to a template", `{{define "x"}}{{.FirstName}}{{end}}{{template "x" .Person}}`, false},
		{"name to a template", `{{define "x"}}{{.}}{{end}}{{template "x" .Person.FirstName}}`, false},
		{"unknown template", `{{template "nope" .}}`, false},
		{"bad callee", `{{define "x"}}{{len .Person.FirstName}}{{end}}{{if .Data.x}}{{template "x" .}}{{end}}`, false},
		{"nested pipeline", `{{printf "%s" (print .Person.FirstName)}}`, false},
	}
	funcs := map[string]any{"when": func(*view, string) string { return "" }, "nl2br": orEmpty, emptyFunc: orEmpty}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, err := ttemplate.New("entry").Funcs(funcs).Parse(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if got := printsOnly(textTrees(tm), "entry"); got != tt.want {
				t.Errorf("printsOnly = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestViewHasNoMethods guards an assumption of printsOnly: that a personal value
// can only be reached through the fields it knows.
func TestViewHasNoMethods(t *testing.T) {
	for _, v := range []any{&view{}, &personView{}, &campaignView{}} {
		if n := reflect.TypeOf(v).NumMethod(); n != 0 {
			t.Errorf("%T has %d methods; teach printsOnly which of them reach personal values", v, n)
		}
	}
}
