package importer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/importer"
	"github.com/muster-org/muster/internal/store"
)

var testNow = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// newCampaign returns a fresh store with one campaign.
func newCampaign(t *testing.T) (*store.Store, store.Campaign) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"), store.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateCampaign(ctx, store.Campaign{Slug: "free-assange", Name: "Free Assange", Locale: "en", Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	return st, c
}

// subscriptions lists "email-or-phone channel status source" for every supporter of c.
func subscriptions(t *testing.T, st *store.Store, c store.Campaign) []string {
	t.Helper()
	var out []string
	cursor := ""
	for {
		sups, next, err := st.ListSupporters(context.Background(), c.ID, store.SupporterFilter{}, store.Page{Limit: 1000, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sups {
			for _, sub := range s.Subscriptions {
				contact := s.Email
				if contact == "" {
					contact = s.Phone
				}
				out = append(out, fmt.Sprintf("%s %s %s %s", contact, sub.Channel, sub.Status, sub.Source))
			}
		}
		if cursor = next; cursor == "" {
			return out
		}
	}
}

func TestImport(t *testing.T) {
	tests := []struct {
		name     string
		csv      string
		want     importer.Report
		wantSubs []string
	}{
		{
			name: "good and bad lines",
			csv: "\uFEFFEmail, Phone ,name,country,tags,channels,confirmed,consent_text,consent_ip,locale,timezone\n" +
				"ana@example.org,+5511987654321,Ana,BR,embassy;Vigil,email;sms,true,,,pt-BR,\n" +
				"bo@example.org,,Bo,,,,,,,,\n" +
				"\n" + // blank lines are skipped silently
				"cy@example.org,07400 123456,Cy,GB,,sms,,I agree,203.0.113.9,,Europe/London\n" +
				"bad,,,,,,,,,,\n" +
				"dee@example.org,+5511987654321,Dee,GB,,,yes,,,,\n" +
				"eve@example.org,,,,,,,,,xx-!!,Mars/Base\n" +
				"fay@example.org,+447400123457,,,,sms,,,,,\n" +
				"short,row\n" +
				"\"unterminated,,,,,,,,,,\n",
			want: importer.Report{Created: 3, Skipped: 6, Errors: []importer.LineError{
				{Line: 6, Message: "email: is not an email address"},
				{Line: 7, Message: "confirmed: must be true or false"},
				{Line: 8, Message: "locale: is not a BCP 47 language tag (such as es-AR); timezone: is not an IANA time zone (such as Europe/London)"},
				{Line: 9, Message: "consent.text: sms needs consent evidence: the consent text the supporter agreed to, or confirmed: true"},
				{Line: 10, Message: "has 2 fields; the header has 11"},
				{Line: 11, Message: `malformed CSV: extraneous or missing " in quoted-field`},
			}},
			wantSubs: []string{
				"ana@example.org email active import", "ana@example.org sms active import",
				"bo@example.org email pending import",
				"cy@example.org sms active import",
			},
		},
		{
			name: "updates and conflicts",
			csv: "email,phone,confirmed\n" +
				"ana@example.org,,true\n" +
				"ana@example.org,,true\n" +
				",+5511987654321,true\n" +
				"ana@example.org,+5511987654321,true\n",
			want: importer.Report{Created: 2, Updated: 1, Skipped: 1, Errors: []importer.LineError{
				{Line: 5, Message: "the email and the phone belong to two different supporters"},
			}},
			wantSubs: []string{"ana@example.org email active import", "+5511987654321 sms active import"},
		},
		{
			name:     "phone only header",
			csv:      "phone,confirmed\n+447400123456,true\n",
			want:     importer.Report{Created: 1, Errors: []importer.LineError{}},
			wantSubs: []string{"+447400123456 sms active import"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, c := newCampaign(t)
			got, err := importer.Import(context.Background(), st, c.ID, strings.NewReader(tt.csv), importer.Options{})
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("report mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSubs, subscriptions(t, st, c)); diff != "" {
				t.Errorf("stored subscriptions mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImportBadHeader(t *testing.T) {
	tests := map[string]string{
		"unknown column":         "email,shoe_size\nana@example.org,38\n",
		"repeated column":        "email,name,Email\nana@example.org,Ana,ana@example.org\n",
		"no contact column":      "name,tags\nAna,embassy\n",
		"empty file":             "",
		"malformed header":       "\"email,name\n",
		"source is not a column": "email,consent_source\nana@example.org,form\n",
	}
	for name, csv := range tests {
		t.Run(name, func(t *testing.T) {
			st, c := newCampaign(t)
			_, err := importer.Import(context.Background(), st, c.ID, strings.NewReader(csv), importer.Options{})
			var he *importer.HeaderError
			if !errors.As(err, &he) || he.Reason == "" {
				t.Fatalf("Import error = %v, want a *HeaderError with a reason", err)
			}
			if subs := subscriptions(t, st, c); len(subs) != 0 {
				t.Errorf("stored %v, want nothing", subs)
			}
		})
	}
}

// rows returns a CSV of n supporters, email only; bad makes every address invalid.
func rows(n int, bad bool) string {
	var b strings.Builder
	b.WriteString("email,confirmed\n")
	for i := range n {
		domain := "example.org"
		if bad {
			domain = "localhost"
		}
		fmt.Fprintf(&b, "p%d@%s,true\n", i, domain)
	}
	return b.String()
}

func TestImportChunksAndProgress(t *testing.T) {
	st, c := newCampaign(t)
	var progress []int
	got, err := importer.Import(context.Background(), st, c.ID, strings.NewReader(rows(1203, false)),
		importer.Options{Progress: func(n int) { progress = append(progress, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(importer.Report{Created: 1203, Errors: []importer.LineError{}}, got); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{500, 1000, 1203}, progress); diff != "" {
		t.Errorf("progress mismatch (-want +got):\n%s", diff)
	}
	if n := len(subscriptions(t, st, c)); n != 1203 {
		t.Errorf("%d subscriptions stored, want 1203", n)
	}
}

func TestImportCapsErrors(t *testing.T) {
	st, c := newCampaign(t)
	var progress []int
	got, err := importer.Import(context.Background(), st, c.ID, strings.NewReader(rows(1100, true)),
		importer.Options{Progress: func(n int) { progress = append(progress, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1100}, progress); diff != "" {
		t.Errorf("progress mismatch (-want +got):\n%s", diff)
	}
	if got.Skipped != 1100 || len(got.Errors) != 1000 || got.Errors[999].Line != 1001 {
		t.Errorf("skipped %d with %d errors (last on line %d), want 1100 with 1000 (last on line 1001)",
			got.Skipped, len(got.Errors), got.Errors[len(got.Errors)-1].Line)
	}
}

func TestImportReadError(t *testing.T) {
	st, c := newCampaign(t)
	cut := errors.New("connection cut")
	r := io.MultiReader(strings.NewReader(rows(600, false)), iotest.ErrReader(cut))
	got, err := importer.Import(context.Background(), st, c.ID, r, importer.Options{})
	if !errors.Is(err, cut) {
		t.Fatalf("Import error = %v, want the reader's", err)
	}
	// The first chunk was stored before the stream broke, and the report says so.
	if got.Created != 500 {
		t.Errorf("report says %d created, want 500", got.Created)
	}
	if n := len(subscriptions(t, st, c)); n != 500 {
		t.Errorf("%d subscriptions stored, want 500", n)
	}
}
