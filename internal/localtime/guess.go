package localtime

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Guess returns the IANA zone of a supporter who has none, from a phone number
// (E.164, or national when country is given) and an ISO 3166 country code, with
// ok false unless the evidence points to a single zone. A number's zones come from
// its area code when the number is geographic (landlines; mobiles in Brazil,
// Mexico, Argentina, China; all North American numbers), else from its country.
// With both a phone and a country, only the phone's zones that the country also
// has count, so conflicting evidence gives no zone. Zones that keep the same
// offsets over the coming years count as one (the UK's four), named after the
// zone of the country's example landline (Europe/London).
//
// The answer uses current IANA names (Asia/Kolkata, not libphonenumber's
// Asia/Calcutta) and loads with time.LoadLocation. Countries that share a calling
// code (the US, Canada and the Caribbean's +1) have no zone of their own without
// a phone. Guess reads the zone database on each call: it is meant for imports,
// not for the send path.
func Guess(phone, country string) (zone string, ok bool) {
	region := strings.ToUpper(strings.TrimSpace(country))
	byPhone, phoneRegion := phoneZones(phone, region)
	byCountry := countryZones(region)
	if region == "" {
		region = phoneRegion
	}
	zones := byPhone
	switch {
	case byPhone == nil:
		zones = byCountry
	case byCountry != nil:
		zones = shared(byPhone, byCountry)
	}
	return single(zones, region)
}

// phoneZones returns the zone names of a valid phone number, and its region.
func phoneZones(phone, region string) ([]string, string) {
	if strings.TrimSpace(phone) == "" {
		return nil, ""
	}
	num, err := phonenumbers.Parse(phone, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return nil, ""
	}
	var names []string
	if geographic(num) {
		names, err = phonenumbers.GetTimezonesForNumber(num)
	} else {
		names, err = phonenumbers.GetTimezonesForPrefix(strconv.Itoa(int(num.GetCountryCode())))
	}
	if err != nil {
		return nil, ""
	}
	return known(names), phonenumbers.GetRegionCodeForNumber(num)
}

// geographic reports whether a number's prefix says where it is, as
// libphonenumber's Java time zone mapper decides; the Go port skips this check and
// would place every Australian mobile in Sydney.
func geographic(num *phonenumbers.PhoneNumber) bool {
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.FIXED_LINE, phonenumbers.FIXED_LINE_OR_MOBILE:
		return true
	case phonenumbers.MOBILE:
		return phonenumbers.GEO_MOBILE_COUNTRIES[num.GetCountryCode()]
	}
	return false
}

// countryZones returns the zone names of the country's calling code.
func countryZones(region string) []string {
	code := phonenumbers.GetCountryCodeForRegion(region)
	if code == 0 {
		return nil
	}
	names, err := phonenumbers.GetTimezonesForPrefix(strconv.Itoa(code))
	if err != nil {
		return nil
	}
	return known(names)
}

// known returns the names other than libphonenumber's unknown zone, under their
// current names, or nil.
func known(names []string) []string {
	var out []string
	for _, n := range names {
		if n != phonenumbers.UNKNOWN_TIMEZONE {
			out = append(out, current(n))
		}
	}
	return out
}

// current returns the current IANA name of a zone that libphonenumber still
// calls by a name tzdata has since retired to its backward file.
func current(name string) string {
	switch name {
	case "Africa/Asmera":
		return "Africa/Asmara"
	case "America/Buenos_Aires":
		return "America/Argentina/Buenos_Aires"
	case "America/Godthab":
		return "America/Nuuk"
	case "Asia/Calcutta":
		return "Asia/Kolkata"
	case "Asia/Choibalsan":
		return "Asia/Ulaanbaatar"
	case "Asia/Katmandu":
		return "Asia/Kathmandu"
	case "Asia/Rangoon":
		return "Asia/Yangon"
	case "Atlantic/Faeroe":
		return "Atlantic/Faroe"
	case "Pacific/Enderbury":
		return "Pacific/Kanton"
	case "Pacific/Ponape":
		return "Pacific/Pohnpei"
	case "Pacific/Truk":
		return "Pacific/Chuuk"
	}
	return name
}

// shared returns the zones of a that b has, by name or else by behaviour; the
// zone database is only read when the names differ.
func shared(a, b []string) []string {
	var out, rest []string
	for _, z := range a {
		if slices.Contains(b, z) {
			out = append(out, z)
		} else {
			rest = append(rest, z)
		}
	}
	if len(rest) == 0 {
		return out
	}
	others := load(b)
	for _, z := range load(rest) {
		if slices.ContainsFunc(others, func(y *time.Location) bool { return same(z, y) }) {
			out = append(out, z.String())
		}
	}
	return out
}

// load returns the zones of the names that load.
func load(names []string) []*time.Location {
	var locs []*time.Location
	for _, n := range names {
		if loc, err := time.LoadLocation(n); err == nil {
			locs = append(locs, loc)
		}
	}
	return locs
}

// single returns the zone that all of names amount to, named after the zone of
// the region's example landline when that is one of them.
func single(names []string, region string) (string, bool) {
	names, ok := alike(names)
	switch {
	case !ok:
		return "", false
	case len(names) > 1 && slices.Contains(names, exampleZone(region)):
		return exampleZone(region), true
	}
	return names[0], true
}

// alike returns the names that load, and whether there are some and they all
// keep the same time. It stops at the first that differs: a country's calling
// code can have forty zones.
func alike(names []string) ([]string, bool) {
	var first *time.Location
	var out []string
	for _, n := range names {
		loc, err := time.LoadLocation(n)
		switch {
		case err != nil:
			continue
		case first == nil:
			first = loc
		case !same(first, loc):
			return nil, false
		}
		out = append(out, n)
	}
	return out, first != nil
}

// exampleZone returns the single zone of the region's example landline, or "".
func exampleZone(region string) string {
	num := phonenumbers.GetExampleNumberForType(region, phonenumbers.FIXED_LINE)
	if num == nil {
		return ""
	}
	names, err := phonenumbers.GetTimezonesForNumber(num)
	if err != nil || len(names) != 1 {
		return ""
	}
	return current(names[0])
}

// same reports whether two zones are one: the same name, or the same offsets
// from 2024 to 2040. Zones that agreed in the past but not now stay apart.
func same(a, b *time.Location) bool {
	if a.String() == b.String() {
		return true
	}
	end := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	for t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); t.Before(end); {
		ta, tb := t.In(a), t.In(b)
		if offsetOf(ta) != offsetOf(tb) {
			return false
		}
		t = minTime(end, nextChange(ta), nextChange(tb))
	}
	return true
}

func offsetOf(t time.Time) int {
	_, off := t.Zone()
	return off
}

// nextChange returns when t's zone next changes offset or abbreviation, or the
// zero time when it never does.
func nextChange(t time.Time) time.Time {
	_, end := t.ZoneBounds()
	return end
}

// minTime returns the earliest of the non-zero times.
func minTime(first time.Time, rest ...time.Time) time.Time {
	for _, t := range rest {
		if !t.IsZero() && t.Before(first) {
			first = t
		}
	}
	return first
}
