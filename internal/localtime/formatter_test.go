package localtime

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the zones must not depend on the machine's database
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// event is the action of the examples: 13:00 in London on Saturday 8 October 2022.
var event = utc("2022-10-08T12:00:00Z")

func TestDateTime(t *testing.T) {
	f := New()
	tests := []struct {
		name   string
		at     time.Time
		locale string
		zone   string
		want   string
	}{
		{"London in British English", event, "en-GB", "Europe/London", "Saturday, 8 October, 13:00 (BST)"},
		{"London in US English", event, "en-US", "Europe/London", "Saturday, October 8, 1:00 pm (BST)"},
		{"São Paulo in Brazilian Portuguese", event, "pt-BR", "America/Sao_Paulo", "sábado, 8 de outubro, 09:00 (UTC-03:00, Sao Paulo)"},
		{"São Paulo in Spanish", event, "es", "America/Sao_Paulo", "sábado, 8 de octubre, 9:00 (UTC-03:00, Sao Paulo)"},
		{"Sydney in US English", event, "en-US", "Australia/Sydney", "Saturday, October 8, 11:00 pm (Australian Eastern Daylight Time)"},
		{"Sydney in French", event, "fr", "Australia/Sydney", "samedi 8 octobre, 23:00 (heure d’été de l’Est de l’Australie)"},
		{"Kolkata, half an hour off", event, "en-GB", "Asia/Kolkata", "Saturday, 8 October, 17:30 (India Standard Time)"},
		{"St John's in summer", event, "en-CA", "America/St_Johns", "Saturday, October 8, 9:30 a.m. (NDT)"},
		{"St John's in winter", utc("2023-01-14T13:00:00Z"), "en-CA", "America/St_Johns", "Saturday, January 14, 9:30 a.m. (NST)"},
		{"London before the clocks go back", utc("2022-10-30T00:30:00Z"), "en-GB", "Europe/London", "Sunday, 30 October, 01:30 (BST)"},
		{"London after the clocks go back", utc("2022-10-30T01:30:00Z"), "en-GB", "Europe/London", "Sunday, 30 October, 01:30 (Greenwich Mean Time)"},
		{"São Paulo has no summer time since 2019", utc("2023-01-14T12:00:00Z"), "pt-BR", "America/Sao_Paulo", "sábado, 14 de janeiro, 09:00 (UTC-03:00, Sao Paulo)"},
		{"Sydney in its summer", utc("2023-01-14T12:00:00Z"), "en-AU", "Australia/Sydney", "Saturday, 14 January, 11:00 pm (Australian Eastern Daylight Time)"},
		{"Sydney in its winter", utc("2023-07-15T12:00:00Z"), "en-AU", "Australia/Sydney", "Saturday, 15 July, 10:00 pm (Australian Eastern Standard Time)"},
		{"the day changes with the zone", utc("2022-10-08T23:30:00Z"), "de", "Europe/Berlin", "Sonntag, 9. Oktober, 01:30 (CEST)"},
		{"unknown locale is English", event, "xx", "America/New_York", "Saturday, October 8, 8:00 am (Eastern Daylight Time)"},
		{"no zone keeps the instant's", event, "en-GB", "", "Saturday, 8 October, 12:00 (UTC)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var loc *time.Location
			if tt.zone != "" {
				loc = zone(t, tt.zone)
			}
			if diff := cmp.Diff(tt.want, f.DateTime(tt.at, tt.locale, loc)); diff != "" {
				t.Errorf("DateTime(%s, %q, %q) (-want +got):\n%s", tt.at, tt.locale, tt.zone, diff)
			}
		})
	}
}

func TestTime(t *testing.T) {
	f := New()
	afternoon, morning := utc("2022-10-08T13:00:00Z"), utc("2022-10-08T09:05:00Z")
	tests := []struct {
		locale          string
		afternoon, morn string
	}{
		{"en-US", "1:00 pm", "9:05 am"},
		{"en", "1:00 pm", "9:05 am"},
		{"en-GB", "13:00", "09:05"},
		{"en-AU", "1:00 pm", "9:05 am"}, // its own data has blank day periods
		{"en-CA", "1:00 p.m.", "9:05 a.m."},
		{"en-IN", "1:00 pm", "9:05 am"},
		{"fr", "13:00", "09:05"},
		{"fr-CA", "13 h 00", "09 h 05"},
		{"pt-BR", "13:00", "09:05"},
		{"pt", "13:00", "09:05"},
		{"es", "13:00", "9:05"},
		{"es-US", "1:00 p.\u00a0m.", "9:05 a.\u00a0m."},
		{"de", "13:00", "09:05"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			got := []string{f.Time(afternoon, tt.locale, time.UTC), f.Time(morning, tt.locale, time.UTC)}
			if diff := cmp.Diff([]string{tt.afternoon, tt.morn}, got); diff != "" {
				t.Errorf("Time(%q) (-want +got):\n%s", tt.locale, diff)
			}
		})
	}
}

