package twiliotest

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// The GSM 03.38 alphabet: the basic set costs one septet per character, the
// extension set two (an escape and the character).
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtension = "\f^{}\\[~]|€"
)

// segments returns how many SMS parts body takes, as Twilio's num_segments:
// GSM-7 fits 160 septets in one part and 153 per part when concatenated;
// anything else is UCS-2, 70 code units in one part and 67 per part.
func segments(body string) string {
	septets, gsm := 0, true
	for _, r := range body {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			septets++
		case strings.ContainsRune(gsmExtension, r):
			septets += 2
		default:
			gsm = false
		}
	}
	if gsm {
		return strconv.Itoa(parts(septets, 160, 153))
	}
	return strconv.Itoa(parts(len(utf16.Encode([]rune(body))), 70, 67))
}

func parts(units, single, multi int) int {
	if units <= single {
		return 1
	}
	return (units + multi - 1) / multi
}
