package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/muster-org/muster/internal/store"
)

// TestSecurityHeaders: every page, whatever its status, carries the headers,
// and its inline style sheet is the one the CSP allows by hash.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	ana := e.seedSupporter(store.Supporter{Email: "ana@example.org"}, pendingEmail())
	unsubscribe := "/unsubscribe/" + e.signer.Unsubscribe(ana.ID, e.camp.ID, "email", testNow)
	pages := map[string]request{
		"join":             {method: http.MethodGet, path: "/c/free-assange"},
		"join, invalid":    {method: http.MethodPost, path: "/c/free-assange", form: joinForm("email", "x")},
		"join, cross-site": {method: http.MethodPost, path: "/c/free-assange", form: joinForm(), header: map[string]string{"Sec-Fetch-Site": "cross-site"}},
		"unknown campaign": {method: http.MethodGet, path: "/c/nope"},
		"confirm":          {method: http.MethodGet, path: "/confirm/" + e.signer.Confirm(ana.ID, e.camp.ID, testNow, week)},
		"confirm, invalid": {method: http.MethodGet, path: "/confirm/nope"},
		"unsubscribe":      {method: http.MethodGet, path: unsubscribe},
		"unsubscribed":     {method: http.MethodPost, path: unsubscribe},
	}
	for name, req := range pages {
		t.Run(name, func(t *testing.T) {
			res := e.do(req)
			csp := res.header.Get("Content-Security-Policy")
			got := map[string]string{
				"Content-Type":           res.header.Get("Content-Type"),
				"X-Content-Type-Options": res.header.Get("X-Content-Type-Options"),
				"Referrer-Policy":        res.header.Get("Referrer-Policy"),
				"Cache-Control":          res.header.Get("Cache-Control"),
				"X-Frame-Options":        res.header.Get("X-Frame-Options"),
				"CSP without hash":       regexp.MustCompile(`'sha256-[^']+'`).ReplaceAllString(csp, "'sha256-…'"),
			}
			want := map[string]string{
				"Content-Type":           "text/html; charset=utf-8",
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "no-referrer",
				"Cache-Control":          "no-store",
				"X-Frame-Options":        "DENY",
				"CSP without hash":       "default-src 'none'; style-src 'sha256-…'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
			style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(res.body)
			if style == nil {
				t.Fatal("no style sheet")
			}
			sum := sha256.Sum256([]byte(style[1]))
			if h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, h) {
				t.Errorf("CSP %q does not allow the page's style sheet (%s)", csp, h)
			}
			for _, external := range []string{"<script", "<link", "<img", "<iframe", "http://", "https://", " style="} {
				if strings.Contains(res.body, external) {
					t.Errorf("page holds %q", external)
				}
			}
		})
	}
}
