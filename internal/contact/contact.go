// Package contact normalizes and masks the ways of reaching a supporter: email
// addresses and phone numbers, and the countries phone numbers belong to.
package contact

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// maxEmailLen is the longest address SMTP can carry (RFC 5321 path limit less the brackets).
const maxEmailLen = 254

// NormalizeEmail parses a bare email address ("ana@example.org", no display
// name) and returns it as Muster stores and compares it: lower-cased whole,
// local part included (FoldEmail), since an address is one person whatever its
// case. The domain must contain a dot.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is empty")
	}
	if len(s) > maxEmailLen {
		return "", fmt.Errorf("is longer than %d characters", maxEmailLen)
	}
	if !utf8.ValidString(s) {
		return "", errors.New("is not valid UTF-8")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return "", errors.New("is not an email address")
	}
	if addr.Address != s {
		return "", errors.New("must be a bare address such as ana@example.org, without a name or brackets")
	}
	s = FoldEmail(s)
	if !validDomain(s[strings.LastIndexByte(s, '@')+1:]) {
		return "", errors.New("has no valid domain (such as example.org)")
	}
	return s, nil
}

// FoldEmail is the one case folding of email addresses: every lookup,
// uniqueness check and suppression hash compares addresses folded by it. It
// lower-cases the whole address, the local part too: RFC 5321 lets a mailbox
// tell Ana from ana, but no provider people use does, and a person who typed
// their address twice in two cases is one person. The letters are folded by
// Unicode's simple lower-case mapping, so an internationalized local part
// folds too.
func FoldEmail(addr string) string {
	return strings.ToLower(addr)
}

// validDomain reports whether d looks like a public domain: dotted, with no empty label.
func validDomain(d string) bool {
	if !strings.Contains(d, ".") {
		return false
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" {
			return false
		}
	}
	return true
}

// NormalizePhone parses a phone number and returns it in E.164. A number in
// full international form (+ and the country code) is valid when it is valid
// anywhere, whatever country says: the country is the person's, and a French
// mobile of someone living in Canada is still a French mobile. A national
// number is read in country (ISO 3166-1 alpha-2) and must be valid there;
// without a country, a national number is refused.
func NormalizePhone(s, country string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is empty")
	}
	region := strings.ToUpper(country)
	if strings.HasPrefix(s, "+") {
		region = "ZZ" // libphonenumber's "unknown region": the number's own code decides
	} else if region == "" {
		return "", errors.New("must start with + and the country code, or come with a country")
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", errors.New("is not a phone number")
	}
	if region != "ZZ" && !phonenumbers.IsValidNumberForRegion(n, region) {
		return "", fmt.Errorf("is not a valid number for %s", region)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", errors.New("is not a valid phone number")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// PhoneCountry returns the country (ISO 3166-1 alpha-2) of an E.164 number, or
// "" when it cannot be told.
func PhoneCountry(e164 string) string {
	n, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return ""
	}
	r := phonenumbers.GetRegionCodeForNumber(n)
	if r == "" || r == phonenumbers.UNKNOWN_REGION || r == "001" {
		return ""
	}
	return r
}

// ValidCountry reports whether code is an upper-case ISO 3166-1 alpha-2 code of
// a place with phone numbers (libphonenumber's regions, which add AC, TA and XK),
// or one of the few uninhabited territories that have none.
func ValidCountry(code string) bool {
	if len(code) != 2 || strings.ToUpper(code) != code {
		return false
	}
	switch code {
	case "AQ", "BV", "GS", "HM", "PN", "TF", "UM":
		return true
	}
	return phonenumbers.GetSupportedRegions()[code]
}

// MaskEmail hides all of an address but its first character and its domain,
// for logs: "ana@example.org" -> "a***@example.org".
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 1 {
		return "***"
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n] + "***" + s[at:]
}

// MaskPhone hides the middle of a number, for logs: "+5511987654321" -> "+55*******4321".
func MaskPhone(s string) string {
	const head, tail = 3, 4
	if len(s) < head+tail+1 {
		return strings.Repeat("*", len(s))
	}
	return s[:head] + strings.Repeat("*", len(s)-head-tail) + s[len(s)-tail:]
}
