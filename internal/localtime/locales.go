package localtime

import (
	"strings"

	"github.com/go-playground/locales"
	"github.com/go-playground/locales/de"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/en_001"
	"github.com/go-playground/locales/en_AU"
	"github.com/go-playground/locales/en_CA"
	"github.com/go-playground/locales/en_GB"
	"github.com/go-playground/locales/en_IE"
	"github.com/go-playground/locales/en_IN"
	"github.com/go-playground/locales/en_NZ"
	"github.com/go-playground/locales/en_US"
	"github.com/go-playground/locales/en_ZA"
	"github.com/go-playground/locales/es"
	"github.com/go-playground/locales/es_AR"
	"github.com/go-playground/locales/es_CL"
	"github.com/go-playground/locales/es_CO"
	"github.com/go-playground/locales/es_ES"
	"github.com/go-playground/locales/es_MX"
	"github.com/go-playground/locales/es_US"
	"github.com/go-playground/locales/fr"
	"github.com/go-playground/locales/fr_BE"
	"github.com/go-playground/locales/fr_CA"
	"github.com/go-playground/locales/fr_CH"
	"github.com/go-playground/locales/it"
	"github.com/go-playground/locales/nl"
	"github.com/go-playground/locales/pt"
	"github.com/go-playground/locales/pt_BR"
	"github.com/go-playground/locales/pt_PT"
	"golang.org/x/text/language"
)

// curated returns a translator for each supported locale, English first as the
// default. Each package costs binary size, so the list holds the languages the
// campaigns write in and the regions whose dates or clocks differ from their
// language's default. en_001, CLDR's "world English", is the parent of most
// English regions outside the US, which write the day before the month.
func curated() []locales.Translator {
	return []locales.Translator{
		en.New(), en_001.New(), en_US.New(), en_GB.New(), en_AU.New(), en_CA.New(),
		en_IN.New(), en_IE.New(), en_NZ.New(), en_ZA.New(),
		es.New(), es_AR.New(), es_MX.New(), es_ES.New(), es_CO.New(), es_CL.New(), es_US.New(),
		pt.New(), pt_BR.New(), pt_PT.New(),
		fr.New(), fr_CA.New(), fr_BE.New(), fr_CH.New(),
		de.New(), it.New(), nl.New(),
	}
}

// tagOf returns the BCP 47 tag of a translator's locale ("pt_BR" is pt-BR).
func tagOf(tr locales.Translator) language.Tag {
	return language.Make(strings.ReplaceAll(tr.Locale(), "_", "-"))
}

// resolver picks the index of a curated translator for a locale string.
type resolver struct {
	index   map[language.Tag]int
	matcher language.Matcher
}

func newResolver(trs []locales.Translator) resolver {
	r := resolver{index: make(map[language.Tag]int, len(trs))}
	tags := make([]language.Tag, len(trs))
	for i, tr := range trs {
		tags[i] = tagOf(tr)
		r.index[tags[i]] = i
	}
	r.matcher = language.NewMatcher(tags)
	return r
}

// resolve walks CLDR's parent chain of the locale's language and region (es-PE,
// es-419, es) to the first curated locale, then asks the matcher for a close
// language, and falls back to index 0. The script and extensions are dropped:
// no curated language needs them.
func (r resolver) resolve(locale string) int {
	tag, err := language.Parse(locale)
	if err != nil {
		return 0
	}
	for t := plain(tag); t != language.Und; t = t.Parent() {
		if i, ok := r.index[t]; ok {
			return i
		}
	}
	if _, i, conf := r.matcher.Match(tag); conf >= language.High {
		return i
	}
	return 0
}

// plain returns the tag's language and region as written, without the guesses
// that Base and Region make for missing subtags ("pt" would become pt-BR).
func plain(tag language.Tag) language.Tag {
	base, conf := tag.Base()
	if conf != language.Exact {
		return language.Und
	}
	region, conf := tag.Region()
	if conf != language.Exact {
		t, _ := language.Compose(base)
		return t
	}
	t, _ := language.Compose(base, region)
	return t
}
