package localtime

import (
	"testing"
)

func TestShort(t *testing.T) {
	f := New()
	oct8 := utc("2022-10-08T12:00:00Z") // 13:00 in London
	tests := []struct {
		locale, zone, want string
	}{
		{"en-US", "America/New_York", "10/8, 8:00 am (EDT)"},
		{"en-GB", "Europe/London", "8/10, 13:00 (BST)"},
		{"pt-BR", "America/Sao_Paulo", "8/10, 09:00 (UTC-3)"},
		{"es", "Australia/Sydney", "8/10, 23:00 (AEDT)"},
		{"es-CO", "America/Bogota", "8/10, 7:00 a. m. (UTC-5)"},
		{"fr", "Europe/Paris", "8/10, 14:00 (CEST)"},
		{"de", "Europe/Berlin", "8.10, 14:00 (CEST)"},
		{"en-IN", "Asia/Kolkata", "8/10, 5:30 pm (IST)"},
		{"en", "America/St_Johns", "10/8, 9:30 am (NDT)"},
		{"en-GB", "Asia/Kathmandu", "8/10, 17:45 (UTC+5:45)"},
	}
	for _, tc := range tests {
		t.Run(tc.locale+" "+tc.zone, func(t *testing.T) {
			got := f.Short(oct8, tc.locale, zone(t, tc.zone))
			if got != tc.want {
				t.Errorf("Short = %q, want %q", got, tc.want)
			}
			for _, r := range got {
				if r > 0x7e {
					t.Errorf("Short = %q has %q, which a text message may not carry in GSM-7", got, r)
				}
			}
		})
	}
}
