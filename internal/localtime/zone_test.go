package localtime

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestZone(t *testing.T) {
	f := New()
	january := utc("2023-01-14T12:00:00Z")
	tests := []struct {
		name   string
		at     time.Time
		locale string
		loc    *time.Location
		want   string
	}{
		{"CLDR names AEDT in English", event, "en", zone(t, "Australia/Sydney"), "Australian Eastern Daylight Time"},
		{"and in French", event, "fr", zone(t, "Australia/Sydney"), "heure d’été de l’Est de l’Australie"},
		{"pt is Brazilian", event, "pt", zone(t, "America/New_York"), "Horário de Verão do Leste"},
		{"pt-PT is not", event, "pt-PT", zone(t, "America/New_York"), "Hora de verão oriental norte-americana"},
		{"Pacific time in winter", january, "es", zone(t, "America/Los_Angeles"), "hora estándar del Pacífico"},
		{"CLDR has no BST", event, "fr", zone(t, "Europe/London"), "BST"},
		{"nor CEST", event, "en", zone(t, "Europe/Paris"), "CEST"},
		{"nor NDT", event, "en", zone(t, "America/St_Johns"), "NDT"},
		{"Irish IST is not India's", event, "en-IE", zone(t, "Europe/Dublin"), "IST"},
		{"Israeli IST is not India's", january, "en", zone(t, "Asia/Jerusalem"), "IST"},
		{"India's is", event, "en", zone(t, "Asia/Kolkata"), "India Standard Time"},
		{"China's CST is not US Central", event, "en", zone(t, "Asia/Shanghai"), "CST"},
		{"Cuba's CDT is not US Central", event, "es", zone(t, "America/Havana"), "CDT"},
		{"Manila's PST is not US Pacific", event, "en", zone(t, "Asia/Manila"), "PST"},
		{"numeric tzdata abbreviation", event, "pt-BR", zone(t, "America/Sao_Paulo"), "UTC-03:00, Sao Paulo"},
		{"quarter-hour offset", event, "en", zone(t, "Asia/Kathmandu"), "UTC+05:45, Kathmandu"},
		{"nested zone name", event, "es-AR", zone(t, "America/Argentina/Buenos_Aires"), "UTC-03:00, Buenos Aires"},
		{"Etc zones are not cities", event, "en", zone(t, "Etc/GMT+3"), "UTC-03:00"},
		{"unnamed fixed zone", event, "en", time.FixedZone("", 2*3600), "UTC+02:00"},
		{"UTC", event, "en", time.UTC, "UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, f.Zone(tt.at, tt.locale, tt.loc)); diff != "" {
				t.Errorf("Zone(%q, %s) (-want +got):\n%s", tt.locale, tt.loc, diff)
			}
		})
	}
}

// TestZoneNamesCoverOffsets guards a library upgrade: every abbreviation that
// cldrOffsets vouches for still has an English name.
func TestZoneNamesCoverOffsets(t *testing.T) {
	f := New()
	en := f.langs[0]
	for abbr := range f.offsets {
		if _, ok := en.zones[abbr]; !ok {
			t.Errorf("en has no name for %s", abbr)
		}
	}
}

func TestUTCOffset(t *testing.T) {
	tests := []struct {
		seconds int
		want    string
	}{
		{0, "UTC"},
		{-3 * 3600, "UTC-03:00"},
		{-(3*3600 + 1800), "UTC-03:30"},
		{5*3600 + 45*60, "UTC+05:45"},
		{14 * 3600, "UTC+14:00"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, utcOffset(tt.seconds)); diff != "" {
			t.Errorf("utcOffset(%d) (-want +got):\n%s", tt.seconds, diff)
		}
	}
}
