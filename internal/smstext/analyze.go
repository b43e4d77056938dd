package smstext

// Encoding is the character encoding a carrier uses for a message.
type Encoding string

// The two encodings of an SMS body.
const (
	// GSM7 packs each character of the GSM 03.38 alphabet in 7 bits.
	GSM7 Encoding = "GSM-7"
	// UCS2 spends 16 bits per UTF-16 code unit; any character outside GSM-7
	// forces it on the whole message.
	UCS2 Encoding = "UCS-2"
)

// Segment capacities in units: a message that fits one segment uses all of
// it; a longer one is split into parts that each lose room to the
// concatenation header.
const (
	gsmSingle = 160
	gsmPart   = 153
	ucsSingle = 70
	ucsPart   = 67
)

// Info is what a body costs to send.
type Info struct {
	// Encoding is GSM7 when every character is in the GSM-7 alphabet.
	Encoding Encoding
	// Units counts septets for GSM7 (an extension character counts two) and
	// UTF-16 code units for UCS2 (a character outside the BMP counts two).
	Units int
	// Segments is the number of billed parts; 0 for an empty body.
	Segments int
}

// Analyze returns the encoding, length and segment count of body. An empty
// body has 0 segments: Twilio refuses a message without a body, so nothing
// is sent or billed. Segments are counted by packing, as carriers split: an
// extension character's two septets or a surrogate pair's two units never
// straddle two parts, so a part may carry 152 septets or 66 units.
func Analyze(body string) Info {
	if n, ok := gsmUnits(body); ok {
		return Info{Encoding: GSM7, Units: n, Segments: segments(body, n, septets, gsmSingle, gsmPart)}
	}
	n := 0
	for _, r := range body {
		n += utf16Units(r)
	}
	return Info{Encoding: UCS2, Units: n, Segments: segments(body, n, utf16Units, ucsSingle, ucsPart)}
}

// segments counts the parts of body, whose length is units as measured by
// size: none when empty, one when it fits single, else as many parts of at
// most part units as packing whole characters takes.
func segments(body string, units int, size func(rune) int, single, part int) int {
	switch {
	case units == 0:
		return 0
	case units <= single:
		return 1
	}
	parts, used := 1, 0
	for _, r := range body {
		n := size(r)
		if used+n > part {
			parts, used = parts+1, 0
		}
		used += n
	}
	return parts
}

// utf16Units returns how many UTF-16 code units r takes. Invalid UTF-8 has
// already become U+FFFD when ranging over a string, which takes one.
func utf16Units(r rune) int {
	if r > 0xFFFF {
		return 2
	}
	return 1
}
