package web

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// languageCodes lists the languages of the pages, the default first. Each has
// its words in assets/lang/<code>.json; "pt" is Brazilian Portuguese.
func languageCodes() []string { return []string{"en", "es", "pt", "fr"} }

// lang is one language of the pages: its words, and the countries of the
// join form named and sorted in it.
type lang struct {
	// Code is the language's BCP 47 tag, as in <html lang>.
	Code      string
	tag       language.Tag
	words     map[string]string
	countries []country
}

// Name returns the language's name in itself ("Español"), for the switcher.
func (l *lang) Name() string { return l.words["lang.name"] }

// Countries returns the choices of the join form's country list.
func (l *lang) Countries() []country { return l.countries }

// T returns the words of key, with each "{name}" replaced by the value that
// follows name in args ("campaign", "Free Assange"). A key the language does
// not have is an error, which stops the template: New renders every page in
// every language, so that it fails the start rather than a visitor's page.
func (l *lang) T(key string, args ...string) (string, error) {
	s, ok := l.words[key]
	if !ok {
		return "", fmt.Errorf("no %q in language %s", key, l.Code)
	}
	if len(args)%2 != 0 {
		return "", fmt.Errorf("%q in %s: odd number of arguments", key, l.Code)
	}
	if len(args) == 0 {
		return s, nil
	}
	pairs := make([]string, len(args))
	for i := 0; i < len(args); i += 2 {
		pairs[i], pairs[i+1] = "{"+args[i]+"}", args[i+1]
	}
	// One pass: a campaign named "{number}" stays as it is.
	return strings.NewReplacer(pairs...).Replace(s), nil
}

// loadLangs reads the words of every language and checks that each has the
// same keys, with the same placeholders, as the default one.
func loadLangs() ([]*lang, error) {
	var langs []*lang
	for _, code := range languageCodes() {
		l, err := loadLang(code)
		if err != nil {
			return nil, err
		}
		if len(langs) > 0 {
			if err := sameKeys(langs[0], l); err != nil {
				return nil, err
			}
		}
		langs = append(langs, l)
	}
	return langs, nil
}

// loadLang reads the words of one language.
func loadLang(code string) (*lang, error) {
	b, err := assets.ReadFile("assets/lang/" + code + ".json")
	if err != nil {
		return nil, fmt.Errorf("language %s: %w", code, err)
	}
	l := &lang{Code: code, tag: language.MustParse(code)}
	if err := json.Unmarshal(b, &l.words); err != nil {
		return nil, fmt.Errorf("language %s: %w", code, err)
	}
	for k, v := range l.words {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("language %s: %q is empty", code, k)
		}
	}
	l.countries = countries(l.tag)
	return l, nil
}

// placeholders returns the sorted "{name}"s of s. It compiles its regular
// expression on each call: it only runs in New.
func placeholders(s string) []string {
	ps := regexp.MustCompile(`\{[a-z_]+\}`).FindAllString(s, -1)
	slices.Sort(ps)
	return slices.Compact(ps)
}

// sameKeys reports an error unless l has exactly the keys of def, each with
// the same placeholders.
func sameKeys(def, l *lang) error {
	want, got := slices.Sorted(maps.Keys(def.words)), slices.Sorted(maps.Keys(l.words))
	if !slices.Equal(want, got) {
		return fmt.Errorf("language %s: keys differ from %s: missing %q, extra %q",
			l.Code, def.Code, missing(want, l.words), missing(got, def.words))
	}
	for _, k := range want {
		if !slices.Equal(placeholders(def.words[k]), placeholders(l.words[k])) {
			return fmt.Errorf("language %s: %q has placeholders %q, want %q",
				l.Code, k, placeholders(l.words[k]), placeholders(def.words[k]))
		}
	}
	return nil
}

// missing returns the keys that m lacks.
func missing(keys []string, m map[string]string) []string {
	var out []string
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// newMatcher matches what visitors ask for against the languages of the pages.
func newMatcher(langs []*lang) language.Matcher {
	tags := make([]language.Tag, len(langs))
	for i, l := range langs {
		tags[i] = l.tag
	}
	return language.NewMatcher(tags)
}

// language returns the language of a page: the first of prefs that matches
// one of the pages' languages, else the default. Each pref is a language tag
// ("pt-BR") or an Accept-Language header ("es-AR,es;q=0.9"); empty and
// unreadable ones are skipped.
func (s *server) language(prefs ...string) *lang {
	for _, p := range prefs {
		tags, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(tags) == 0 {
			continue
		}
		if _, i, conf := s.matcher.Match(tags...); conf != language.No {
			return s.langs[i]
		}
	}
	return s.langs[0]
}
