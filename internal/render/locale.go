package render

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// maxChoices bounds a chooser's memo of past choices.
const maxChoices = 4096

// chooser picks a variant among the locales of one template, layout or content:
// the supporter's locale, else the campaign's, else English. Only a match of high
// confidence counts, so German falls back instead of landing on whatever is first.
type chooser struct {
	locales []string // canonical, index-aligned with the matcher's tags
	matcher language.Matcher
	hasEn   int // index of the English variant, or -1

	mu   sync.RWMutex
	memo map[[2]string]int // (person, campaign) -> index or -1
}

// newChooser builds a chooser over locales, which must parse as BCP 47.
func newChooser(locales []string) (*chooser, error) {
	tags := make([]language.Tag, len(locales))
	canon := make([]string, len(locales))
	for i, l := range locales {
		t, err := language.Parse(l)
		if err != nil {
			return nil, err
		}
		tags[i], canon[i] = t, t.String()
	}
	c := &chooser{locales: canon, matcher: language.NewMatcher(tags), hasEn: -1, memo: make(map[[2]string]int)}
	if len(tags) == 0 {
		return c, nil
	}
	_, idx, conf := c.matcher.Match(language.English)
	if conf >= language.High {
		c.hasEn = idx
	}
	return c, nil
}

// choose returns the index of the variant for a supporter's and a campaign's locale.
func (c *chooser) choose(person, campaign string) (int, bool) {
	key := [2]string{person, campaign}
	c.mu.RLock()
	i, ok := c.memo[key]
	c.mu.RUnlock()
	if !ok {
		i = c.walk(person, campaign)
		c.mu.Lock()
		if len(c.memo) < maxChoices {
			c.memo[key] = i
		}
		c.mu.Unlock()
	}
	return i, i >= 0
}

func (c *chooser) walk(chain ...string) int {
	for _, s := range chain {
		if i, ok := c.match(s); ok {
			return i
		}
	}
	return c.hasEn
}

func (c *chooser) match(locale string) (int, bool) {
	if locale == "" || len(c.locales) == 0 {
		return 0, false
	}
	t, err := language.Parse(locale)
	if err != nil {
		return 0, false
	}
	_, i, conf := c.matcher.Match(t)
	return i, conf >= language.High
}

// choosers caches the choosers of inline content, keyed by its sorted locales.
type choosers struct {
	mu sync.RWMutex
	m  map[string]*chooser
}

// maxContentChoosers bounds the cache; a cluster sends few distinct locale sets.
const maxContentChoosers = 256

func newChoosers() *choosers { return &choosers{m: make(map[string]*chooser)} }

// of returns a chooser over the content's locales that parse, and those locales as
// keys of content, index-aligned with the chooser.
func (cs *choosers) of(content map[string]Content) (*chooser, []string) {
	keys := make([]string, 0, len(content))
	for k := range content {
		if _, err := language.Parse(k); err == nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	id := strings.Join(keys, "\x00")
	cs.mu.RLock()
	c, ok := cs.m[id]
	cs.mu.RUnlock()
	if ok {
		return c, keys
	}
	c, _ = newChooser(keys) // keys all parse
	cs.mu.Lock()
	if len(cs.m) >= maxContentChoosers {
		clear(cs.m)
	}
	cs.m[id] = c
	cs.mu.Unlock()
	return c, keys
}
