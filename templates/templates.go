// Package templates holds Muster's message templates, embedded in the binary.
//
// Layout of the tree:
//
//	layout/email.html   the HTML frame of every email; it calls the "html" block
//	layout/email.txt    the plain-text frame of every email; it calls the "text" block
//	layout/<locale>.tmpl  the layout's words in one language: blocks "friend" (said to
//	                    a supporter with no name), "joined" (the footer line) and
//	                    "unsubscribe" (the unsubscribe link's label)
//	<name>/<locale>.tmpl  one named template in one language, e.g. mobilization/pt.tmpl
//	_<name>/<locale>.tmpl  a system template: a message Muster sends itself (the
//	                    double opt-in email, _confirm, whose data is confirm_url);
//	                    not listed by GET /v1/templates and not usable by alerts
//	<name>/sample.json  optional example data: the keys the template reads, which New
//	                    tries it with (needed when data holds lists or objects)
//
// A template's locale file defines some of the blocks "subject", "html", "text" and
// "sms". The email channel needs "subject", "html" and "text" together; the SMS
// channel needs "sms". Every locale of one template covers the same channels.
// The "html" block is parsed with html/template; the others with text/template.
//
// Each block sees:
//
//	.Data               the alert's data map; a missing key renders empty
//	.Person.FirstName   the first word of the supporter's name, or a friendly word
//	                    in the message's language when there is no name
//	.Campaign.Name      the campaign's name
//	.Locale             the locale of the variant being rendered, e.g. "pt"
//	.Subject            (layouts only) the rendered subject
//	.UnsubscribeURL     (layouts only) empty when there is none
//	.Footer             (layouts only) the campaign's postal/legal footer, or empty
//
// and the functions:
//
//	when $ "key"        the RFC 3339 time in .Data.key, in the supporter's time zone
//	                    (else the campaign's, else UTC); other strings as given
//	nl2br s             (HTML only) s escaped, with its line breaks kept
//
// The shipped templates and the data keys they read (* optional):
//
//	mobilization    title, starts_at*, place*, url*, details*
//	reminder        title, starts_at*, place*, url*, details*
//	change          title, status ("moved" or "cancelled"), starts_at*, place*,
//	                previous_starts_at*, previous_place*, url*, details*; for
//	                "cancelled", starts_at and place say what was planned
//	online-action   title, starts_at*, hashtags* (a list, without '#'), post*,
//	                target* (an account to mention, "@name"), url*
package templates

import (
	"embed"
	"io/fs"
)

// files is the one package-level variable: go:embed needs it.
//
//go:embed layout/* */*.tmpl */sample.json
var files embed.FS

// FS returns the embedded template tree, rooted so that "layout/email.html" and
// "mobilization/en.tmpl" are paths in it.
func FS() fs.FS { return files }
