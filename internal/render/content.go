package render

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark/util"
)

// htmlContext says where a placeholder landed in the HTML made from Markdown, and
// so how its value is escaped.
type htmlContext uint8

const (
	inText     htmlContext = iota // element content or a plain attribute
	inURLStart                    // the very start of an href or src
	inURL                         // further into an href or src
)

// body is inline Markdown compiled once: the HTML and text parts, cut around their
// placeholders, so that each send only fills in values.
type body struct {
	html []segment
	text []segment
}

// maxBodies bounds the cache of compiled bodies; alerts in flight are few.
const maxBodies = 256

// bodies caches compiled bodies by their Markdown source.
type bodies struct {
	mu sync.RWMutex
	m  map[string]*body
}

func newBodies() *bodies { return &bodies{m: make(map[string]*body)} }

// compiled returns the compiled form of a Markdown body.
func (r *Renderer) compiled(md string) (*body, error) {
	r.bodies.mu.RLock()
	b, ok := r.bodies.m[md]
	r.bodies.mu.RUnlock()
	if ok {
		return b, nil
	}
	b, err := r.compile(md)
	if err != nil {
		return nil, err
	}
	r.bodies.mu.Lock()
	if len(r.bodies.m) >= maxBodies {
		clear(r.bodies.m)
	}
	r.bodies.m[md] = b
	r.bodies.mu.Unlock()
	return b, nil
}

// compile converts Markdown to HTML with each placeholder stood in for by a token
// of letters and digits, which Markdown leaves alone wherever it is (text, code,
// link destinations), then cuts the HTML at the tokens.
func (r *Renderer) compile(md string) (*body, error) {
	segs := splitPlaceholders(md)
	prefix := "zQph"
	for strings.Contains(md, prefix) {
		prefix += "q"
	}
	var src strings.Builder
	var phs []placeholder
	for _, s := range segs {
		if s.ph.kind == 0 {
			src.WriteString(s.lit)
			continue
		}
		fmt.Fprintf(&src, "%s%dx", prefix, len(phs))
		phs = append(phs, s.ph)
	}
	var out bytes.Buffer
	if err := r.md.Convert([]byte(src.String()), &out); err != nil {
		return nil, fmt.Errorf("converting Markdown: %w", err)
	}
	return &body{
		html: cutTokens(out.String(), prefix, phs),
		text: splitPlaceholders(r.plainMarkdown(md)),
	}, nil
}

// cutTokens splits HTML at the placeholder tokens and notes each one's context.
func cutTokens(h, prefix string, phs []placeholder) []segment {
	var segs []segment
	lit := 0
	for i := 0; ; {
		at := strings.Index(h[i:], prefix)
		if at < 0 {
			break
		}
		at += i
		i = at + len(prefix)
		end := strings.IndexByte(h[i:], 'x')
		if end < 0 {
			break
		}
		n, err := strconv.Atoi(h[i : i+end])
		if err != nil || n < 0 || n >= len(phs) {
			continue
		}
		segs = append(segs, segment{lit: h[lit:at]}, segment{ph: phs[n], ctx: contextAt(h, at)})
		i += end + 1
		lit = i
	}
	return append(segs, segment{lit: h[lit:]})
}

// contextAt tells whether position i of HTML made by goldmark is in text or in a
// URL attribute. goldmark escapes every '<' of text, so a bare '<' opens a tag.
func contextAt(h string, i int) htmlContext {
	before := h[:i]
	if strings.LastIndexByte(before, '<') <= strings.LastIndexByte(before, '>') {
		return inText
	}
	eq := strings.LastIndex(before, `="`)
	if eq < 0 {
		return inText
	}
	name := before[:eq]
	name = name[strings.LastIndexByte(name, ' ')+1:]
	if name != "href" && name != "src" {
		return inText
	}
	if eq+2 == i {
		return inURLStart
	}
	return inURL
}

