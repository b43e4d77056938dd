package smstext

import "strings"

// basicSet is the GSM 03.38 default alphabet in code order, without the
// escape at 0x1B. Each of its characters takes one septet.
const basicSet = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// extensionSet is the GSM 03.38 extension table. Each of its characters takes
// two septets, the escape and the character, which travel together.
const extensionSet = "\f^{}\\[~]|€"

// septets returns how many septets r takes in GSM-7, or 0 when GSM-7 cannot
// carry it. Look-alikes are not mapped: a Greek capital Alpha is not an A to
// the handset that renders it.
func septets(r rune) int {
	switch {
	case strings.ContainsRune(extensionSet, r):
		return 2
	case r >= ' ' && r <= '~' && r != '`', strings.ContainsRune(basicSet, r):
		return 1
	}
	return 0
}

// gsmUnits returns the septets body takes in GSM-7, and false when some
// character of body is outside the GSM-7 alphabet.
func gsmUnits(body string) (int, bool) {
	n := 0
	for _, r := range body {
		s := septets(r)
		if s == 0 {
			return 0, false
		}
		n += s
	}
	return n, true
}
