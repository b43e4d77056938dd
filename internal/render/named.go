package render

import (
	"encoding/json"
	"fmt"
	htemplate "html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	ttemplate "text/template"
)

// templateBlocks returns the blocks a template's locale file may define.
func templateBlocks() []string { return []string{"subject", "html", "text", "sms"} }

// validName matches template directory names, which the API shows as they are.
// A leading underscore marks a system template (see System).
const validName = `^_?[a-z0-9][a-z0-9_-]{0,63}$`

// systemPrefix starts the names of system templates: messages Muster sends
// itself, such as the double opt-in email, which alerts cannot use.
const systemPrefix = "_"

// sampleFile is the optional example data of a template, next to its locale files.
// New tries the template with it; without one every key the template reads is set
// to a time string, which suits templates that only print their data.
const sampleFile = "sample.json"

// named is one named template in all its locales.
type named struct {
	name     string
	chooser  *chooser
	variants []*variant // index-aligned with chooser.locales
	email    bool
	sms      bool
	sample   map[string]any
}

// variant is one locale of a named template, ready to execute.
type variant struct {
	path    string
	locale  string
	friend  string
	subject *ttemplate.Template // nil without the email channel
	html    *htemplate.Template // the HTML frame around the "html" block
	text    *ttemplate.Template // the text frame around the "text" block
	sms     *ttemplate.Template // nil without the SMS channel

	// Whether personal values reach each channel's output only by being printed,
	// so that a Prepared may fill them in (see printsOnly).
	emailPrintsOnly, smsPrintsOnly bool
}

func (n *named) has(channel string) bool {
	return (channel == ChannelEmail && n.email) || (channel == ChannelSMS && n.sms)
}

func (n *named) info() TemplateInfo {
	ti := TemplateInfo{Name: n.name, Locales: append([]string(nil), n.chooser.locales...), Channels: []string{}}
	for _, ch := range []string{ChannelEmail, ChannelSMS} {
		if n.has(ch) {
			ti.Channels = append(ti.Channels, ch)
		}
	}
	return ti
}

