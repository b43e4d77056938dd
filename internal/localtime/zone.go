package localtime

import (
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/locales"
)

// cldrOffsets returns the tzdata abbreviations that CLDR names, each with the UTC
// offset in seconds that CLDR means by it. tzdata reuses some of them elsewhere
// (IST in Dublin and Jerusalem, CST in Shanghai and Havana, CDT in Havana, PST in
// Manila); those zones keep their abbreviation rather than being called India or
// US Central time. An abbreviation missing here is never translated.
func cldrOffsets() map[string]int {
	const h = 3600
	return map[string]int{
		"ACDT": 10*h + h/2, "ACST": 9*h + h/2, "AEDT": 11 * h, "AEST": 10 * h, "AWST": 8 * h,
		"ADT": -3 * h, "AST": -4 * h, "EDT": -4 * h, "EST": -5 * h, "CDT": -5 * h, "CST": -6 * h,
		"MDT": -6 * h, "MST": -7 * h, "PDT": -7 * h, "PST": -8 * h, "AKDT": -8 * h, "AKST": -9 * h,
		"GMT": 0, "WAT": h, "CAT": 2 * h, "SAST": 2 * h, "EAT": 3 * h, "IST": 5*h + h/2,
		"WIB": 7 * h, "WITA": 8 * h, "HKT": 8 * h, "WIT": 9 * h, "JST": 9 * h, "ChST": 10 * h,
		"NZST": 12 * h, "NZDT": 13 * h,
	}
}

// zoneNames returns the translator's names for the abbreviations of cldrOffsets
// that it knows. The library only exposes them inside FmtTimeFull, so the name is
// what that pattern holds where a name-less placeholder zone would stand.
func zoneNames(tr locales.Translator, offsets map[string]int) map[string]string {
	const placeholder = "\x00"
	at := time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC)
	bare := tr.FmtTimeFull(at.In(time.FixedZone(placeholder, 0)))
	before, after, ok := strings.Cut(bare, placeholder)
	if !ok {
		return nil
	}
	names := make(map[string]string)
	for abbr := range offsets {
		s := tr.FmtTimeFull(at.In(time.FixedZone(abbr, 0)))
		name, ok := strings.CutPrefix(s, before)
		if name, ok2 := strings.CutSuffix(name, after); ok && ok2 && name != abbr && name != "" {
			names[abbr] = name
		}
	}
	return names
}

// label returns the zone label of t, which is already in the supporter's zone;
// see the package documentation for the rule.
func label(names map[string]string, offsets map[string]int, t time.Time) string {
	abbr, offset := t.Zone()
	if want, ok := offsets[abbr]; ok && want == offset {
		if name, ok := names[abbr]; ok {
			return name
		}
	}
	if isAlpha(abbr) {
		return abbr
	}
	if city := city(t.Location()); city != "" {
		return utcOffset(offset) + ", " + city
	}
	return utcOffset(offset)
}

func isAlpha(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return s != ""
}

// utcOffset writes an offset as "UTC+05:30" or "UTC-03:00", or "UTC" when zero.
func utcOffset(seconds int) string { return offsetLabel(seconds, false) }

// offsetLabel writes an offset from UTC: "UTC-03:00", or with short
// "UTC-3" and "UTC+5:30"; "UTC" when zero.
func offsetLabel(seconds int, short bool) string {
	if seconds == 0 {
		return "UTC"
	}
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	hours, minutes := seconds/3600, seconds%3600/60
	if !short {
		return "UTC" + sign + twoDigits(hours) + ":" + twoDigits(minutes)
	}
	s := "UTC" + sign + strconv.Itoa(hours)
	if minutes != 0 {
		s += ":" + twoDigits(minutes)
	}
	return s
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// city returns the last element of an IANA zone name, spaced ("Sao Paulo" for
// America/Sao_Paulo), or "" for names that are not places (UTC, Etc/GMT+3, Local).
func city(loc *time.Location) string {
	name := loc.String()
	if strings.HasPrefix(name, "Etc/") {
		return ""
	}
	i := strings.LastIndexByte(name, '/')
	if i < 0 {
		return ""
	}
	return strings.ReplaceAll(name[i+1:], "_", " ")
}