func TestDate(t *testing.T) {
	f := New()
	tests := []struct {
		locale string
		want   string
	}{
		{"en-US", "Saturday, October 8"},
		{"en-GB", "Saturday, 8 October"},
		{"en-IE", "Saturday 8 October"},
		{"en-IN", "Saturday, 8 October"},
		{"en-ZA", "Saturday, 08 October"},
		{"es", "sábado, 8 de octubre"},
		{"es-MX", "sábado, 8 de octubre"},
		{"pt", "sábado, 8 de outubro"},
		{"pt-BR", "sábado, 8 de outubro"},
		{"pt-PT", "sábado, 8 de outubro"},
		{"fr", "samedi 8 octobre"},
		{"fr-CH", "samedi, 8 octobre"},
		{"de", "Samstag, 8. Oktober"},
		{"it", "sabato 8 ottobre"},
		{"nl", "zaterdag 8 oktober"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, f.Date(event, tt.locale, time.UTC)); diff != "" {
				t.Errorf("Date(%q) (-want +got):\n%s", tt.locale, diff)
			}
		})
	}
}

// TestDateHasNoYear checks every curated locale on a day of each month: the
// year and the literal joining it are gone, and the date still ends on a field.
func TestDateHasNoYear(t *testing.T) {
	f := New()
	for _, l := range f.langs {
		t.Run(l.tr.Locale(), func(t *testing.T) {
			for m := time.January; m <= time.December; m++ {
				at := time.Date(2031, m, int(m)*2, 12, 0, 0, 0, time.UTC)
				got := dateWithoutYear(l.tr, at)
				if problem := dateProblem(got, l.tr.MonthWide(m), l.tr.WeekdayWide(at.Weekday())); problem != "" {
					t.Errorf("%s: %q %s", at.Format(time.DateOnly), got, problem)
				}
			}
		})
	}
}

func dateProblem(got, month, weekday string) string {
	last, _ := utf8.DecodeLastRuneInString(got)
	switch {
	case strings.Contains(got, "2031"):
		return "has the year"
	case !strings.Contains(got, month) || !strings.Contains(got, weekday):
		return "lost the month or the weekday"
	case !strings.HasSuffix(got, month) && !unicode.IsDigit(last):
		return "ends on a literal"
	case strings.TrimSpace(got) != got || strings.Contains(got, "  "):
		return "has stray spaces"
	}
	return ""
}

func TestLocale(t *testing.T) {
	f := New()
	tests := []struct {
		locale string
		want   string
	}{
		{"es-AR", "es_AR"},
		{"es-PE", "es"},    // through es-419, which is not curated
		{"pt", "pt"},       // CLDR's pt is Brazilian
		{"pt-AO", "pt_PT"}, // Angola writes European Portuguese
		{"pt_BR", "pt_BR"},
		{"EN-gb", "en_GB"},
		{"en-PH", "en_001"},
		{"en-US-u-hc-h23", "en_US"},
		{"de-AT", "de"},
		{"fr-LU", "fr"},
		{"gsw", "de"}, // another language, close enough for the matcher
		{"zh", "en"},
		{"", "en"},
		{"xx", "en"},
		{"not a locale", "en"},
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, f.Locale(tt.locale)); diff != "" {
				t.Errorf("Locale(%q) (-want +got):\n%s", tt.locale, diff)
			}
		})
	}
}

func TestMemoIsBounded(t *testing.T) {
	f := New()
	for i := range maxMemo + 10 {
		f.Locale(fmt.Sprintf("x-%d", i))
	}
	if got := f.Locale("pt-BR"); got != "pt_BR" {
		t.Errorf("Locale(pt-BR) = %q with a full memo", got)
	}
	if len(f.memo) > maxMemo {
		t.Errorf("memo holds %d entries, more than %d", len(f.memo), maxMemo)
	}
}

func TestConcurrentUse(t *testing.T) {
	f := New()
	sp := zone(t, "America/Sao_Paulo")
	want := f.DateTime(event, "pt-BR", sp)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 200 {
				f.DateTime(event, fmt.Sprintf("es-%03d", i*1000+j), sp)
				if got := f.DateTime(event, "pt-BR", sp); got != want {
					t.Errorf("DateTime = %q, want %q", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkDateTime(b *testing.B) {
	f := New()
	sp := zone(b, "America/Sao_Paulo")
	b.ReportAllocs()
	for b.Loop() {
		f.DateTime(event, "pt-BR", sp)
	}
}
