package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// requireChromium skips a browser test under -short, and fails it, saying
// how to install Chromium, when Chromium is missing: never a silent skip.
func requireChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped by -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser tests need Chromium at %s: run `scripts/ensure.sh chromium` "+
			"(or `go test -short` to leave them out): %v", chromiumPath, err)
	}
}

// browser starts a headless Chromium of its own for one test and returns a
// tab's context, which ends with the test or after a minute.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // tests run as root
		chromedp.Flag("headless", "new"),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	return tab
}

// browserWords is what a language's pages say, as the browser test checks it.
type browserWords struct {
	JoinH1, Summary, EmailError, JoinedH1, InboxH2, ConfirmedH1, Button, UnsubscribedH1 string
}

// TestBrowserJourney: a visitor joins with the keyboard and the mouse only,
// gets an error, fixes it, joins, confirms and unsubscribes, all in their
// language, on a desktop-sized and a phone-sized screen.
func TestBrowserJourney(t *testing.T) {
	requireChromium(t)
	tests := []struct {
		name           string
		path           string
		acceptLanguage string
		width, height  int64
		wantLang       string
		want           browserWords
	}{
		{
			name: "Spanish by ?lang=, desktop", path: "/c/free-assange?lang=es", acceptLanguage: "en-US,en",
			width: 1280, height: 800, wantLang: "es",
			want: browserWords{
				JoinH1: "Súmate a Free Assange", Summary: "Hay un problema",
				EmailError: "Escribe un correo electrónico con el formato correcto, como nombre@ejemplo.org",
				JoinedH1:   "¡Gracias!", InboxH2: "Revisa tu correo", ConfirmedH1: "¡Confirmado!",
				Button: "Darme de baja", UnsubscribedH1: "Te diste de baja",
			},
		},
		{
			name: "Brazilian Portuguese by Accept-Language, phone", path: "/c/free-assange", acceptLanguage: "pt-BR,pt;q=0.9",
			width: 360, height: 740, wantLang: "pt",
			want: browserWords{
				JoinH1: "Participe de Free Assange", Summary: "Há um problema", //nolint:misspell // Portuguese copy
				EmailError: "Digite um e-mail no formato correto, como nome@exemplo.org",
				JoinedH1:   "Obrigado!", InboxH2: "Confira seu e-mail", ConfirmedH1: "Inscrição confirmada",
				Button: "Cancelar inscrição", UnsubscribedH1: "Inscrição cancelada",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			e := newEnv(t)
			ctx := browser(t)
			do(t, ctx, "set up the tab",
				chromedp.Func(func(ctx context.Context, tab *chromedp.Target) error {
					_, err := cdp.Call(ctx, tab, network.SetExtraHTTPHeaders,
						network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": tt.acceptLanguage}})
					return err
				}),
				chromedp.EmulateViewport(tt.width, tt.height),
			)
			var got browserWords
			got.JoinH1, got.Summary, got.EmailError = joinWithError(t, ctx, e.url+tt.path, tt.wantLang)
			got.JoinedH1, got.InboxH2 = fixAndJoin(t, ctx)
			sup := e.supporter("ana@example.org")
			if st := e.subscription(sup.ID, store.ChannelEmail).Status; sup.Locale != tt.wantLang || st != store.SubPending {
				t.Errorf("supporter locale %q, subscription %s; want %q, pending", sup.Locale, st, tt.wantLang)
			}
			do(t, ctx, "confirm", chromedp.Navigate(e.url+"/confirm/"+e.signer.Confirm(sup.ID, e.camp.ID, testNow, week)))
			got.ConfirmedH1 = run(t, ctx, chromedp.Text(chromedp.CSS("h1")))
			got.Button, got.UnsubscribedH1 = unsubscribe(t, ctx, e.url+"/unsubscribe/"+e.signer.Unsubscribe(sup.ID, e.camp.ID, "email", testNow))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("what the pages say (-want +got):\n%s", diff)
			}
			if st := e.subscription(sup.ID, store.ChannelEmail).Status; st != store.SubUnsubscribed {
				t.Errorf("subscription %s at the end, want unsubscribed", st)
			}
			t.Logf("journey in %v", time.Since(start).Round(time.Millisecond))
		})
	}
}

