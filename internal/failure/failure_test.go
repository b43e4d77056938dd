package failure

import (
	"errors"
	"fmt"
	"testing"
)

func TestClassOf(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{"unclassified is transient", base, Transient},
		{"classified", New(Recipient, "21211", base), Recipient},
		{"wrapped classified", fmt.Errorf("send: %w", New(Config, "20003", base)), Config},
		{"rate limited", &Error{Class: RateLimited, Code: "20429", Err: base}, RateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassOf(tt.err); got != tt.want {
				t.Fatalf("ClassOf = %q, want %q", got, tt.want)
			}
		})
	}
	if !errors.Is(New(Transient, "x", base), base) {
		t.Fatal("Error does not unwrap to its cause")
	}
}
