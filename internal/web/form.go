package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// maxFormBytes bounds the body of the join form.
const maxFormBytes = 64 << 10

// form is the join form as posted (application/x-www-form-urlencoded).
type form struct {
	Name, Email, Phone, Country, Locale string
	Channels                            []string
	Consent                             bool
	// Website is the honeypot: a field people do not see, which bots fill.
	Website string
}

// Has reports whether channel ch is ticked.
func (f form) Has(ch store.Channel) bool { return slices.Contains(f.Channels, string(ch)) }

// readForm parses the posted form, at most maxFormBytes of it.
func readForm(w http.ResponseWriter, r *http.Request) (form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return form{}, &pageError{status: http.StatusRequestEntityTooLarge, page: pageTooLarge, err: err}
		}
		return form{}, &pageError{status: http.StatusBadRequest, page: pageBadForm, err: err}
	}
	return formOf(r.PostForm), nil
}

// formOf reads the fields of the join form. A ticked box sends its field
// whatever its value, so consent is the field being there.
func formOf(v url.Values) form {
	return form{
		Name: v.Get("name"), Email: v.Get("email"), Phone: v.Get("phone"),
		Country: v.Get("country"), Locale: v.Get("locale"),
		Channels: v["channels"], Consent: v.Has("consent"), Website: v.Get("website"),
	}
}

// fieldError is one error of the join form, in the page's language.
type fieldError struct {
	Field   string // one of formFields, or "" for an error of the whole form
	Message string
}

// Target is the id of the input the error summary links to.
func (e fieldError) Target() string {
	switch e.Field {
	case "":
		return "join"
	case "channels":
		return "channel-email"
	}
	return e.Field
}

// formFields lists the fields of the join form that can be wrong, in the
// order the page shows them.
func formFields() []string {
	return []string{"name", "email", "country", "phone", "channels", "consent"}
}

// validate checks the form as the API checks a supporter (supporter.Input),
// after what only the page asks for: a channel, the contact each channel
// needs, and consent. consent is the label of the consent box, ip the
// client's address; they become the subscriptions' evidence.
func validate(f form, l *lang, consent, ip string) (store.Join, []fieldError) {
	in := supporter.Input{
		Email: f.Email, Phone: f.Phone, Name: f.Name, Locale: localeOf(f.Locale, l), Country: f.Country,
		Channels: f.Channels, Consent: supporter.Consent{Source: supporter.SourceForm, Text: consent, IP: ip},
	}
	up, apiErrs := in.Upsert(supporter.SourceForm)
	errs := pageErrors(f)
	for _, e := range apiErrs {
		if k := explain(f, e.Field); !covered(errs, k) {
			errs = append(errs, k)
		}
	}
	if len(errs) > 0 {
		return store.Join{}, localize(errs, l)
	}
	j := store.Join{Supporter: up.Supporter}
	for _, sub := range up.Subscriptions {
		j.Channels = append(j.Channels, sub.Channel)
		j.ConsentText, j.ConsentIP = sub.ConsentText, sub.ConsentIP
	}
	return j, nil
}

// localeOf is the supporter's locale: the one posted (the page's language,
// or what a script sends) when it is a language tag, else the page's.
func localeOf(posted string, l *lang) string {
	if loc, err := supporter.Locale(posted); err == nil && loc != "" {
		return loc
	}
	return l.Code
}

// covered reports whether errs already say what k says: an error on the same
// field or, for the API's "email or phone is required" and "sms needs a phone
// number", the page's own error on the other contact.
func covered(errs []fieldErrorKey, k fieldErrorKey) bool {
	var related []string
	switch {
	case k.key == "error.contact_required":
		related = []string{"phone"}
	case k.field == "channels":
		related = []string{"email", "phone"}
	}
	return slices.ContainsFunc(errs, func(e fieldErrorKey) bool {
		return e.field == k.field || slices.Contains(related, e.field)
	})
}

// fieldErrorKey is an error of the join form before it is put into words.
type fieldErrorKey struct{ field, key string }

// pageErrors returns what the page asks for beyond the API.
func pageErrors(f form) []fieldErrorKey {
	var errs []fieldErrorKey
	hasEmail, hasPhone := strings.TrimSpace(f.Email) != "", strings.TrimSpace(f.Phone) != ""
	switch {
	case len(f.Channels) == 0:
		errs = append(errs, fieldErrorKey{"channels", "error.channels_required"})
	case f.Has(store.ChannelEmail) && !hasEmail:
		errs = append(errs, fieldErrorKey{"email", "error.email_required"})
	}
	if f.Has(store.ChannelSMS) && !hasPhone {
		errs = append(errs, fieldErrorKey{"phone", "error.phone_required"})
	}
	if !f.Consent {
		errs = append(errs, fieldErrorKey{"consent", "error.consent_required"})
	}
	return errs
}

// explain returns the page's field and words for a field error of
// supporter.Input, worded from what the form holds rather than from the
// API's English message.
func explain(f form, field string) fieldErrorKey {
	switch field {
	case "email":
		if strings.TrimSpace(f.Email) == "" {
			return fieldErrorKey{"email", "error.contact_required"}
		}
		return fieldErrorKey{"email", "error.email_invalid"}
	case "phone":
		if strings.TrimSpace(f.Country) != "" {
			return fieldErrorKey{"phone", "error.phone_invalid_country"}
		}
		return fieldErrorKey{"phone", "error.phone_invalid"}
	case "country", "name", "channels":
		return fieldErrorKey{field, "error." + field + "_invalid"}
	}
	return fieldErrorKey{"", "error.generic"}
}

// localize puts errs into words, in the order the page shows the fields.
func localize(errs []fieldErrorKey, l *lang) []fieldError {
	order := formFields()
	slices.SortStableFunc(errs, func(a, b fieldErrorKey) int {
		return rank(order, a.field) - rank(order, b.field)
	})
	out := make([]fieldError, 0, len(errs))
	for _, e := range errs {
		msg, err := l.T(e.key)
		if err != nil {
			msg = e.key // New checked every key; this is only a safety net
		}
		out = append(out, fieldError{Field: e.field, Message: msg})
	}
	return out
}

// rank is the position of field in order; unknown fields go last.
func rank(order []string, field string) int {
	if i := slices.Index(order, field); i >= 0 {
		return i
	}
	return len(order)
}
