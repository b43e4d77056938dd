package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
)

// pageNames lists the page templates, each in assets/pages/<name>.html, each
// defining the blocks "title" and "main" of layout.html.
func pageNames() []string {
	return []string{"join", "joined", "confirmed", "unsubscribe", "unsubscribed", "message"}
}

// view is what a page template sees. Each page reads the fields its comment
// names; the others stay zero.
type view struct {
	L       *lang        // the page's language; {{.L.T "key"}} says its words
	CSS     template.CSS // the style sheet, inline: its hash is in the CSP
	NoIndex bool         // token and error pages ask search engines to stay away
	// Switch links to the page in the other languages (join).
	Switch []langLink
	// Campaign is the campaign's name, Slug its address (every page but message).
	Campaign, Slug string
	// Form, Errors and Consent are the join form: what was typed, what is
	// wrong with it, and the consent label (join).
	Form    form
	Errors  []fieldError
	Consent string
	// Email and SMS say which channels were asked for; SMSNumber is the
	// campaign's number, for texting START (joined).
	Email, SMS bool
	SMSNumber  string
	// Channel is "email" or "sms" (unsubscribe, unsubscribed).
	Channel string
	// Left says the subscription had ended before its confirmation (confirmed).
	Left bool
	// Page is the message page's words, "<Page>.title" and so on, and Link
	// where its link goes, if it has one (message).
	Page, Link string
}

// Err returns the error message of a join form field, or "".
func (v view) Err(field string) string {
	for _, e := range v.Errors {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// Key joins the message page's name and a part of it ("expired", "title").
func (v view) Key(part string) string { return v.Page + "." + part }

// langLink is one link of the language switcher.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// loadPages parses the layout with each page, and reads the style sheet.
func loadPages() (map[string]*template.Template, template.CSS, error) {
	layout, err := template.ParseFS(assets, "assets/pages/layout.html")
	if err != nil {
		return nil, "", fmt.Errorf("pages: %w", err)
	}
	pages := make(map[string]*template.Template)
	for _, name := range pageNames() {
		t, err := layout.Clone()
		if err == nil {
			t, err = t.ParseFS(assets, "assets/pages/"+name+".html")
		}
		if err != nil {
			return nil, "", fmt.Errorf("page %s: %w", name, err)
		}
		pages[name] = t
	}
	css, err := assets.ReadFile("assets/pages/style.css")
	if err != nil {
		return nil, "", fmt.Errorf("pages: %w", err)
	}
	return pages, template.CSS(css), nil
}

// contentSecurityPolicy allows the pages nothing but their own inline style
// sheet (by its hash) and forms posted back to this site.
func contentSecurityPolicy(css template.CSS) string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

// render writes page name with status. The page is rendered in full before
// anything is written, so that a failure can still be answered with a 500.
func (s *server) render(w http.ResponseWriter, status int, name string, v view) error {
	var buf bytes.Buffer
	if err := s.execute(&buf, name, v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.L.Code)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the visitor has gone: nothing to do
	return nil
}

// execute renders page name into buf.
func (s *server) execute(buf *bytes.Buffer, name string, v view) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	v.CSS = s.css
	if err := t.ExecuteTemplate(buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s in %s: %w", name, v.L.Code, err)
	}
	return nil
}