// joinWithError loads the join page, checks how it is built, and posts it
// with an invalid email. It returns the page's heading, the error summary's
// title and the email field's error, read through aria-describedby.
func joinWithError(t *testing.T, ctx context.Context, url, wantLang string) (h1, summary, emailError string) {
	t.Helper()
	do(t, ctx, "load the join page", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.ID("email")))
	lang := run(t, ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
	unlabelled := run(t, ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => e.labels.length === 0).map(e => e.id)`))
	positiveTabindex := run(t, ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[tabindex]')].filter(e => e.tabIndex > 0).map(e => e.id)`))
	overflow := run(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if lang != wantLang || len(unlabelled) > 0 || len(positiveTabindex) > 0 || overflow {
		t.Errorf("join page: lang %q (want %q), inputs without a label %q, positive tabindex %q, wider than the screen %v",
			lang, wantLang, unlabelled, positiveTabindex, overflow)
	}
	h1 = run(t, ctx, chromedp.Text(chromedp.CSS("h1")))
	do(t, ctx, "post an invalid email",
		chromedp.SendKeys(chromedp.ID("name"), "Ana"),
		chromedp.SendKeys(chromedp.ID("email"), "ana@"),
		chromedp.Click(chromedp.ID("consent")),
		chromedp.Click(chromedp.CSS("#join button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("error-summary")),
	)
	summary = run(t, ctx, chromedp.Text(chromedp.ID("error-summary-title")))
	return h1, summary, fieldError(t, ctx, "email")
}

// fieldError checks that the field is marked invalid, that focus went to the
// error summary, and that the field keeps what was typed; it returns the
// field's error message as a screen reader finds it, without its hidden
// "Error:" prefix.
func fieldError(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	invalid := run(t, ctx, chromedp.AttributeValue(chromedp.ID(id), "aria-invalid"))
	value := run(t, ctx, chromedp.Value(chromedp.ID(id)))
	focused := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if invalid.Value != "true" || value != "ana@" || focused != "error-summary" {
		t.Errorf("#%s: aria-invalid %q, value %q (want ana@ kept), focus on %q (want error-summary)",
			id, invalid.Value, value, focused)
	}
	ids := strings.Fields(run(t, ctx, chromedp.AttributeValue(chromedp.ID(id), "aria-describedby")).Value)
	if len(ids) == 0 {
		t.Fatalf("#%s has no aria-describedby", id)
	}
	msg := run(t, ctx, chromedp.TextContent(chromedp.ID(ids[0])))
	prefix := run(t, ctx, chromedp.TextContent(chromedp.CSS("#"+ids[0]+" .visually-hidden")))
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(msg), prefix))
}

// fixAndJoin completes the email with the keyboard, posts the form again and
// returns the heading and first subheading of the page that follows.
func fixAndJoin(t *testing.T, ctx context.Context) (h1, h2 string) {
	t.Helper()
	do(t, ctx, "complete the email", chromedp.SendKeys(chromedp.ID("email"), kb.End+"example.org"))
	if outline := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`)); outline == "none" {
		t.Errorf("the focused email field has no visible outline")
	}
	do(t, ctx, "join",
		chromedp.Click(chromedp.CSS("#join button[type=submit]")),
		chromedp.WaitNotPresent(chromedp.ID("join")),
	)
	return run(t, ctx, chromedp.Text(chromedp.CSS("h1"))), run(t, ctx, chromedp.Text(chromedp.CSS("h2")))
}

// unsubscribe opens an unsubscribe link, presses its one button and returns
// the button's label and the heading of the page that follows.
func unsubscribe(t *testing.T, ctx context.Context, url string) (button, h1 string) {
	t.Helper()
	do(t, ctx, "open the unsubscribe link", chromedp.Navigate(url))
	if n := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('button').length`)); n != 1 {
		t.Errorf("%d buttons on the unsubscribe page, want 1", n)
	}
	button = run(t, ctx, chromedp.Text(chromedp.CSS("button")))
	do(t, ctx, "press the button",
		chromedp.Click(chromedp.CSS("button")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/c/free-assange"]`)),
	)
	return button, run(t, ctx, chromedp.Text(chromedp.CSS("h1")))
}

// do runs steps in the tab, failing the test with what it was doing.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action in the tab and returns its value, failing the test on error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}
