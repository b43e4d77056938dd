package api

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// badUTF8Field returns the field, named as field errors name them
// ("consent.text", "audience.countries"), of the first string of a JSON body
// that is not valid UTF-8. encoding/json replaces such bytes with U+FFFD
// without a word, so a name sent in Latin-1 would be stored garbled; the API
// refuses it instead (422), naming the field. It reports false for a body that
// is valid UTF-8, or that is not JSON (the decoder has said so already).
func badUTF8Field(body []byte) (string, bool) {
	if utf8.Valid(body) {
		return "", false
	}
	w := jsonWalk{dec: json.NewDecoder(bytes.NewReader(body)), body: body}
	return w.find()
}

// jsonWalk walks a JSON document token by token, knowing where it is.
type jsonWalk struct {
	dec   *json.Decoder
	body  []byte
	stack []jsonFrame
}

// jsonFrame is one open object or array.
type jsonFrame struct {
	object    bool
	expectKey bool   // in an object: the next string is a member name
	key       string // in an object: the member being read
}

func (w *jsonWalk) find() (string, bool) {
	for {
		start := w.dec.InputOffset()
		tok, err := w.dec.Token()
		if err != nil {
			return "", false
		}
		raw := w.body[start:w.dec.InputOffset()]
		switch t := tok.(type) {
		case json.Delim:
			w.delim(t)
		case string:
			if field, bad := w.str(t, utf8.Valid(raw)); bad {
				return field, true
			}
		default:
			w.valueDone()
		}
	}
}

func (w *jsonWalk) delim(d json.Delim) {
	switch d {
	case '{', '[':
		w.stack = append(w.stack, jsonFrame{object: d == '{', expectKey: d == '{'})
	default:
		w.stack = w.stack[:len(w.stack)-1]
		w.valueDone()
	}
}

// str takes a string token: a member name or a value.
func (w *jsonWalk) str(s string, valid bool) (string, bool) {
	if n := len(w.stack); n > 0 && w.stack[n-1].object && w.stack[n-1].expectKey {
		if !valid {
			return w.path(), true
		}
		w.stack[n-1].key, w.stack[n-1].expectKey = s, false
		return "", false
	}
	if !valid {
		return w.path(), true
	}
	w.valueDone()
	return "", false
}

// valueDone notes that a member's value has been read.
func (w *jsonWalk) valueDone() {
	if n := len(w.stack); n > 0 && w.stack[n-1].object {
		w.stack[n-1].expectKey = true
	}
}

// path names where the walk is: the member names of the open objects, joined
// by dots; arrays add nothing, as field errors name a list by its member.
func (w *jsonWalk) path() string {
	var keys []string
	for _, f := range w.stack {
		if f.object && !f.expectKey {
			keys = append(keys, f.key)
		}
	}
	if len(keys) == 0 {
		return "body"
	}
	return strings.Join(keys, ".")
}
