package localtime

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestGuess(t *testing.T) {
	type result struct {
		Zone string
		OK   bool
	}
	tests := []struct {
		name    string
		phone   string
		country string
		want    result
	}{
		{"one-zone country", "", "FR", result{"Europe/Paris", true}},
		{"crown dependencies count as one", "", "GB", result{"Europe/London", true}},
		{"country in lower case", "", "gb", result{"Europe/London", true}},
		{"current name, not Asia/Calcutta", "", "IN", result{"Asia/Kolkata", true}},
		{"current name, not Asia/Katmandu", "", "NP", result{"Asia/Kathmandu", true}},
		{"US is ambiguous", "", "US", result{}},
		{"Brazil is ambiguous", "", "BR", result{}},
		{"Australia is ambiguous", "", "AU", result{}},
		{"Canada is ambiguous", "", "CA", result{}},
		{"New York area code", "+12125551234", "", result{"America/New_York", true}},
		{"New York area code in the US", "+12125551234", "US", result{"America/New_York", true}},
		{"São Paulo area code", "+5511987654321", "", result{"America/Sao_Paulo", true}},
		{"Sydney landline", "+61298765432", "", result{"Australia/Sydney", true}},
		{"Australian mobiles are not in Sydney", "+61412345678", "", result{}},
		{"British mobile", "+447400123456", "", result{"Europe/London", true}},
		{"Indian mobile", "+919876543210", "", result{"Asia/Kolkata", true}},
		{"national number with its country", "020 7946 0000", "GB", result{"Europe/London", true}},
		{"phone and country disagree", "+33612345678", "GB", result{}},
		{"invalid phone alone", "+1555", "", result{}},
		{"invalid phone, the country decides", "+1555", "FR", result{"Europe/Paris", true}},
		{"not a phone", "garbage", "", result{}},
		{"unknown country", "", "XX", result{}},
		{"nothing", "", "", result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got result
			got.Zone, got.OK = Guess(tt.phone, tt.country)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Guess(%q, %q) (-want +got):\n%s", tt.phone, tt.country, diff)
			}
			if got.OK {
				if _, err := time.LoadLocation(got.Zone); err != nil {
					t.Errorf("Guess(%q, %q) = %q, which does not load: %v", tt.phone, tt.country, got.Zone, err)
				}
			}
		})
	}
}

// TestCurrentNames checks that each renamed zone loads and keeps the time of the
// name libphonenumber uses.
func TestCurrentNames(t *testing.T) {
	for _, old := range []string{
		"Africa/Asmera", "America/Buenos_Aires", "America/Godthab", "Asia/Calcutta",
		"Asia/Choibalsan", "Asia/Katmandu", "Asia/Rangoon", "Atlantic/Faeroe",
		"Pacific/Enderbury", "Pacific/Ponape", "Pacific/Truk",
	} {
		name := current(old)
		if name == old {
			t.Errorf("current(%q) is unchanged", old)
			continue
		}
		if !same(zone(t, old), zone(t, name)) {
			t.Errorf("%s and %s differ", old, name)
		}
	}
}

func TestSame(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Europe/London", "Europe/Jersey", true},
		{"Europe/London", "Europe/Paris", false},
		{"Europe/London", "Europe/Lisbon", true}, // other names, same offsets
		{"America/Sao_Paulo", "America/Manaus", false},
		{"Australia/Sydney", "Australia/Brisbane", false}, // Brisbane has no summer time
		{"Asia/Kolkata", "Asia/Colombo", true},
	}
	for _, tt := range tests {
		if got := same(zone(t, tt.a), zone(t, tt.b)); got != tt.want {
			t.Errorf("same(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
