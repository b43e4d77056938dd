package render

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Check validates an alert at enqueue time, before anyone is sent anything: the
// template exists and has every channel asked for, or the inline content has what
// each channel needs in every locale; and each targeted locale (or, with none
// targeted, the campaign's) reaches a variant through the fallback chain. The
// error is a *FieldError naming the field to blame.
func (r *Renderer) Check(m Message, channels, locales []string, campaignLocale string) error {
	if err := checkChannels(channels); err != nil {
		return err
	}
	var ch *chooser
	var field, what string
	switch {
	case m.Template != "" && len(m.Content) > 0:
		return &FieldError{Field: "template", Message: "give a template or content, not both"}
	case m.Template != "":
		n, ok := r.named[m.Template]
		if !ok || strings.HasPrefix(m.Template, systemPrefix) {
			return &FieldError{Field: "template", Message: fmt.Sprintf("unknown template %q", m.Template)}
		}
		for _, c := range channels {
			if !n.has(c) {
				return &FieldError{Field: "channels", Message: fmt.Sprintf("template %q has no %s channel", m.Template, c)}
			}
		}
		if err := r.tryData(n, m, channels); err != nil {
			return err
		}
		ch, field, what = n.chooser, "template", fmt.Sprintf("template %q", m.Template)
	case len(m.Content) > 0:
		if err := checkContent(m.Content, channels); err != nil {
			return err
		}
		ch, _ = r.choosers.of(m.Content)
		field, what = "content", "content"
	default:
		return &FieldError{Field: "template", Message: "give a template or content"}
	}
	return checkLocales(ch, locales, campaignLocale, field, what)
}

// tryData renders every variant of the template on each channel with the
// alert's data, so that data the template cannot use (a string where it
// ranges over a list) is refused now rather than failing every send.
func (r *Renderer) tryData(n *named, m Message, channels []string) error {
	for _, locale := range n.chooser.locales {
		p := Person{Name: "Alex Example", Locale: locale}
		c := Campaign{Name: "Campaign", Locale: locale}
		for _, ch := range channels {
			var err error
			if ch == ChannelSMS {
				_, err = r.SMS(m, c, p)
			} else {
				_, err = r.Email(m, c, p)
			}
			if err != nil {
				return &FieldError{Field: "data", Message: fmt.Sprintf("template %q cannot render this data (%s, %s): %v", m.Template, locale, ch, err)}
			}
		}
	}
	return nil
}

func checkChannels(channels []string) error {
	if len(channels) == 0 {
		return &FieldError{Field: "channels", Message: "name at least one channel"}
	}
	for _, c := range channels {
		if c != ChannelEmail && c != ChannelSMS {
			return &FieldError{Field: "channels", Message: fmt.Sprintf("unknown channel %q (want email or sms)", c)}
		}
	}
	return nil
}

// checkContent wants every locale to parse and to have what each channel needs.
func checkContent(content map[string]Content, channels []string) error {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := language.Parse(k); err != nil {
			return &FieldError{Field: "content", Message: fmt.Sprintf("%q is not a BCP 47 locale", k)}
		}
		c := content[k]
		var missing []string
		if slices.Contains(channels, ChannelEmail) {
			missing = appendBlank(missing, "subject", c.Subject)
			missing = appendBlank(missing, "body", c.Body)
		}
		if slices.Contains(channels, ChannelSMS) {
			missing = appendBlank(missing, "sms", c.SMS)
		}
		if len(missing) > 0 {
			return &FieldError{Field: "content", Message: fmt.Sprintf("content.%s lacks %s", k, strings.Join(missing, " and "))}
		}
	}
	return nil
}

func appendBlank(to []string, name, value string) []string {
	if strings.TrimSpace(value) == "" {
		return append(to, name)
	}
	return to
}

// checkLocales wants each targeted locale, or the campaign's when none is, to reach
// a variant: itself, then the campaign's locale, then English.
func checkLocales(ch *chooser, locales []string, campaign, field, what string) error {
	has := strings.Join(ch.locales, ", ")
	if len(locales) == 0 {
		if _, ok := ch.choose(campaign, ""); !ok {
			return &FieldError{Field: field, Message: fmt.Sprintf("%s has no variant for the campaign locale %q nor en (it has %s)", what, campaign, has)}
		}
		return nil
	}
	for _, l := range locales {
		if _, err := language.Parse(l); err != nil {
			return &FieldError{Field: "audience.locales", Message: fmt.Sprintf("%q is not a BCP 47 locale", l)}
		}
		if _, ok := ch.choose(l, campaign); !ok {
			return &FieldError{Field: "audience.locales", Message: fmt.Sprintf("%s has no variant for %q, the campaign locale %q nor en (it has %s)", what, l, campaign, has)}
		}
	}
	return nil
}
