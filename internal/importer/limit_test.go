package importer_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/importer"
)

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// filler is an endless run of one byte pattern, made as it is read.
type filler struct{ pattern string }

func (f filler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = f.pattern[i%len(f.pattern)]
	}
	return len(p), nil
}

// TestImportRecordTooLarge feeds a 90 MiB field and counts the bytes the
// import pulls from its reader: the record is refused while it is read, the
// rows before it are stored, and the report says where it stopped.
func TestImportRecordTooLarge(t *testing.T) {
	const head = "email,name\nana@example.org,Ana\nbo@example.org,Bo\n\n"
	tests := []struct {
		name  string
		field string // the pattern of the huge field
		open  string // what comes before it on its line
	}{
		{"one long line", "x", "cy@example.org,"},
		{"a quoted field of many lines", "x\n", `cy@example.org,"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, c := newCampaign(t)
			huge := io.LimitReader(filler{tt.field}, 90<<20)
			tail := strings.NewReader("\ndi@example.org,Di\n")
			src := &counter{r: io.MultiReader(strings.NewReader(head+tt.open), huge, tail)}
			rep, err := importer.Import(context.Background(), st, c.ID, src, importer.Options{})
			var tooLarge *importer.RecordTooLargeError
			if !errors.As(err, &tooLarge) || tooLarge.Line != 5 {
				t.Fatalf("Import error = %v, want a RecordTooLargeError at line 5", err)
			}
			if limit := int64(len(head)) + importer.MaxRecordBytes + 8<<10; src.n > limit {
				t.Errorf("the import read %d bytes of its input, want at most %d", src.n, limit)
			}
			if rep.Created != 2 || rep.Skipped != 1 || len(rep.Errors) != 1 || rep.Errors[0].Line != 5 ||
				!strings.Contains(rep.Errors[0].Message, "stopped") {
				t.Errorf("report = %+v, want 2 created and the line error of line 5", rep)
			}
			got := subscriptions(t, st, c)
			want := []string{"ana@example.org email pending import", "bo@example.org email pending import"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImportHeaderTooLarge(t *testing.T) {
	st, c := newCampaign(t)
	src := &counter{r: io.MultiReader(strings.NewReader("email,"), filler{"name,"})}
	_, err := importer.Import(context.Background(), st, c.ID, src, importer.Options{})
	var header *importer.HeaderError
	if !errors.As(err, &header) || !strings.Contains(header.Reason, "longer than") {
		t.Fatalf("Import error = %v, want a header error", err)
	}
	if src.n > importer.MaxRecordBytes+8<<10 {
		t.Errorf("the import read %d bytes of an endless header", src.n)
	}
}

// TestImportRefusesBadText: a row whose free text is not valid UTF-8 or holds
// control characters is skipped with its line error; the others are stored.
func TestImportRefusesBadText(t *testing.T) {
	st, c := newCampaign(t)
	csv := "email,name,consent_text,tags\n" +
		"ana@example.org,Ana,,\n" +
		"bo@example.org,B\xe9atrice,,\n" +
		"cy@example.org,Cy\x00,,\n" +
		"di@example.org,Di,I agree\x1b[2J,\n" +
		"ed@example.org,Ed,,vig\xffil\n" +
		"FE@Example.ORG,Fe,,\n"
	rep, err := importer.Import(context.Background(), st, c.ID, strings.NewReader(csv), importer.Options{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var lines []int
	for _, e := range rep.Errors {
		lines = append(lines, e.Line)
	}
	if diff := cmp.Diff([]int{3, 4, 5, 6}, lines); rep.Created != 2 || diff != "" {
		t.Errorf("report = %+v; lines in error (-want +got):\n%s", rep, diff)
	}
	want := []string{"ana@example.org email pending import", "fe@example.org email pending import"}
	if diff := cmp.Diff(want, subscriptions(t, st, c)); diff != "" {
		t.Errorf("stored (-want +got):\n%s", diff)
	}
}
