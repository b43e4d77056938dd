package render

// Channel names, as the API spells them.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Content is one locale's inline alert content, written by an organizer. It is data,
// never a template: only the placeholders listed on Message are replaced in it.
type Content struct {
	Subject string `json:"subject"`
	Body    string `json:"body"` // Markdown
	SMS     string `json:"sms"`
}

// Message is what to render: either a named Template, or inline Content keyed by
// locale (BCP 47), together with the alert's Data.
//
// Inline content may use these placeholders, replaced as plain text (HTML-escaped in
// the HTML part, never read as Markdown or HTML); anything else stays verbatim:
//
//	{{first_name}}   the supporter's first name, or a friendly word in their language
//	{{campaign}}     the campaign's name
//	{{data.KEY}}     Data["KEY"]
//	{{when.KEY}}     Data["KEY"] read as an RFC 3339 time, in the supporter's time zone
type Message struct {
	Template string
	Content  map[string]Content
	Data     map[string]any
}

// Campaign is what rendering needs to know about the campaign an alert belongs to.
type Campaign struct {
	Name     string
	Locale   string // BCP 47; the fallback after the supporter's locale
	Timezone string // IANA; used when the supporter has none
	Footer   string // postal address or legal notice under every email; may be empty
	// OptOut ends every SMS with the opt-out line of its language ("Reply STOP
	// to opt out").
	OptOut bool
}

// Person is what rendering needs to know about one supporter.
type Person struct {
	Name     string
	Locale   string // BCP 47, e.g. "es-AR"
	Timezone string // IANA, e.g. "America/Sao_Paulo"
	// UnsubscribeURL is this supporter's signed link, shown in the email's footer
	// when not empty.
	UnsubscribeURL string
}

// Email is one rendered email.
type Email struct {
	Locale  string // the variant's locale, e.g. "es"
	Subject string
	HTML    string
	Text    string
}

// SMS is one rendered text message.
type SMS struct {
	Locale string
	Body   string
}
