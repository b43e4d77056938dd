package localtime

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-playground/locales"
)

// Short returns t in loc as a text message wants it: few characters, all in
// the GSM-7 alphabet, so one time does not cost a second segment or force
// UCS-2: day and month as numbers in the locale's order and separator, the
// locale's 12 or 24 hour clock, and the zone's letters or its offset:
// "8/10, 09:00 (UTC-3)", "10/8, 1:00 pm (EDT)", "8.10, 14:00 (CEST)".
func (f *Formatter) Short(t time.Time, locale string, loc *time.Location) string {
	l, t := f.pick(locale), in(t, loc)
	abbr, offset := t.Zone()
	zone := abbr
	if !isAlpha(abbr) {
		zone = offsetLabel(offset, true)
	}
	clock := strings.Map(plainSpace, l.clock.FmtTimeShort(t))
	return dayMonth(l.tr, t) + ", " + clock + " (" + zone + ")"
}

// plainSpace turns the no-break spaces some locales put in times ("9:00 a.
// m." in es_CO) into plain ones, which GSM-7 has.
func plainSpace(r rune) rune {
	if r == '\u00a0' || r == '\u202f' {
		return ' '
	}
	return r
}

// dayMonth writes the day and month of t as numbers, in the order and with the
// separator of the locale's short date ("3/2/01" in en_US puts the month first).
func dayMonth(tr locales.Translator, t time.Time) string {
	probe := tr.FmtDateShort(time.Date(2001, 2, 3, 12, 0, 0, 0, time.UTC))
	sep := "/"
	if i := strings.IndexFunc(probe, func(r rune) bool { return !unicode.IsDigit(r) }); i > 0 {
		sep = string([]rune(probe[i:])[0])
	}
	if !asciiPunct(sep) {
		sep = "/"
	}
	day, month := strconv.Itoa(t.Day()), strconv.Itoa(int(t.Month()))
	if monthFirst(probe) {
		return month + sep + day
	}
	return day + sep + month
}

// monthFirst reports whether a short date of 3 February 2001 names the month
// before the day.
func monthFirst(probe string) bool {
	m, d := strings.Index(probe, "2"), strings.Index(strings.ReplaceAll(probe, "2001", "yyyy"), "3")
	return m >= 0 && d >= 0 && m < d
}

func asciiPunct(s string) bool {
	return s == "/" || s == "." || s == "-"
}
