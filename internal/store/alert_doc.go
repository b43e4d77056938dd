package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// alertDoc is how an alert's structured fields are stored: JSON text, "" when
// empty, and the channels comma-separated in AllChannels order.
type alertDoc struct {
	content, data, audience, channels, blocked string
}

func encodeAlert(a Alert) (alertDoc, error) {
	channels, err := encodeChannels(a.Channels)
	if err != nil {
		return alertDoc{}, err
	}
	doc := alertDoc{channels: channels}
	var errs [4]error
	doc.content, errs[0] = encodeJSON(a.Content, len(a.Content) == 0)
	doc.data, errs[1] = encodeJSON(a.Data, len(a.Data) == 0)
	doc.audience, errs[2] = encodeJSON(a.Audience, a.Audience.empty())
	doc.blocked, errs[3] = encodeJSON(a.Blocked, len(a.Blocked) == 0)
	return doc, errors.Join(errs[:]...)
}

// encodeChannels keeps the known channels asked for, once each and in
// AllChannels order; there must be at least one.
func encodeChannels(chs []Channel) (string, error) {
	var names []string
	for _, ch := range chs {
		if !ch.Valid() {
			return "", fmt.Errorf("unknown channel %q", ch)
		}
	}
	for _, ch := range AllChannels() {
		if slices.Contains(chs, ch) {
			names = append(names, string(ch))
		}
	}
	if len(names) == 0 {
		return "", errors.New("an alert needs at least one channel")
	}
	return strings.Join(names, ","), nil
}

func encodeJSON(v any, empty bool) (string, error) {
	if empty {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func (d alertDoc) decodeInto(a *Alert) error {
	for _, name := range strings.Split(d.channels, ",") {
		a.Channels = append(a.Channels, Channel(name))
	}
	return errors.Join(decodeJSON(d.content, &a.Content), decodeJSON(d.data, &a.Data),
		decodeJSON(d.audience, &a.Audience), decodeJSON(d.blocked, &a.Blocked))
}

func decodeJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// empty reports whether the audience is everyone.
func (a Audience) empty() bool {
	return len(a.Countries) == 0 && len(a.Tags) == 0 && len(a.Locales) == 0
}
