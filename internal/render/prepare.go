package render

import (
	"fmt"
	"sync"
)

// maxShapes bounds a Prepared's shapes. An alert has a few variants and time zones,
// so only a campaign spread over hundreds of zones gets near it; supporters whose
// shape does not fit are rendered directly.
const maxShapes = 1024

// Prepared renders one alert for many supporters, giving for each exactly what
// Renderer.Email and Renderer.SMS would, errors included, at a fraction of the cost.
// It renders each shape of the alert once: supporters who get the same variant and
// time zone, and who both have a name or both not, and an unsubscribe link or not,
// differ only by their first name and link, which it fills in escaped as the
// templates would have escaped them. Where that cannot be shown safe (a template
// that compares the name, or puts it into a URL, a script or a style), or for an
// odd value (a link that is not a plain http(s) URL), it renders directly.
//
// A Prepared is safe for concurrent use. The Message and Campaign it was made from,
// Data included, must not change while it is in use.
type Prepared struct {
	r       *Renderer
	m       Message
	c       Campaign
	named   *named   // nil for inline content
	chooser *chooser // over the template's or the content's locales
	keys    []string // the content's locales, index-aligned with chooser

	limit  int // of shapes: maxShapes, less in tests
	mu     sync.RWMutex
	shapes map[shapeKey]*shape
}

// shapeKey is what decides a supporter's shape, besides the alert.
type shapeKey struct {
	sms     bool
	variant int    // index into the chooser's locales
	zone    string // the zone the when function uses
	dates   string // the locale the when function writes dates in
	named   bool   // whether the first name is the supporter's or the friendly word
	linked  bool   // whether there is an unsubscribe link
}

// shape is the alert rendered for one shapeKey, cut at the per-supporter values:
// an email's subject, HTML and text, or an SMS body. A direct shape is rendered
// for each supporter instead.
type shape struct {
	direct bool
	locale string
	parts  []cut
}

// Prepare readies m for sending to many supporters of campaign c. It fails as
// Email and SMS would for any supporter: ErrNoContent, ErrUnknownTemplate. Errors
// that depend on the supporter or channel (ErrNoVariant, ErrNoChannel) come from
// the Prepared's Email and SMS.
func (r *Renderer) Prepare(m Message, c Campaign) (*Prepared, error) {
	if err := checkShape(m); err != nil {
		return nil, fmt.Errorf("render: prepare: %w", err)
	}
	pr := &Prepared{r: r, m: m, c: c, limit: maxShapes, shapes: make(map[shapeKey]*shape)}
	if m.Template == "" {
		pr.chooser, pr.keys = r.choosers.of(m.Content)
		return pr, nil
	}
	n, ok := r.named[m.Template]
	if !ok {
		return nil, fmt.Errorf("render: prepare: %q: %w", m.Template, ErrUnknownTemplate)
	}
	pr.named, pr.chooser = n, n.chooser
	return pr, nil
}

// Email renders the alert as an email for p, as Renderer.Email would.
func (pr *Prepared) Email(p Person) (Email, error) {
	var vs values
	sh := pr.shapeFor(false, p, &vs)
	if sh == nil {
		return pr.r.Email(pr.m, pr.c, p)
	}
	return Email{
		Locale:  sh.locale,
		Subject: sh.parts[0].fill(&vs),
		HTML:    sh.parts[1].fill(&vs),
		Text:    sh.parts[2].fill(&vs),
	}, nil
}

// SMS renders the alert as a text message for p, as Renderer.SMS would.
func (pr *Prepared) SMS(p Person) (SMS, error) {
	var vs values
	sh := pr.shapeFor(true, p, &vs)
	if sh == nil {
		return pr.r.SMS(pr.m, pr.c, p)
	}
	return finishSMS(SMS{Locale: sh.locale, Body: sh.parts[0].fill(&vs)}, pr.c), nil
}

