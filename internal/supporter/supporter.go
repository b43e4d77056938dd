// Package supporter validates what organizers say about a supporter, through
// the API or a CSV import alike, and turns it into a store upsert.
package supporter

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/muster-org/muster/internal/contact"
	"github.com/muster-org/muster/internal/localtime"
	"github.com/muster-org/muster/internal/store"
)

// Limits on free-text fields, in characters.
const (
	maxName        = 200
	maxTag         = 64
	maxTags        = 100
	maxConsentText = 2000
)

// The consent sources a subscription may record.
const (
	SourceForm       = "form"
	SourceAPI        = "api"
	SourceImport     = "import"
	SourceSMSKeyword = "sms_keyword"
)

// Input is one supporter as an organizer describes them: the body of the
// upsert endpoint, or one row of a CSV import.
type Input struct {
	Email     string   `json:"email"`
	Phone     string   `json:"phone"`
	Name      string   `json:"name"`
	Locale    string   `json:"locale"`
	Country   string   `json:"country"`
	Timezone  string   `json:"timezone"`
	Tags      []string `json:"tags"`
	Channels  []string `json:"channels"`
	Consent   Consent  `json:"consent"`
	Confirmed bool     `json:"confirmed"`
}

// Consent is the evidence of a supporter's opt-in.
type Consent struct {
	Source string `json:"source"`
	Text   string `json:"text"`
	IP     string `json:"ip"`
}

// FieldError says what is wrong with one field; Field uses the JSON names
// ("email", "consent.text").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Upsert validates and normalizes in. It returns every field error at once;
// the upsert is only meaningful when there are none. defaultSource is the
// consent source recorded when in does not name one.
func (in Input) Upsert(defaultSource string) (store.SupporterUpsert, []FieldError) {
	var v validator
	s := v.supporter(in)
	subs := v.subscriptions(in, defaultSource)
	if len(v.errs) > 0 {
		return store.SupporterUpsert{}, v.errs
	}
	return store.SupporterUpsert{Supporter: s, Subscriptions: subs}, nil
}

// validator collects field errors.
type validator struct{ errs []FieldError }

func (v *validator) add(field, msg string) { v.errs = append(v.errs, FieldError{field, msg}) }

func (v *validator) check(field string, err error) {
	if err != nil {
		v.add(field, err.Error())
	}
}

// supporter normalizes the person's own fields.
func (v *validator) supporter(in Input) store.Supporter {
	var s store.Supporter
	var err error
	s.Country, err = Country(in.Country)
	v.check("country", err)
	if in.Email != "" {
		s.Email, err = contact.NormalizeEmail(in.Email)
		v.check("email", err)
	}
	if in.Phone != "" {
		s.Phone, err = contact.NormalizePhone(in.Phone, s.Country)
		v.check("phone", err)
	}
	if strings.TrimSpace(in.Email) == "" && strings.TrimSpace(in.Phone) == "" {
		v.add("email", "email or phone is required")
	}
	s.Name, err = name(in.Name)
	v.check("name", err)
	s.Locale, err = Locale(in.Locale)
	v.check("locale", err)
	s.Timezone, err = Timezone(in.Timezone)
	v.check("timezone", err)
	s.Tags, err = Tags(in.Tags)
	v.check("tags", err)
	infer(&s)
	return s
}

// infer fills the country and time zone the phone number or country tell
// unambiguously. The campaign's zone is not stored as a guess: senders fall
// back to it when the supporter's is empty, and a later, better answer is
// never overwritten by it. The country given is the person's and is kept;
// when the phone belongs to another country (a French mobile of someone
// living in Canada), the zone is the phone's own, since the phone is where the
// SMS and its quiet hours land.
func infer(s *store.Supporter) {
	phoneCountry := ""
	if s.Phone != "" {
		phoneCountry = contact.PhoneCountry(s.Phone)
	}
	if s.Country == "" {
		s.Country = phoneCountry
	}
	if s.Timezone != "" {
		return
	}
	country := s.Country
	if phoneCountry != "" && phoneCountry != s.Country {
		country = ""
	}
	s.Timezone, _ = localtime.Guess(s.Phone, country)
}

// subscriptions works out the subscriptions asked for and their starting status.
func (v *validator) subscriptions(in Input, defaultSource string) []store.SubscriptionInput {
	source := in.Consent.Source
	if source == "" {
		source = defaultSource
	}
	if !validSource(source) {
		v.add("consent.source", "must be one of form, api, import, sms_keyword")
	}
	text, err := FreeText(in.Consent.Text, maxConsentText)
	v.check("consent.text", err)
	hasConsent := strings.TrimSpace(in.Consent.Text) != "" // a bad text is reported once, above
	ip, err := IP(in.Consent.IP)
	v.check("consent.ip", err)
	channels := v.channels(in)
	subs := make([]store.SubscriptionInput, 0, len(channels))
	for _, ch := range channels {
		st := v.status(ch, in.Confirmed, hasConsent)
		subs = append(subs, store.SubscriptionInput{
			Channel: ch, Status: st, Source: source, ConsentText: text, ConsentIP: ip,
		})
	}
	return subs
}

