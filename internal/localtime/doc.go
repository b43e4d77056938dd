// Package localtime writes the moment of an action the way a supporter reads it:
// in their zone and language, with the zone named so nobody has to guess which
// one is meant, for example "sábado, 8 de outubro, 09:00 (UTC-03:00, Sao Paulo)"
// or "Saturday, October 8, 1:00 pm (Eastern Daylight Time)".
//
// Names and patterns come from CLDR through github.com/go-playground/locales, for
// a curated set of languages and regions (see curated); a locale outside it falls
// back along CLDR's parent chain (es-PE to es, pt-AO to pt-PT, en-PH to en-001),
// then to a close language when golang.org/x/text/language is confident (gsw to
// de), else to English.
//
// Decisions:
//   - The year is left out: an alert is about the coming days, and the output is
//     the same whatever the day it is rendered. The date is CLDR's full date
//     pattern with the year field and the literal joining it to the previous field
//     cut out (", 2022", " de 2022", " 2022"), so each locale keeps its own order
//     and punctuation ("8. Oktober", "October 8").
//   - The time is CLDR's short time, hence 12 or 24 hours as the locale writes it.
//     en_AU's generated data has blank day periods, so a locale whose short time
//     comes out blank-edged takes its times from its CLDR parent.
//   - Date, time and zone are joined as "date, time (zone)" in every language;
//     CLDR's own joiners ("à", "at", "um") are not exposed by the library.
//   - The zone label is CLDR's localized name when the tzdata abbreviation and its
//     UTC offset are the ones CLDR means: tzdata's IST is also Ireland and Israel,
//     CST also China and Cuba, PST also Manila, and those keep their abbreviation.
//     Otherwise it is the abbreviation when alphabetic (BST, CEST, NDT). Otherwise
//     (tzdata's "-03") it is the offset from UTC and the zone's city as the IANA
//     name spells it: "UTC-03:00, Sao Paulo", "UTC+05:45, Kathmandu". The minus
//     is ASCII so that an English SMS stays in the GSM-7 alphabet; the city is
//     not translated because the library has no exemplar cities.
//
// Guess infers the zone of a supporter who has none, from the phone number and the
// country, and answers only when they point to a single zone.
package localtime
