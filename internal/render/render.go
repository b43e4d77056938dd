// Package render turns named templates and organizers' inline content into emails
// and text messages, in each supporter's language and time zone.
//
// Everything is parsed, checked and tried once in New, so a broken template stops
// the start instead of the 40,000th send. A Renderer is safe for concurrent use.
//
// To send one alert to many supporters, Prepare it: a Prepared renders each shape
// of the alert once and fills in each supporter's name and link, with the same
// result as Email and SMS.
package render

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"

	"github.com/muster-org/muster/internal/localtime"
	"github.com/muster-org/muster/internal/smstext"
)

// Renderer renders messages from a parsed template tree.
type Renderer struct {
	named    map[string]*named
	layouts  *layouts
	md       goldmark.Markdown
	links    *regexp.Regexp
	zones    *localtime.Zones
	dates    *localtime.Formatter
	bodies   *bodies
	choosers *choosers
	bufs     sync.Pool
}

// New parses the template tree fsys (see package templates for its layout), checks
// every template's blocks and executes each once against sample data.
func New(fsys fs.FS) (*Renderer, error) {
	r := &Renderer{
		named:    make(map[string]*named),
		md:       newMarkdown(),
		links:    newLinks(),
		zones:    localtime.NewZones(),
		dates:    localtime.New(),
		bodies:   newBodies(),
		choosers: newChoosers(),
		bufs:     sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	var err error
	if r.layouts, err = r.loadLayouts(fsys); err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("render: listing templates: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == layoutDir || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		n, err := r.loadNamed(fsys, e.Name(), r.layouts)
		if err != nil {
			return nil, err
		}
		r.named[n.name] = n
	}
	if err := r.tryAll(); err != nil {
		return nil, err
	}
	return r, nil
}

// Templates lists the named templates, sorted by name.
func (r *Renderer) Templates() []TemplateInfo {
	out := make([]TemplateInfo, 0, len(r.named))
	for _, n := range r.named {
		if !strings.HasPrefix(n.name, systemPrefix) {
			out = append(out, n.info())
		}
	}
	slices.SortFunc(out, func(a, b TemplateInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Has reports whether a named template exists.
func (r *Renderer) Has(name string) bool {
	_, ok := r.named[name]
	return ok && !strings.HasPrefix(name, systemPrefix)
}

// System renders a system template (a name starting with "_", such as
// "_confirm") as an email for p, in p's locale or the nearest fallback.
func (r *Renderer) System(name string, data map[string]any, c Campaign, p Person) (Email, error) {
	if !strings.HasPrefix(name, systemPrefix) {
		return Email{}, fmt.Errorf("render: %q is not a system template: %w", name, ErrUnknownTemplate)
	}
	return r.Email(Message{Template: name, Data: data}, c, p)
}

// Email renders m as an email for person p of campaign c, in p's locale or the
// nearest fallback, framed by the layout with c's footer and p's unsubscribe link.
// Errors wrap ErrUnknownTemplate, ErrNoVariant, ErrNoChannel or ErrNoContent.
func (r *Renderer) Email(m Message, c Campaign, p Person) (Email, error) {
	var e Email
	err := checkShape(m)
	if err == nil {
		if m.Template != "" {
			e, err = r.templateEmail(m, c, p)
		} else {
			e, err = r.contentEmail(m, c, p)
		}
	}
	if err != nil {
		return Email{}, fmt.Errorf("render: email: %w", err)
	}
	return e, nil
}

// SMS renders m as a text message for person p of campaign c: typographic
// characters are normalised when that keeps it in GSM-7, and the opt-out line of
// its language ends it when the campaign says so. Errors wrap the same sentinels
// as Email's.
func (r *Renderer) SMS(m Message, c Campaign, p Person) (SMS, error) {
	s, err := r.rawSMS(m, c, p)
	if err != nil {
		return SMS{}, err
	}
	return finishSMS(s, c), nil
}

// finishSMS readies a rendered body for the carrier. It runs on the whole
// message, personal values included, since one emoji in a name decides the
// encoding of all of it.
func finishSMS(s SMS, c Campaign) SMS {
	s.Body = smstext.Normalize(s.Body)
	if c.OptOut {
		s.Body = smstext.WithOptOut(s.Body, s.Locale)
	}
	return s
}

// rawSMS renders m as a text message, as the template or content writes it.
func (r *Renderer) rawSMS(m Message, c Campaign, p Person) (SMS, error) {
	var s SMS
	err := checkShape(m)
	if err == nil {
		if m.Template != "" {
			s, err = r.templateSMS(m, c, p)
		} else {
			s, err = r.contentSMS(m, c, p)
		}
	}
	if err != nil {
		return SMS{}, fmt.Errorf("render: sms: %w", err)
	}
	return s, nil
}

// checkShape requires a template or content, not both.
func checkShape(m Message) error {
	if (m.Template == "") == (len(m.Content) == 0) {
		return ErrNoContent
	}
	return nil
}

// executor is what html/template and text/template templates share.
type executor interface {
	Execute(w io.Writer, data any) error
}

// maxPooledBuffer keeps one huge message from pinning its buffer in the pool.
const maxPooledBuffer = 64 << 10

// exec executes t for v into a pooled buffer.
func (r *Renderer) exec(t executor, v *view) (string, error) {
	b := r.bufs.Get().(*bytes.Buffer)
	b.Reset()
	defer func() {
		if b.Cap() <= maxPooledBuffer {
			r.bufs.Put(b)
		}
	}()
	if err := t.Execute(b, v); err != nil {
		return "", err
	}
	return b.String(), nil
}
