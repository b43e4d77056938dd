package localtime

import (
	"strings"
	"sync"
	"time"

	"github.com/go-playground/locales"
	"golang.org/x/text/language"
)

// maxMemo bounds the memo of resolved locale strings; a campaign's supporters
// write a few dozen, so only junk input could fill it.
const maxMemo = 1024

// Formatter writes moments in a supporter's language and zone. It is built once
// and shared: the translators, their zone names and the resolved locale strings
// are kept, since it runs for every message of an alert. It is safe for
// concurrent use.
type Formatter struct {
	langs    []lang
	resolver resolver
	offsets  map[string]int // see cldrOffsets

	mu   sync.RWMutex
	memo map[string]int // locale string -> index in langs
}

// lang is one curated locale.
type lang struct {
	tr    locales.Translator // dates and zone names
	clock locales.Translator // times: tr, or its parent when tr's clock is broken
	zones map[string]string  // tzdata abbreviation -> localized name
}

// New returns a Formatter over the curated locales.
func New() *Formatter {
	trs := curated()
	f := &Formatter{
		langs:    make([]lang, len(trs)),
		resolver: newResolver(trs),
		offsets:  cldrOffsets(),
		memo:     make(map[string]int),
	}
	for i, tr := range trs {
		f.langs[i] = lang{tr: tr, clock: clockOf(trs, f.resolver, tr), zones: zoneNames(tr, f.offsets)}
	}
	return f
}

// clockOf returns the translator whose short time tr uses: tr itself, else its
// nearest CLDR ancestor whose clock works, else the default.
func clockOf(trs []locales.Translator, r resolver, tr locales.Translator) locales.Translator {
	for t := tagOf(tr); !clockWorks(tr); {
		if t = t.Parent(); t == language.Und {
			return trs[0]
		}
		tr = trs[r.resolve(t.String())]
	}
	return tr
}

// clockWorks reports whether the translator's short time is free of the blank
// day periods that some generated locales have ("1:05 " for en_AU).
func clockWorks(tr locales.Translator) bool {
	for _, h := range []int{1, 13} {
		s := tr.FmtTimeShort(time.Date(2000, 1, 1, h, 5, 0, 0, time.UTC))
		if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
			return false
		}
	}
	return true
}

// DateTime returns t in loc as the locale writes it, without the year, with the
// zone label in parentheses: "Saturday, 8 October, 13:00 (BST)". A nil loc keeps
// t's own location.
func (f *Formatter) DateTime(t time.Time, locale string, loc *time.Location) string {
	l, t := f.pick(locale), in(t, loc)
	return dateWithoutYear(l.tr, t) + ", " + l.clock.FmtTimeShort(t) + " (" + f.label(l, t) + ")"
}

// Date returns the weekday, day and month of t in loc as the locale writes them,
// without the year: "sábado, 8 de outubro".
func (f *Formatter) Date(t time.Time, locale string, loc *time.Location) string {
	return dateWithoutYear(f.pick(locale).tr, in(t, loc))
}

// Time returns the hour of t in loc in the locale's 12 or 24 hour clock:
// "1:00 pm", "13:00", "13 h 00".
func (f *Formatter) Time(t time.Time, locale string, loc *time.Location) string {
	return f.pick(locale).clock.FmtTimeShort(in(t, loc))
}

// Zone returns the label of loc's zone at t in the locale's language: "Australian
// Eastern Daylight Time", "BST", "UTC-03:00, Sao Paulo".
func (f *Formatter) Zone(t time.Time, locale string, loc *time.Location) string {
	return f.label(f.pick(locale), in(t, loc))
}

// Locale returns the curated locale that a locale string resolves to, such as
// "es" for "es-PE" and "en" for "xx", in the library's spelling ("pt_BR").
func (f *Formatter) Locale(locale string) string {
	return f.pick(locale).tr.Locale()
}

func (f *Formatter) label(l lang, t time.Time) string {
	return label(l.zones, f.offsets, t)
}

func in(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t
	}
	return t.In(loc)
}

// pick returns the curated locale for a locale string, resolving each distinct
// string once.
func (f *Formatter) pick(locale string) lang {
	f.mu.RLock()
	i, ok := f.memo[locale]
	f.mu.RUnlock()
	if !ok {
		i = f.resolver.resolve(locale)
		f.mu.Lock()
		if len(f.memo) < maxMemo {
			f.memo[locale] = i
		}
		f.mu.Unlock()
	}
	return f.langs[i]
}