// loadNamed loads the template in directory name: one variant per locale file.
func (r *Renderer) loadNamed(fsys fs.FS, name string, ls *layouts) (*named, error) {
	if !regexp.MustCompile(validName).MatchString(name) {
		return nil, fmt.Errorf("render: %s: template names match %s", name, validName)
	}
	entries, err := fs.ReadDir(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("render: listing %s: %w", name, err)
	}
	n := &named{name: name}
	for _, e := range entries {
		f := path.Join(name, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case e.Name() == sampleFile:
			err = readSample(fsys, f, &n.sample)
		case !e.IsDir() && path.Ext(f) == ".tmpl":
			var v *variant
			if v, err = r.loadVariant(fsys, f, ls); err == nil {
				err = n.add(v)
			}
		default:
			err = fmt.Errorf("render: %s: unexpected; want <locale>.tmpl files and %s", f, sampleFile)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(n.variants) == 0 {
		return nil, fmt.Errorf("render: %s: no <locale>.tmpl files", name)
	}
	locales := make([]string, len(n.variants))
	for i, v := range n.variants {
		locales[i] = v.locale
	}
	if n.chooser, err = newChooser(locales); err != nil {
		return nil, fmt.Errorf("render: %s: %w", name, err)
	}
	return n, nil
}

func readSample(fsys fs.FS, f string, into *map[string]any) error {
	b, err := fs.ReadFile(fsys, f)
	if err == nil {
		err = json.Unmarshal(b, into)
	}
	if err != nil {
		return fmt.Errorf("render: %s: %w", f, err)
	}
	return nil
}

// add adds a variant, which must be a new locale and cover the same channels as
// those before it.
func (n *named) add(v *variant) error {
	email, sms := v.subject != nil, v.sms != nil
	for _, o := range n.variants {
		if o.locale == v.locale {
			return fmt.Errorf("render: %s: locale %s is already in %s", v.path, v.locale, o.path)
		}
	}
	if len(n.variants) == 0 {
		n.email, n.sms = email, sms
	}
	if email != n.email {
		return fmt.Errorf("render: %s: blocks subject, html and text must be in every locale or none (compare %s)", v.path, n.variants[0].path)
	}
	if sms != n.sms {
		return fmt.Errorf("render: %s: block sms must be in every locale or none (compare %s)", v.path, n.variants[0].path)
	}
	n.variants = append(n.variants, v)
	return nil
}

// loadVariant parses one locale file of a template into its frames.
func (r *Renderer) loadVariant(fsys fs.FS, f string, ls *layouts) (*variant, error) {
	locale, err := localeOf(f)
	if err != nil {
		return nil, err
	}
	src, err := fs.ReadFile(fsys, f)
	if err != nil {
		return nil, fmt.Errorf("render: reading %s: %w", f, err)
	}
	t, err := r.parseText(f, string(src), templateBlocks(), nil)
	if err != nil {
		return nil, err
	}
	lay := ls.forLocale(locale)
	v := &variant{path: f, locale: locale, friend: lay.friend}
	if defines(t, "sms") {
		v.sms = t.Lookup("sms")
		v.smsPrintsOnly = printsOnly(textTrees(t), "sms")
	}
	email := defines(t, "subject") || defines(t, "html") || defines(t, "text")
	if email {
		if err := r.emailFrames(v, t, lay, string(src)); err != nil {
			return nil, err
		}
	}
	if !email && v.sms == nil {
		return nil, fmt.Errorf("render: %s: no channel: define subject, html and text, or sms", f)
	}
	return v, nil
}

// emailFrames puts the variant's html and text blocks into copies of the layout.
func (r *Renderer) emailFrames(v *variant, t *ttemplate.Template, lay *layout, src string) error {
	for _, b := range []string{"subject", "html", "text"} {
		if !defines(t, b) {
			return fmt.Errorf("render: %s: missing block %q (an email needs subject, html and text)", v.path, b)
		}
	}
	v.subject = t.Lookup("subject")
	text, err := lay.text.Clone()
	if err == nil {
		_, err = text.AddParseTree("text", t.Lookup("text").Tree)
	}
	if err != nil {
		return fmt.Errorf("render: %s: %w", v.path, err)
	}
	html, err := lay.html.Clone()
	if err == nil {
		_, err = html.New(v.path).Parse(src)
	}
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	v.text, v.html = text, html.Lookup(layoutHTML)
	// Before the first execution, while the trees are as written: html/template
	// adds its escapers then.
	v.emailPrintsOnly = printsOnly(textTrees(t), "subject") &&
		printsOnly(htmlTrees(html), layoutHTML) && printsOnly(textTrees(text), layoutText)
	return nil
}

// variantFor finds the template, checks the channel and picks the locale.
func (r *Renderer) variantFor(name, channel string, c Campaign, p Person) (*variant, error) {
	n, ok := r.named[name]
	if !ok {
		return nil, fmt.Errorf("%q: %w", name, ErrUnknownTemplate)
	}
	if !n.has(channel) {
		return nil, fmt.Errorf("%q %s: %w", name, channel, ErrNoChannel)
	}
	i, ok := n.chooser.choose(p.Locale, c.Locale)
	if !ok {
		return nil, fmt.Errorf("%q for %q, %q or en: %w", name, p.Locale, c.Locale, ErrNoVariant)
	}
	return n.variants[i], nil
}

func (r *Renderer) templateEmail(m Message, c Campaign, p Person) (Email, error) {
	v, err := r.variantFor(m.Template, ChannelEmail, c, p)
	if err != nil {
		return Email{}, err
	}
	vw := newView(m, c, p, v.locale, v.friend)
	subject, err := r.exec(v.subject, &vw)
	if err != nil {
		return Email{}, fmt.Errorf("%s: subject: %w", v.path, err)
	}
	vw.Subject = oneLine(subject)
	html, err := r.exec(v.html, &vw)
	if err != nil {
		return Email{}, fmt.Errorf("%s: html: %w", v.path, err)
	}
	text, err := r.exec(v.text, &vw)
	if err != nil {
		return Email{}, fmt.Errorf("%s: text: %w", v.path, err)
	}
	return Email{Locale: v.locale, Subject: vw.Subject, HTML: html, Text: tidyText(text)}, nil
}

func (r *Renderer) templateSMS(m Message, c Campaign, p Person) (SMS, error) {
	v, err := r.variantFor(m.Template, ChannelSMS, c, p)
	if err != nil {
		return SMS{}, err
	}
	vw := newView(m, c, p, v.locale, v.friend)
	vw.sms = true
	body, err := r.exec(v.sms, &vw)
	if err != nil {
		return SMS{}, fmt.Errorf("%s: sms: %w", v.path, err)
	}
	return SMS{Locale: v.locale, Body: strings.TrimSpace(body)}, nil
}
