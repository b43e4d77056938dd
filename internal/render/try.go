package render

import (
	"fmt"
	htemplate "html/template"
	ttemplate "text/template"
	"text/template/parse"
)

// sampleTime is the value data keys get when New tries a template that has no
// sample.json, or whose sample leaves them out.
const sampleTime = "2022-10-08T13:00:00+01:00"

// tryAll executes every template once with every data key it reads set (from its
// sample.json, else to a time string) and once with none, so that an unknown
// field, a misused function or an HTML escaping problem stops the start, whichever
// branch it hides in.
func (r *Renderer) tryAll() error {
	for _, ti := range r.Templates() {
		n := r.named[ti.Name]
		for _, v := range n.variants {
			if err := r.tryVariant(v, n.sample); err != nil {
				return err
			}
		}
	}
	for _, l := range r.layouts.all {
		for _, vw := range samples(l.locale, nil, nil) {
			if _, err := r.exec(l.inlineHTML, vw); err != nil {
				return fmt.Errorf("render: %s with %s: %w", layoutHTML, l.locale, err)
			}
			if _, err := r.exec(l.inlineText, vw); err != nil {
				return fmt.Errorf("render: %s with %s: %w", layoutText, l.locale, err)
			}
		}
	}
	return nil
}

func (r *Renderer) tryVariant(v *variant, sample map[string]any) error {
	keys := map[string]bool{}
	for _, t := range []*ttemplate.Template{v.subject, v.text, v.sms} {
		if t != nil {
			for _, d := range t.Templates() {
				treeKeys(d.Tree, keys)
			}
		}
	}
	if v.html != nil {
		for _, d := range v.html.Templates() {
			treeKeys(d.Tree, keys)
		}
	}
	blocks := []struct {
		name string
		t    executor
	}{{"subject", v.subject}, {"html", v.html}, {"text", v.text}, {"sms", v.sms}}
	for _, vw := range samples(v.locale, keys, sample) {
		for _, b := range blocks {
			if isNil(b.t) {
				continue
			}
			if _, err := r.exec(b.t, vw); err != nil {
				return fmt.Errorf("render: %s: trying %s: %w", v.path, b.name, err)
			}
		}
	}
	return nil
}

func treeKeys(t *parse.Tree, into map[string]bool) {
	if t != nil {
		dataKeys(t, into)
	}
}

// isNil sees through the interface to the typed nil of an absent block.
func isNil(e executor) bool {
	switch t := e.(type) {
	case *ttemplate.Template:
		return t == nil
	case *htemplate.Template:
		return t == nil
	}
	return e == nil
}

// samples returns a view with everything set, and one with nothing set.
func samples(locale string, keys map[string]bool, sample map[string]any) []*view {
	data := map[string]any{}
	for k := range keys {
		data[k] = sampleTime
	}
	for k, v := range sample {
		data[k] = v
	}
	full := &view{
		Data:           data,
		Person:         personView{FirstName: "Ana"},
		Campaign:       campaignView{Name: "Sample"},
		Locale:         locale,
		Subject:        "Subject",
		UnsubscribeURL: "https://example.org/unsubscribe",
		Footer:         "1 Sample Street\nSample City",
		BodyHTML:       "<p>Body</p>",
		BodyText:       "Body",
		personTZ:       "America/Sao_Paulo",
	}
	return []*view{full, {Data: map[string]any{}, Locale: locale}}
}
