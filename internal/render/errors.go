package render

import "errors"

// Sentinel errors wrapped by Email, SMS and New; check them with errors.Is.
var (
	// ErrUnknownTemplate means the message names a template that does not exist.
	ErrUnknownTemplate = errors.New("unknown template")
	// ErrNoVariant means neither the supporter's locale, the campaign's nor English
	// has a variant.
	ErrNoVariant = errors.New("no variant for locale")
	// ErrNoChannel means the template or content has nothing for the channel asked.
	ErrNoChannel = errors.New("no such channel")
	// ErrNoContent means the message has neither a template nor content, or both.
	ErrNoContent = errors.New("message needs a template or content, not both")
)

// FieldError is a validation failure of one field of an alert, for a 422 answer.
// Field is one of "template", "content", "channels" and "audience.locales".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns the field and the message.
func (e *FieldError) Error() string { return e.Field + ": " + e.Message }
