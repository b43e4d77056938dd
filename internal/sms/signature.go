package sms

import (
	"crypto/hmac"
	"crypto/sha1" // Twilio signs webhooks with HMAC-SHA1: not ours to choose
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strings"
)

// ValidSignature reports whether signature, the X-Twilio-Signature header of
// a webhook request, is Twilio's signature of that request as described at
// https://www.twilio.com/docs/usage/security#validating-requests.
//
// rawURL must be the URL exactly as Twilio called it, with scheme, host, path
// and query string: behind a proxy, build it from the public base URL
// configured for the webhook, not from r.Host or r.TLS. form must be the POST
// body alone (r.PostForm, not r.Form, which mixes in the query string that
// rawURL already carries).
//
// Twilio sometimes signs the URL with the scheme's default port (:443 for
// https, :80 for http) and sometimes without, so both forms are tried, as
// Twilio's own helpers do. Unlike them, a non-default port such as :8443 is
// never dropped: it names another endpoint, and Twilio signs the URL it was
// given. An empty signature or auth token is never valid: anyone can compute
// an HMAC with an empty key.
//
// twilio-go's client.RequestValidator is not used: it takes one value per
// name and so cannot check a form that repeats a name.
func ValidSignature(authToken, rawURL string, form url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	got := []byte(signature)
	ok := hmac.Equal(got, []byte(Sign(authToken, rawURL, form)))
	if alt, has := otherDefaultPort(rawURL); has {
		// Both comparisons always run, so timing does not tell which form matched.
		ok = hmac.Equal(got, []byte(Sign(authToken, alt, form))) || ok
	}
	return ok
}

// Sign returns Twilio's signature of a POST to rawURL with form as its body:
// the base64 HMAC-SHA1, keyed with authToken, of rawURL followed by each
// parameter's name and value, sorted by name. A repeated name contributes
// each of its distinct values, sorted, as twilio-python and twilio-node
// compute it. Sign is for tests and for the stand-in that plays Twilio; form
// is not modified.
func Sign(authToken, rawURL string, form url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(rawURL))
	for _, name := range slices.Sorted(maps.Keys(form)) {
		for _, value := range slices.Compact(slices.Sorted(slices.Values(form[name]))) {
			mac.Write([]byte(name))
			mac.Write([]byte(value))
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// otherDefaultPort returns rawURL with the scheme's default port added when
// it has no port, or removed when it has exactly that port. Any other URL has
// no such twin. The URL is edited as text, not parsed and re-encoded, so the
// path and query stay byte for byte as signed.
func otherDefaultPort(rawURL string) (string, bool) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return "", false
	}
	port := defaultPort(scheme)
	if port == "" {
		return "", false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo, hostport := "", authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, hostport = authority[:at+1], authority[at+1:]
	}
	host, hasPort := splitPort(hostport)
	switch {
	case !hasPort:
		return scheme + "://" + userinfo + host + ":" + port + tail, true
	case hostport == host+":"+port:
		return scheme + "://" + userinfo + host + tail, true
	}
	return "", false
}

// defaultPort returns the port a scheme implies, or "" for other schemes.
func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// splitPort returns the host of hostport and whether a port follows it. The
// colons inside a bracketed IPv6 address are not a port.
func splitPort(hostport string) (string, bool) {
	i := strings.LastIndexByte(hostport, ':')
	if i < 0 || i < strings.LastIndexByte(hostport, ']') {
		return hostport, false
	}
	return hostport[:i], true
}