// shapeFor returns p's shape and sets p's values in vs, or returns nil when p is to
// be rendered directly, which is also how errors are reported exactly as before.
func (pr *Prepared) shapeFor(sms bool, p Person, vs *values) *shape {
	if pr.named != nil && !pr.named.has(channelOf(sms)) {
		return nil
	}
	i, ok := pr.chooser.choose(p.Locale, pr.c.Locale)
	name := firstName(p.Name)
	if !ok || !fillable(name, p.UnsubscribeURL) {
		return nil
	}
	k := shapeKey{
		sms:     sms,
		variant: i,
		zone:    pr.r.zones.Pick(p.Timezone, pr.c.Timezone).String(),
		dates:   pr.r.dates.Locale(dateLocale(pr.chooser.locales[i], p.Locale)),
		named:   name != "",
		linked:  p.UnsubscribeURL != "",
	}
	sh := pr.lookup(k, p.Locale)
	if sh == nil || sh.direct {
		return nil
	}
	vs.raw = [nSlotValues]string{slotName: name, slotURL: p.UnsubscribeURL}
	return sh
}

// lookup returns the shape of k, building it on first use; nil when the cache is
// full.
func (pr *Prepared) lookup(k shapeKey, locale string) *shape {
	pr.mu.RLock()
	sh, ok := pr.shapes[k]
	full := len(pr.shapes) >= pr.limit
	pr.mu.RUnlock()
	if ok || full {
		return sh
	}
	sh = pr.build(k, locale)
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if had, ok := pr.shapes[k]; ok {
		return had
	}
	if len(pr.shapes) < pr.limit {
		pr.shapes[k] = sh
	}
	return sh
}

// build renders the shape of k with the hostile stand-ins, cuts it at them, and
// checks that filling in the benign stand-ins gives what rendering them does.
// locale is the locale of a supporter of that shape.
func (pr *Prepared) build(k shapeKey, locale string) *shape {
	direct := &shape{direct: true}
	if !pr.printsOnly(k) {
		return direct
	}
	hostile, err1 := pr.render(k, locale, hostileName, hostileURL)
	benign, err2 := pr.render(k, locale, benignName, benignURL)
	if err1 != nil || err2 != nil || hostile.locale != benign.locale {
		return direct
	}
	sh := &shape{locale: hostile.locale}
	check := values{raw: [nSlotValues]string{slotName: benignName, slotURL: benignURL}}
	for i, out := range hostile.parts {
		c, ok := cutAt(out, partEncodings(k.sms, i))
		if !ok || c.fill(&check) != benign.parts[i] {
			return direct
		}
		sh.parts = append(sh.parts, c)
	}
	return sh
}

// printsOnly reports whether the templates of k's shape let personal values reach
// the output only as printed values (see flow.go). Inline content is placed by
// this package's own code, so only its frame is in question.
func (pr *Prepared) printsOnly(k shapeKey) bool {
	switch {
	case pr.named != nil && k.sms:
		return pr.named.variants[k.variant].smsPrintsOnly
	case pr.named != nil:
		return pr.named.variants[k.variant].emailPrintsOnly
	case k.sms:
		return true
	}
	return pr.r.layouts.forLocale(pr.keys[k.variant]).inlinePrintsOnly
}

// rendering is a message rendered directly: its locale and parts.
type rendering struct {
	locale string
	parts  []string
}

// render renders k's shape directly, for stand-in values.
func (pr *Prepared) render(k shapeKey, locale, name, url string) (rendering, error) {
	p := Person{Locale: locale, Timezone: k.zone}
	if k.named {
		p.Name = name
	}
	if k.linked {
		p.UnsubscribeURL = url
	}
	if k.sms {
		s, err := pr.r.rawSMS(pr.m, pr.c, p)
		return rendering{s.Locale, []string{s.Body}}, err
	}
	e, err := pr.r.Email(pr.m, pr.c, p)
	return rendering{e.Locale, []string{e.Subject, e.HTML, e.Text}}, err
}

// partEncodings returns how a personal value may be written in part i: escaped in
// the HTML part, as it is in the others.
func partEncodings(sms bool, i int) []encoding {
	if !sms && i == 1 {
		return []encoding{encHTML, encHTMLString}
	}
	return []encoding{encRaw}
}

func channelOf(sms bool) string {
	if sms {
		return ChannelSMS
	}
	return ChannelEmail
}
