package api

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/muster-org/muster/internal/compose"
	"github.com/muster-org/muster/internal/forecast"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/smstext"
	"github.com/muster-org/muster/internal/store"
)

// sampleName is the name previews render for when no supporter is named.
const sampleName = "Alex"

// audienceJSON counts the supporters an alert would reach now.
type audienceJSON struct {
	Channels map[store.Channel]int64 `json:"channels"`
	Locales  []localeJSON            `json:"locales"`
}

// localeJSON is the part of the audience with one locale: the variant they get
// and how many they are on each channel.
type localeJSON struct {
	Locale   string                   `json:"locale"`
	Variants map[store.Channel]string `json:"variants"`
	Channels map[store.Channel]int64  `json:"channels"`
}

// messageJSON is one variant of the alert on one channel, as a sample
// supporter (or the one named) would receive it.
type messageJSON struct {
	Channel  store.Channel `json:"channel"`
	Variant  string        `json:"variant"`
	Audience int64         `json:"audience"`
	Sample   sampleJSON    `json:"sample"`
	Subject  string        `json:"subject,omitempty"`
	HTML     string        `json:"html,omitempty"`
	Text     string        `json:"text,omitempty"`
	Calendar bool          `json:"calendar,omitempty"`
	Body     string        `json:"body,omitempty"`
	Encoding string        `json:"encoding,omitempty"`
	Segments int           `json:"segments,omitempty"`
	Units    int           `json:"units,omitempty"`
}

// sampleJSON is whom a message was rendered for.
type sampleJSON struct {
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	Timezone string `json:"timezone"`
}

// preview builds one preview.
type preview struct {
	s      *server
	c      store.Campaign
	a      store.Alert
	now    time.Time
	person *render.Person // the supporter named, or nil
	out    previewJSON

	variantOf map[[2]string]string // (channel, locale) -> variant
	parts     map[[2]string]*part  // (channel, variant) -> who gets it

	// What every rendering of the alert is made from.
	msg      render.Message
	camp     render.Campaign
	calendar bool
}

// part is the audience of one variant on one channel.
type part struct {
	count   int64
	locales map[string]int64 // supporters' locales
	zones   map[string]int64 // supporters' zones
}

func (p *preview) build(groups []store.AudienceGroup) error {
	p.variantOf, p.parts = map[[2]string]string{}, map[[2]string]*part{}
	p.msg, p.camp = compose.Message(p.a), compose.Campaign(p.c)
	p.calendar = compose.Calendar(p.a, p.c, compose.Domain(p.c.EmailFrom)) != nil
	p.out.Audience = audienceJSON{Channels: map[store.Channel]int64{}, Locales: []localeJSON{}}
	for _, ch := range p.a.Channels {
		p.out.Audience.Channels[ch] = 0
	}
	byLocale := map[string]*localeJSON{}
	for _, g := range groups {
		v, err := p.variant(g.Channel, g.Locale)
		if err != nil {
			return err
		}
		p.add(g, v)
		l := byLocale[g.Locale]
		if l == nil {
			l = &localeJSON{Locale: g.Locale, Variants: map[store.Channel]string{}, Channels: map[store.Channel]int64{}}
			byLocale[g.Locale] = l
		}
		l.Variants[g.Channel] = v
		l.Channels[g.Channel] += g.Count
		p.out.Audience.Channels[g.Channel] += g.Count
	}
	for _, k := range slices.Sorted(maps.Keys(byLocale)) {
		p.out.Audience.Locales = append(p.out.Audience.Locales, *byLocale[k])
	}
	if err := p.messages(); err != nil {
		return err
	}
	p.out.Forecast = forecast.Make(p.forecastInput(groups))
	return nil
}

// variant returns the variant a supporter with locale gets on ch.
func (p *preview) variant(ch store.Channel, locale string) (string, error) {
	k := [2]string{string(ch), locale}
	if v, ok := p.variantOf[k]; ok {
		return v, nil
	}
	m, err := p.render(ch, render.Person{Locale: locale})
	if err != nil {
		return "", err
	}
	p.variantOf[k] = m.Variant
	return m.Variant, nil
}

func (p *preview) add(g store.AudienceGroup, variant string) {
	k := [2]string{string(g.Channel), variant}
	pt := p.parts[k]
	if pt == nil {
		pt = &part{locales: map[string]int64{}, zones: map[string]int64{}}
		p.parts[k] = pt
	}
	pt.count += g.Count
	pt.locales[g.Locale] += g.Count
	pt.zones[cmp.Or(g.Timezone, p.c.Timezone)] += g.Count
}

