package bounce

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse survives any input and keeps its promises: a
// known kind, and a non-empty address for every recipient.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Parse(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrNotReport) {
				t.Fatalf("Parse error = %v, want nil or ErrNotReport", err)
			}
			return
		}
		if !knownKind(rep.Kind) {
			t.Fatalf("report Kind = %q", rep.Kind)
		}
		for _, r := range rep.Recipients {
			if r.Address == "" || !knownKind(r.Kind) {
				t.Fatalf("bad recipient %+v", r)
			}
		}
	})
}

// knownKind reports whether k is one of the kinds Parse may return.
func knownKind(k Kind) bool {
	return k == Hard || k == Soft || k == Complaint
}
