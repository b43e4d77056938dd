package contact_test

import (
	"testing"

	"github.com/muster-org/muster/internal/contact"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "plain", in: "ana@example.org", want: "ana@example.org"},
		{name: "one person whatever the case", in: " Ana@Example.ORG ", want: "ana@example.org"},
		{name: "non-ASCII local part folded too", in: "ÉLISE@Example.org", want: "élise@example.org"},
		{name: "invalid UTF-8", in: "an\xffa@example.org", wantErr: true},
		{name: "subdomain", in: "x.y+tag@mail.example.co.uk", want: "x.y+tag@mail.example.co.uk"},
		{name: "no domain", in: "ana", wantErr: true},
		{name: "empty domain", in: "ana@", wantErr: true},
		{name: "domain without dot", in: "ana@localhost", wantErr: true},
		{name: "domain with empty label", in: "ana@example..org", wantErr: true},
		{name: "display name", in: "Ana <ana@example.org>", wantErr: true},
		{name: "brackets", in: "<ana@example.org>", wantErr: true},
		{name: "two addresses", in: "a@example.org, b@example.org", wantErr: true},
		{name: "empty", in: "  ", wantErr: true},
		{name: "garbage", in: "@@@", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := contact.NormalizeEmail(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NormalizeEmail(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, country, want string
		wantErr                 bool
	}{
		{name: "BR mobile, international", in: "+5511987654321", want: "+5511987654321"},
		{name: "BR mobile with its country", in: "+55 11 98765-4321", country: "BR", want: "+5511987654321"},
		{name: "BR mobile, national form", in: "(11) 98765-4321", country: "br", want: "+5511987654321"},
		{name: "GB mobile, national form", in: "07400 123456", country: "GB", want: "+447400123456"},
		{name: "GB mobile, international", in: "+44 7400 123456", want: "+447400123456"},
		{name: "US number", in: "(201) 555-0123", country: "US", want: "+12015550123"},
		{name: "international BR number, GB person", in: "+5511987654321", country: "GB", want: "+5511987654321"},
		{name: "international GB number, US person", in: "+447400123456", country: "US", want: "+447400123456"},
		{name: "international FR mobile, CA person", in: "+33 6 12 34 56 78", country: "CA", want: "+33612345678"},
		{name: "national BR number read as GB", in: "(11) 98765-4321", country: "GB", wantErr: true},
		{name: "national FR number read as CA", in: "06 12 34 56 78", country: "CA", wantErr: true},
		{name: "invalid international number, valid country", in: "+33 6 12", country: "FR", wantErr: true},
		{name: "national form without country", in: "07400 123456", wantErr: true},
		{name: "invalid BR number", in: "+551187654321", wantErr: true},
		{name: "too short", in: "+44 12", wantErr: true},
		{name: "garbage", in: "call me", country: "GB", wantErr: true},
		{name: "empty", in: "", country: "GB", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := contact.NormalizePhone(tt.in, tt.country)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NormalizePhone(%q, %q) error = %v, want error %v", tt.in, tt.country, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("NormalizePhone(%q, %q) = %q, want %q", tt.in, tt.country, got, tt.want)
			}
		})
	}
}

func TestPhoneCountry(t *testing.T) {
	tests := map[string]string{
		"+5511987654321": "BR",
		"+447400123456":  "GB",
		"+12015550123":   "US",
		"+33612345678":   "FR",
		"not a number":   "",
	}
	for phone, want := range tests {
		if got := contact.PhoneCountry(phone); got != want {
			t.Errorf("PhoneCountry(%q) = %q, want %q", phone, got, want)
		}
	}
}

func TestValidCountry(t *testing.T) {
	tests := map[string]bool{
		"BR": true, "GB": true, "US": true, "XK": true, "AQ": true,
		"gb": false, "UK": false, "EU": false, "ZZ": false, "UN": false, "GBR": false, "": false, "001": false,
	}
	for code, want := range tests {
		if got := contact.ValidCountry(code); got != want {
			t.Errorf("ValidCountry(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{name: "email", got: contact.MaskEmail("ana@example.org"), want: "a***@example.org"},
		{name: "email, multi-byte first letter", got: contact.MaskEmail("élise@example.org"), want: "é***@example.org"},
		{name: "not an email", got: contact.MaskEmail("nobody"), want: "***"},
		{name: "phone", got: contact.MaskPhone("+5511987654321"), want: "+55*******4321"},
		{name: "GB phone", got: contact.MaskPhone("+447400123456"), want: "+44******3456"},
		{name: "short", got: contact.MaskPhone("+4412"), want: "*****"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
