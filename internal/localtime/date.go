package localtime

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/locales"
)

// dateWithoutYear returns the locale's full date of t without the year. The year
// is cut out with the literal that joins it to the field before it (", 2022",
// " de 2022"); a year that leads the date goes with the literal after it.
func dateWithoutYear(tr locales.Translator, t time.Time) string {
	full := tr.FmtDateFull(t)
	year := strconv.Itoa(t.Year())
	i := strings.Index(full, year)
	if i < 0 {
		return full
	}
	end := i + len(year)
	start := fieldEnd(full[:i], tr.WeekdayWide(t.Weekday()), tr.MonthWide(t.Month()))
	if start == 0 {
		end = nextField(full, end)
	}
	return full[:start] + full[end:]
}

// fieldEnd returns where the last field of s ends: the weekday, the month or the
// day, whichever comes last; 0 when s holds none.
func fieldEnd(s string, names ...string) int {
	end := strings.LastIndexFunc(s, isDigit) + 1
	for _, n := range names {
		if j := strings.LastIndex(s, n); j >= 0 && n != "" {
			end = max(end, j+len(n))
		}
	}
	return end
}

// nextField returns the index of the first letter or digit of s at or after i.
func nextField(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return i
		}
		i += size
	}
	return i
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
