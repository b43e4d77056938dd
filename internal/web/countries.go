package web

import (
	"slices"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// country is one choice of the join form's country list.
type country struct {
	Code string // ISO 3166-1 alpha-2
	Name string // in the page's language
}

// countries returns the places with phone numbers (libphonenumber's regions,
// which the supporter's phone is checked against), named in the language of
// tag and sorted as that language sorts.
func countries(tag language.Tag) []country {
	names := display.Regions(tag)
	regions := phonenumbers.GetSupportedRegions()
	out := make([]country, 0, len(regions))
	for code := range regions {
		name := code
		if r, err := language.ParseRegion(code); err == nil && names.Name(r) != "" {
			name = names.Name(r)
		}
		out = append(out, country{Code: code, Name: name})
	}
	col := collate.New(tag)
	slices.SortFunc(out, func(a, b country) int { return col.CompareString(a.Name, b.Name) })
	return out
}