// messages renders each variant on each channel for a sample supporter of its
// audience, or everything for the supporter named. With nobody in the audience
// yet, it shows the campaign locale's variant.
func (p *preview) messages() error {
	for _, ch := range p.a.Channels {
		var people []render.Person
		switch {
		case p.person != nil:
			people = []render.Person{*p.person}
		default:
			people = p.samples(ch)
		}
		for _, person := range people {
			m, err := p.render(ch, person)
			if err != nil {
				return err
			}
			if pt := p.parts[[2]string{string(ch), m.Variant}]; pt != nil {
				m.Audience = pt.count
			}
			p.out.Messages = append(p.out.Messages, m)
		}
	}
	return nil
}

// samples returns one person per variant of ch: the most common locale and
// zone among those who get it.
func (p *preview) samples(ch store.Channel) []render.Person {
	var out []render.Person
	for _, k := range slices.SortedFunc(maps.Keys(p.parts), func(a, b [2]string) int { return cmp.Compare(a[1], b[1]) }) {
		if k[0] != string(ch) {
			continue
		}
		pt := p.parts[k]
		out = append(out, sampleFor(p.c, mostCommon(pt.locales), mostCommon(pt.zones)))
	}
	if len(out) == 0 {
		out = append(out, sampleFor(p.c, p.c.Locale, ""))
	}
	return out
}

// sampleLocale is the locale test copies are rendered in when no supporter is
// named: the audience's most common, else the campaign's.
func (p *preview) sampleLocale(c store.Campaign) string {
	all := map[string]int64{}
	for _, l := range p.out.Audience.Locales {
		for _, n := range l.Channels {
			all[l.Locale] += n
		}
	}
	return cmp.Or(mostCommon(all), c.Locale)
}

func sampleFor(c store.Campaign, locale, zone string) render.Person {
	return render.Person{Name: sampleName, Locale: locale, Timezone: cmp.Or(zone, c.Timezone)}
}

// render renders the alert on ch for person.
func (p *preview) render(ch store.Channel, person render.Person) (messageJSON, error) {
	m := messageJSON{Channel: ch, Sample: sampleJSON{Name: person.Name, Locale: person.Locale, Timezone: person.Timezone}}
	if ch == store.ChannelSMS {
		s, err := p.s.tpl.SMS(p.msg, p.camp, person)
		if err != nil {
			return m, fmt.Errorf("render the sms for locale %q: %w", person.Locale, err)
		}
		info := smstext.Analyze(s.Body)
		m.Variant, m.Body, m.Encoding, m.Segments, m.Units = s.Locale, s.Body, string(info.Encoding), info.Segments, info.Units
		return m, nil
	}
	e, err := p.s.tpl.Email(p.msg, p.camp, person)
	if err != nil {
		return m, fmt.Errorf("render the email for locale %q: %w", person.Locale, err)
	}
	m.Variant, m.Subject, m.HTML, m.Text = e.Locale, e.Subject, e.HTML, e.Text
	m.Calendar = p.calendar
	return m, nil
}

// forecastInput says what the forecast is made from: each channel's audience,
// and the SMS that quiet hours hold until the morning in their zone.
func (p *preview) forecastInput(groups []store.AudienceGroup) forecast.Input {
	start := p.a.SendAt
	if start.Before(p.now) {
		start = p.now
	}
	in := forecast.Input{Start: start, ExpiresAt: p.a.ExpiresAt}
	if t, err := time.Parse(time.RFC3339, fmt.Sprint(p.a.Data["starts_at"])); err == nil {
		in.EventAt = t
	}
	window, _ := quiet.Resolve(p.c.QuietHours, p.s.cfg.QuietHours)
	for _, ch := range p.a.Channels {
		fc := forecast.Channel{Name: string(ch), Rate: p.s.cfg.EmailRate}
		if ch == store.ChannelSMS {
			fc.Rate = p.s.cfg.SMSRate
		}
		for _, g := range groups {
			if g.Channel != ch {
				continue
			}
			at := start
			if until, held := window.Hold(start, p.s.zones.Pick(g.Timezone, p.c.Timezone)); held && ch == store.ChannelSMS && !p.a.Urgent {
				at = until
			}
			fc.Releases = append(fc.Releases, forecast.Release{At: at, Count: g.Count})
		}
		in.Channels = append(in.Channels, fc)
	}
	return in
}

// mostCommon returns the key with the highest count, the smallest on a tie.
func mostCommon(m map[string]int64) string {
	best, n := "", int64(-1)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best
}
