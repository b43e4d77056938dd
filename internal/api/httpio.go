package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// decodeJSON reads a request body of at most cfg.MaxBodyBytes holding one
// JSON object into dst, refusing fields dst does not have.
func (s *server) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := requireContentType(r, "application/json"); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		if field, bad := badUTF8Field(body); bad {
			return invalid(fieldError{Field: field, Message: "is not valid UTF-8"})
		}
		return nil
	case err == nil:
		return fail(http.StatusBadRequest, "the body holds more than one JSON value")
	default:
		return decodeError(err)
	}
}

// decodeError turns a json.Decoder error into the problem that explains it.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return err
	case errors.Is(err, io.EOF):
		return fail(http.StatusBadRequest, "the body is empty; it must be a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fail(http.StatusBadRequest, "malformed JSON: the body ends in the middle of a value")
	case errors.As(err, &syntax):
		return fail(http.StatusBadRequest, fmt.Sprintf("malformed JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: ")))
	case errors.As(err, &typ) && typ.Field == "":
		return fail(http.StatusBadRequest, "the body must be a JSON object")
	case errors.As(err, &typ):
		return invalid(fieldError{Field: typ.Field, Message: "must be " + jsonKind(typ.Type)})
	}
	// encoding/json has no typed error for unknown fields (DisallowUnknownFields);
	// its message is the only place the field's name is.
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fail(http.StatusBadRequest, "unknown field "+field)
	}
	return fail(http.StatusBadRequest, "malformed JSON: "+strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names, for a client, the JSON kind a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "of another type"
}

// requireContentType answers 415 unless the request's media type is one of
// want; a charset, if given, must be UTF-8.
func requireContentType(r *http.Request, want ...string) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slices.Contains(want, mt) {
		return fail(http.StatusUnsupportedMediaType, "Content-Type must be "+strings.Join(want, " or "))
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fail(http.StatusUnsupportedMediaType, "the charset must be utf-8")
	}
	return nil
}

// respond writes v as a JSON response.
func respond(w http.ResponseWriter, status int, v any) error {
	return writeJSON(w, status, "application/json", v)
}

// writeJSON encodes v before writing anything, so that an encoding error can
// still be answered. An error writing the response (the client went away)
// cannot be answered, and is not returned.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// pathID parses the {id} path value; anything but a positive integer names no resource.
func pathID(r *http.Request, what string) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, fail(http.StatusNotFound, fmt.Sprintf("no %s %q", what, raw))
	}
	return id, nil
}
