package render

import (
	"bytes"
	"fmt"
	htemplate "html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	ttemplate "text/template"
	"text/template/parse"

	"golang.org/x/text/language"
)

// Paths of the shared email frame inside the templates tree.
const (
	layoutDir  = "layout"
	layoutHTML = "layout/email.html"
	layoutText = "layout/email.txt"
)

// layoutBlocks returns the blocks of a layout words file, one file per locale.
func layoutBlocks() []string { return []string{"friend", "joined", "unsubscribe"} }

// layout is the email frame in one language. html and text are never executed,
// only cloned; inlineHTML and inlineText wrap inline content.
type layout struct {
	locale     string
	friend     string
	html       *htemplate.Template
	text       *ttemplate.Template
	inlineHTML *htemplate.Template
	inlineText *ttemplate.Template

	// inlinePrintsOnly tells whether the inline frames let personal values reach
	// the output only by being printed, so that a Prepared may fill them in.
	inlinePrintsOnly bool
}

// layouts holds the frame in every language it has, English at least.
type layouts struct {
	chooser *chooser
	all     []*layout
}

// forLocale returns the layout for a message's locale, English if none closer.
func (ls *layouts) forLocale(locale string) *layout {
	i, ok := ls.chooser.choose(locale, "")
	if !ok {
		i = ls.chooser.hasEn
	}
	return ls.all[i]
}

func (r *Renderer) loadLayouts(fsys fs.FS) (*layouts, error) {
	htmlSrc, err := fs.ReadFile(fsys, layoutHTML)
	if err != nil {
		return nil, fmt.Errorf("render: reading layout: %w", err)
	}
	textSrc, err := fs.ReadFile(fsys, layoutText)
	if err != nil {
		return nil, fmt.Errorf("render: reading layout: %w", err)
	}
	files, err := fs.Glob(fsys, layoutDir+"/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("render: listing layout locales: %w", err)
	}
	ls := &layouts{}
	var locales []string
	for _, f := range files {
		l, err := r.loadLayout(fsys, f, string(htmlSrc), string(textSrc))
		if err != nil {
			return nil, err
		}
		ls.all = append(ls.all, l)
		locales = append(locales, l.locale)
	}
	if ls.chooser, err = newChooser(locales); err != nil {
		return nil, fmt.Errorf("render: layout locales: %w", err)
	}
	if ls.chooser.hasEn < 0 {
		return nil, fmt.Errorf("render: %s/en.tmpl: missing: English ends every fallback", layoutDir)
	}
	return ls, nil
}

// loadLayout builds the frame for the locale of the words file f.
func (r *Renderer) loadLayout(fsys fs.FS, f, htmlSrc, textSrc string) (*layout, error) {
	locale, err := localeOf(f)
	if err != nil {
		return nil, err
	}
	src, err := fs.ReadFile(fsys, f)
	if err != nil {
		return nil, fmt.Errorf("render: reading %s: %w", f, err)
	}
	words, err := r.parseText(f, string(src), layoutBlocks(), layoutBlocks())
	if err != nil {
		return nil, err
	}
	l := &layout{locale: locale}
	if l.text, err = r.textLayout(textSrc, words); err != nil {
		return nil, err
	}
	if l.html, err = r.htmlLayout(htmlSrc, f, string(src)); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := l.text.ExecuteTemplate(&b, "friend", &view{}); err != nil {
		return nil, fmt.Errorf("render: %s: friend: %w", f, err)
	}
	l.friend = strings.TrimSpace(b.String())
	return l, r.inlineSets(l)
}

// textLayout parses the text frame and adds the words to it.
func (r *Renderer) textLayout(src string, words *ttemplate.Template) (*ttemplate.Template, error) {
	t, err := ttemplate.New(layoutText).Funcs(r.textFuncs()).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	emptyMissing(t.Tree)
	for _, name := range layoutBlocks() {
		if _, err := t.AddParseTree(name, words.Lookup(name).Tree); err != nil {
			return nil, fmt.Errorf("render: %s: %w", layoutText, err)
		}
	}
	return t, nil
}

// htmlLayout parses the HTML frame and the words file f into one html/template set.
func (r *Renderer) htmlLayout(src, f, words string) (*htemplate.Template, error) {
	t, err := htemplate.New(layoutHTML).Funcs(r.htmlFuncs()).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	if _, err := t.New(f).Parse(words); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return t, nil
}

// inlineSets clones the frame with body blocks that print inline content, which is
// already safe HTML (BodyHTML) or plain text (BodyText).
func (r *Renderer) inlineSets(l *layout) error {
	h, err := l.html.Clone()
	if err == nil {
		_, err = h.New("inline").Parse(`{{define "html"}}{{.BodyHTML}}{{end}}`)
	}
	if err != nil {
		return fmt.Errorf("render: inline html frame: %w", err)
	}
	t, err := l.text.Clone()
	if err == nil {
		var body *ttemplate.Template
		body, err = ttemplate.New("inline").Parse(`{{.BodyText}}`)
		if err == nil {
			emptyMissing(body.Tree)
			_, err = t.AddParseTree("text", body.Tree)
		}
	}
	if err != nil {
		return fmt.Errorf("render: inline text frame: %w", err)
	}
	l.inlineHTML, l.inlineText = h.Lookup(layoutHTML), t
	l.inlinePrintsOnly = printsOnly(htmlTrees(h), layoutHTML) && printsOnly(textTrees(t), layoutText)
	return nil
}

// parseText parses a file of {{define}} blocks with text/template and checks that it
// defines only allowed blocks and all required ones, none of them empty.
func (r *Renderer) parseText(f, src string, allowed, required []string) (*ttemplate.Template, error) {
	t, err := ttemplate.New(f).Funcs(r.textFuncs()).Parse(src)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	if t.Tree != nil && !isEmpty(t.Tree) {
		return nil, fmt.Errorf("render: %s: text outside {{define}} blocks", f)
	}
	for _, d := range t.Templates() {
		if d.Name() != f && !slices.Contains(allowed, d.Name()) {
			return nil, fmt.Errorf("render: %s: unknown block %q (want %s)", f, d.Name(), strings.Join(allowed, ", "))
		}
	}
	for _, name := range required {
		if !defines(t, name) {
			return nil, fmt.Errorf("render: %s: missing block %q", f, name)
		}
	}
	for _, d := range t.Templates() {
		if d.Name() != f && d.Tree != nil {
			emptyMissing(d.Tree)
		}
	}
	return t, nil
}

// localeOf reads the locale from a file name such as "mobilization/pt-BR.tmpl".
func localeOf(f string) (string, error) {
	base := strings.TrimSuffix(path.Base(f), ".tmpl")
	t, err := language.Parse(base)
	if err != nil {
		return "", fmt.Errorf("render: %s: %q is not a BCP 47 locale: %w", f, base, err)
	}
	return t.String(), nil
}

// defines reports whether t has a non-empty block name.
func defines(t *ttemplate.Template, name string) bool {
	d := t.Lookup(name)
	return d != nil && d.Tree != nil && !isEmpty(d.Tree)
}

func isEmpty(t *parse.Tree) bool { return t.Root == nil || parse.IsEmptyTree(t.Root) }