// channels returns the channels asked for, or every channel the supporter can
// be reached on when none is named.
func (v *validator) channels(in Input) []store.Channel {
	hasEmail := strings.TrimSpace(in.Email) != ""
	hasPhone := strings.TrimSpace(in.Phone) != ""
	if len(in.Channels) == 0 {
		var chs []store.Channel
		if hasEmail {
			chs = append(chs, store.ChannelEmail)
		}
		if hasPhone {
			chs = append(chs, store.ChannelSMS)
		}
		return chs
	}
	chs, err := Channels(in.Channels)
	if err != nil {
		v.add("channels", err.Error())
		return nil
	}
	reachable := chs[:0]
	for _, ch := range chs {
		switch {
		case ch == store.ChannelEmail && !hasEmail:
			v.add("channels", "email needs an email address")
		case ch == store.ChannelSMS && !hasPhone:
			v.add("channels", "sms needs a phone number")
		default:
			reachable = append(reachable, ch)
		}
	}
	return reachable
}

// status is the status a new subscription on ch starts with. Email waits for
// the double opt-in unless the organizer attests one; SMS needs consent evidence.
func (v *validator) status(ch store.Channel, confirmed, hasConsent bool) store.SubscriptionStatus {
	switch {
	case confirmed:
		return store.SubActive
	case ch == store.ChannelEmail:
		return store.SubPending
	case !hasConsent:
		v.add("consent.text", "sms needs consent evidence: the consent text the supporter agreed to, or confirmed: true")
	}
	return store.SubActive
}

func validSource(s string) bool {
	switch s {
	case SourceForm, SourceAPI, SourceImport, SourceSMSKeyword:
		return true
	}
	return false
}

// name trims a display name and checks it as free text.
func name(s string) (string, error) {
	return FreeText(s, maxName)
}

// Country upper-cases an ISO 3166-1 alpha-2 code and checks it; "" stays "".
func Country(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s != "" && !contact.ValidCountry(s) {
		return "", errors.New("is not an ISO 3166-1 alpha-2 country code (such as BR)")
	}
	return s, nil
}

// Locale canonicalizes a BCP 47 language tag ("pt_br" -> "pt-BR"); "" stays "".
func Locale(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	tag, err := language.Parse(s)
	if err != nil || tag == language.Und {
		return "", errors.New("is not a BCP 47 language tag (such as es-AR)")
	}
	return tag.String(), nil
}

// Timezone checks an IANA time zone name; "" stays "".
func Timezone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if s == "Local" {
		return "", errors.New("must name an IANA time zone (such as Europe/London)")
	}
	if _, err := time.LoadLocation(s); err != nil {
		return "", errors.New("is not an IANA time zone (such as Europe/London)")
	}
	return s, nil
}

// Tags lower-cases, trims, sorts and de-duplicates tags.
func Tags(in []string) ([]string, error) {
	if len(in) > maxTags {
		return nil, errors.New("has more than 100 tags")
	}
	out := make([]string, 0, len(in))
	for _, t := range in {
		t, err := Tag(t)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Tag lower-cases and trims one tag, and checks it.
func Tag(t string) (string, error) {
	if !utf8.ValidString(t) {
		return "", errors.New("has a tag that is not valid UTF-8")
	}
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "":
		return "", errors.New("has an empty tag")
	case utf8.RuneCountInString(t) > maxTag:
		return "", errors.New("has a tag longer than 64 characters")
	case strings.ContainsAny(t, ";,") || strings.ContainsFunc(t, forbidden):
		return "", errors.New("has a tag with a comma, a semicolon or a control character")
	}
	return t, nil
}

// Channels parses channel names, dropping repeats; at least one is needed.
func Channels(in []string) ([]store.Channel, error) {
	if len(in) == 0 {
		return nil, errors.New("must name at least one channel (email, sms)")
	}
	var out []store.Channel
	for _, s := range in {
		ch := store.Channel(strings.ToLower(strings.TrimSpace(s)))
		if !ch.Valid() {
			return nil, fmt.Errorf("has an unknown channel %q; the channels are email and sms", s)
		}
		if !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	return out, nil
}

// IP checks an IPv4 or IPv6 address and returns its canonical form; "" stays "".
func IP(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return "", errors.New("is not an IP address")
	}
	return a.String(), nil
}

// AwaitReply makes the SMS subscriptions of up wait, pending, for the number to
// reply YES: the campaign asks for SMS double opt-in and nobody attested the
// consent (confirmed: true).
func AwaitReply(up *store.SupporterUpsert) {
	for i, sub := range up.Subscriptions {
		if sub.Channel == store.ChannelSMS && sub.Status == store.SubActive {
			up.Subscriptions[i].Status = store.SubPending
		}
	}
}
