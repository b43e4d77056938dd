package quiet_test

import (
	"testing"
	"time"

	_ "time/tzdata" // the zones below, whatever the machine has

	"github.com/muster-org/muster/internal/quiet"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{in: "21:00-08:00", want: "21:00-08:00"},
		{in: " 22:30 - 07:15 ", want: "22:30-07:15"},
		{in: "00:00-06:00", want: "00:00-06:00"},
		{in: "off", want: "off"},
		{in: "OFF", want: "off"},
		{in: "21:00", bad: true},
		{in: "25:00-08:00", bad: true},
		{in: "21:00-8am", bad: true},
		{in: "08:00-08:00", bad: true},
		{in: "", bad: true},
	} {
		w, err := quiet.Parse(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("Parse(%q) = %v, want an error", tc.in, w)
			}
			continue
		}
		if err != nil || w.String() != tc.want {
			t.Errorf("Parse(%q) = %v, %v; want %s", tc.in, w, err, tc.want)
		}
	}
}

func TestHold(t *testing.T) {
	night := quiet.Window{Start: 21 * time.Hour, End: 8 * time.Hour}
	early := quiet.Window{Start: 0, End: 6 * time.Hour}
	london := zone(t, "Europe/London")
	saoPaulo := zone(t, "America/Sao_Paulo")
	sydney := zone(t, "Australia/Sydney")
	kolkata := zone(t, "Asia/Kolkata")
	for _, tc := range []struct {
		name string
		w    quiet.Window
		at   time.Time // UTC
		loc  *time.Location
		want time.Time // zero: not held
	}{
		{"23:30 local waits for 08:00 next day", night, at("2022-10-08T02:30:00Z"), saoPaulo, at("2022-10-08T11:00:00Z")},
		{"07:59 local waits a minute", night, at("2022-10-08T10:59:00Z"), saoPaulo, at("2022-10-08T11:00:00Z")},
		{"08:00 local goes", night, at("2022-10-08T11:00:00Z"), saoPaulo, time.Time{}},
		{"20:59 local goes", night, at("2022-10-08T23:59:00Z"), saoPaulo, time.Time{}},
		{"21:00 local waits", night, at("2022-10-09T00:00:00Z"), saoPaulo, at("2022-10-09T11:00:00Z")},
		{"13:00 London is 23:00 Sydney", night, at("2022-10-08T12:00:00Z"), sydney, at("2022-10-08T21:00:00Z")},
		{"half-hour zone", night, at("2022-10-08T15:45:00Z"), kolkata, at("2022-10-09T02:30:00Z")},
		// The clocks go back in London on 2022-10-30 at 02:00 BST: 08:00 that
		// morning is GMT, 08:00 UTC.
		{"across the end of BST", night, at("2022-10-29T22:00:00Z"), london, at("2022-10-30T08:00:00Z")},
		{"the night before", night, at("2022-10-28T22:00:00Z"), london, at("2022-10-29T07:00:00Z")},
		{"window within one day", early, at("2022-10-08T03:00:00Z"), time.UTC, at("2022-10-08T06:00:00Z")},
		{"outside a window within one day", early, at("2022-10-08T23:00:00Z"), time.UTC, time.Time{}},
		{"nil location is UTC", night, at("2022-10-08T22:00:00Z"), nil, at("2022-10-09T08:00:00Z")},
		{"off holds nothing", quiet.Window{}, at("2022-10-08T02:30:00Z"), saoPaulo, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, held := tc.w.Hold(tc.at, tc.loc)
			if held != !tc.want.IsZero() || !got.Equal(tc.want) {
				t.Errorf("Hold(%s) = %s, %v; want %s", tc.at.Format(time.RFC3339), got.UTC().Format(time.RFC3339), held, tc.want.Format(time.RFC3339))
			}
		})
	}
}

func TestResolve(t *testing.T) {
	def := quiet.Window{Start: 21 * time.Hour, End: 8 * time.Hour}
	for in, want := range map[string]string{"": "21:00-08:00", "off": "off", "22:00-07:00": "22:00-07:00"} {
		w, err := quiet.Resolve(in, def)
		if err != nil || w.String() != want {
			t.Errorf("Resolve(%q) = %v, %v; want %s", in, w, err, want)
		}
	}
	if _, err := quiet.Resolve("soon", def); err == nil {
		t.Error("Resolve(soon) succeeded")
	}
}

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