// escapeFor escapes a placeholder value for its place in HTML. Only a safe URL may
// begin an href or src.
func escapeFor(ctx htmlContext, val string) string {
	switch ctx {
	case inURLStart:
		if !safeURL(val) {
			return ""
		}
		fallthrough
	case inURL:
		return string(util.EscapeHTML(util.URLEscape([]byte(val), false)))
	}
	return template.HTMLEscapeString(val)
}

// plainMarkdown lightly cleans Markdown for the text part: links become "text
// (url)", or just "text" when the URL is not safe; images become their alt text.
func (r *Renderer) plainMarkdown(md string) string {
	md = r.links.ReplaceAllStringFunc(md, func(m string) string {
		sub := r.links.FindStringSubmatch(m)
		img, label, url := sub[1] == "!", sub[2], sub[3]
		if img || !safeURL(url) || url == label || url == "" {
			return label
		}
		return label + " (" + url + ")"
	})
	return tidyText(md)
}

// markdownLinks matches inline links and images, with one level of parentheses in
// the URL and an optional title.
const markdownLinks = `(!?)\[([^\[\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+"[^"\n]*")?\s*\)`

// contentEmail renders an email from inline content.
func (r *Renderer) contentEmail(m Message, c Campaign, p Person) (Email, error) {
	locale, ct, err := r.contentFor(m, c, p)
	if err != nil {
		return Email{}, err
	}
	if strings.TrimSpace(ct.Subject) == "" || strings.TrimSpace(ct.Body) == "" {
		return Email{}, fmt.Errorf("content %s: subject and body: %w", locale, ErrNoChannel)
	}
	b, err := r.compiled(ct.Body)
	if err != nil {
		return Email{}, fmt.Errorf("content %s: %w", locale, err)
	}
	lay := r.layouts.forLocale(locale)
	v := newView(m, c, p, locale, lay.friend)
	v.Subject = oneLine(r.fillPlain(ct.Subject, &v))
	v.BodyHTML = template.HTML(strings.TrimSpace(r.join(b.html, &v, escapeFor)))
	v.BodyText = r.join(b.text, &v, func(_ htmlContext, s string) string { return s })
	html, err := r.exec(lay.inlineHTML, &v)
	if err != nil {
		return Email{}, fmt.Errorf("content %s: html: %w", locale, err)
	}
	text, err := r.exec(lay.inlineText, &v)
	if err != nil {
		return Email{}, fmt.Errorf("content %s: text: %w", locale, err)
	}
	return Email{Locale: locale, Subject: v.Subject, HTML: html, Text: tidyText(text)}, nil
}

// contentSMS renders a text message from inline content.
func (r *Renderer) contentSMS(m Message, c Campaign, p Person) (SMS, error) {
	locale, ct, err := r.contentFor(m, c, p)
	if err != nil {
		return SMS{}, err
	}
	if strings.TrimSpace(ct.SMS) == "" {
		return SMS{}, fmt.Errorf("content %s: sms: %w", locale, ErrNoChannel)
	}
	lay := r.layouts.forLocale(locale)
	v := newView(m, c, p, locale, lay.friend)
	v.sms = true
	return SMS{Locale: locale, Body: strings.TrimSpace(r.fillPlain(ct.SMS, &v))}, nil
}

// contentFor picks the content's locale for the person.
func (r *Renderer) contentFor(m Message, c Campaign, p Person) (string, Content, error) {
	ch, keys := r.choosers.of(m.Content)
	i, ok := ch.choose(p.Locale, c.Locale)
	if !ok {
		return "", Content{}, fmt.Errorf("content for %q, %q or en: %w", p.Locale, c.Locale, ErrNoVariant)
	}
	return keys[i], m.Content[keys[i]], nil
}

// newLinks compiles markdownLinks; the Renderer keeps it.
func newLinks() *regexp.Regexp { return regexp.MustCompile(markdownLinks) }
