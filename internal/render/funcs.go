package render

import (
	"fmt"
	"html/template"
	"strings"
	"time"
)

// emptyFunc is the name of the function appended to text/template actions so that a
// missing data key prints nothing instead of "<no value>".
const emptyFunc = "_render_empty"

// htmlFuncs returns the functions available to html blocks.
func (r *Renderer) htmlFuncs() template.FuncMap {
	return template.FuncMap{"when": r.when, "nl2br": nl2br}
}

// textFuncs returns the functions available to subject, text and sms blocks. In
// plain text nl2br has nothing to do: line breaks are already kept.
func (r *Renderer) textFuncs() map[string]any {
	return map[string]any{"when": r.when, "nl2br": orEmpty, emptyFunc: orEmpty}
}

// when renders the RFC 3339 time in v.Data[key] in the supporter's time zone, else
// the campaign's, else UTC. A value that is not such a time is rendered as given.
func (r *Renderer) when(v *view, key string) string {
	s := dataString(v.Data, key)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	loc := r.zones.Pick(v.personTZ, v.campaignTZ)
	if v.sms {
		return r.dates.Short(t, v.dates, loc)
	}
	return r.dates.DateTime(t, v.dates, loc)
}

// dataString returns data[key] as text: "" when absent or nil.
func dataString(data map[string]any, key string) string {
	return orEmpty(data[key])
}

// orEmpty prints v, and nil as "".
func orEmpty(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case fmt.Stringer:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// nl2br escapes v for HTML and keeps its line breaks.
func nl2br(v any) template.HTML {
	s := template.HTMLEscapeString(orEmpty(v))
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return template.HTML(strings.ReplaceAll(s, "\n", "<br>\n"))
}
