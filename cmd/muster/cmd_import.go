package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/muster-org/muster/internal/config"
	"github.com/muster-org/muster/internal/importer"
	"github.com/muster-org/muster/internal/store"
)

// cmdImport imports supporters from a CSV file straight into the store, with a
// progress bar on stderr. The columns are those of the API's CSV import.
func cmdImport(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	slug := fs.String("campaign", "", "the campaign's slug")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *slug == "" || fs.NArg() != 1 {
		return fmt.Errorf("%w: muster import --campaign SLUG FILE.csv", errUsage)
	}
	return withStore(ctx, e, func(_ config.Config, st *store.Store) error {
		return importFile(ctx, e, st, *slug, fs.Arg(0))
	})
}

func importFile(ctx context.Context, e env, st *store.Store, slug, path string) error {
	c, err := st.CampaignBySlug(ctx, slug)
	if err != nil {
		return fmt.Errorf("campaign %q: %w", slug, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer func() { _ = f.Close() }()
	bar := newProgress(e.stderr, f)
	rep, err := importer.Import(ctx, st, c.ID, bar, importer.Options{Progress: bar.rows, SMSConfirmByReply: c.SMSConfirmByReply})
	bar.done()
	var tooLarge *importer.RecordTooLargeError
	if err != nil && !errors.As(err, &tooLarge) {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(e.stdout, "created %d, updated %d, skipped %d\n", rep.Created, rep.Updated, rep.Skipped)
	for _, le := range rep.Errors {
		fmt.Fprintf(e.stdout, "line %d: %s\n", le.Line, le.Message)
	}
	return err // a record too large stopped it: the rows before it are stored, as the report says
}

// progress is a reader that draws how much of a file has been read.
type progress struct {
	w     io.Writer
	r     io.Reader
	size  int64
	read  atomic.Int64
	n     atomic.Int64
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, f *os.File) *progress {
	p := &progress{w: w, r: f, start: time.Now()}
	if fi, err := f.Stat(); err == nil {
		p.size = fi.Size()
	}
	return p
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read.Add(int64(n))
	return n, err
}

func (p *progress) rows(n int) {
	p.n.Store(int64(n))
	if time.Since(p.last) >= 200*time.Millisecond {
		p.last = time.Now()
		p.draw()
	}
}

func (p *progress) draw() {
	const width = 30
	frac := 1.0
	if p.size > 0 {
		frac = min(float64(p.read.Load())/float64(p.size), 1)
	}
	filled := int(frac * width)
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < filled {
			bar[i] = '='
		}
	}
	rate := float64(p.n.Load()) / max(time.Since(p.start).Seconds(), 0.001)
	fmt.Fprintf(p.w, "\r[%s] %3.0f%%  %d rows  %.0f rows/s ", bar, frac*100, p.n.Load(), rate)
}

func (p *progress) done() {
	p.draw()
	fmt.Fprintln(p.w)
}
