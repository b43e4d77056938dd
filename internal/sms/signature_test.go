package sms_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/twilio/twilio-go/client"

	"github.com/muster-org/muster/internal/sms"
)

// The example of https://www.twilio.com/docs/usage/security#validating-requests.
const (
	docToken     = "12345"
	docURL       = "https://mycompany.com/myapp.php?foo=1&bar=2"
	docSignature = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
)

func docForm() url.Values {
	return url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+12349013030"},
		"Digits":  {"1234"},
		"From":    {"+12349013030"},
		"To":      {"+18005551212"},
	}
}

func inboundForm() url.Values {
	return url.Values{
		"MessageSid": {"SM0123456789abcdef0123456789abcdef"},
		"AccountSid": {accountSID},
		"From":       {to},
		"To":         {"+15005550006"},
		"Body":       {"ARRÊT & <stop>"},
		"NumMedia":   {"0"},
	}
}

func TestSignMatchesTwiliosExample(t *testing.T) {
	if got := sms.Sign(docToken, docURL, docForm()); got != docSignature {
		t.Errorf("Sign = %q, want %q", got, docSignature)
	}
	if !sms.ValidSignature(docToken, docURL, docForm(), docSignature) {
		t.Errorf("ValidSignature rejects Twilio's own example")
	}
}

func TestValidSignature(t *testing.T) {
	const hook = "https://muster.example.org/webhooks/twilio/inbound?campaign=c1"
	signed := sms.Sign(authToken, hook, inboundForm())
	with := func(edit func(url.Values)) url.Values {
		f := inboundForm()
		edit(f)
		return f
	}
	tests := []struct {
		name      string
		token     string
		url       string
		form      url.Values
		signature string
		want      bool
	}{
		{name: "signed by Sign", token: authToken, url: hook, form: inboundForm(), signature: signed, want: true},
		{name: "wrong signature", token: authToken, url: hook, form: inboundForm(),
			signature: sms.Sign(authToken, hook+"x", inboundForm())},
		{name: "other auth token", token: "fedcba9876543210fedcba9876543210", url: hook, form: inboundForm(), signature: signed},
		{name: "changed parameter", token: authToken, url: hook, signature: signed,
			form: with(func(f url.Values) { f.Set("Body", "START") })},
		{name: "added parameter", token: authToken, url: hook, signature: signed,
			form: with(func(f url.Values) { f.Set("FromCountry", "GB") })},
		{name: "removed parameter", token: authToken, url: hook, signature: signed,
			form: with(func(f url.Values) { f.Del("NumMedia") })},
		{name: "repeated parameter", token: authToken, url: hook, signature: signed,
			form: with(func(f url.Values) { f.Add("Body", "START") })},
		{name: "changed query string", token: authToken, url: hook + "&x=1", form: inboundForm(), signature: signed},
		{name: "query parameter moved to the form", token: authToken, url: "https://muster.example.org/webhooks/twilio/inbound",
			form: with(func(f url.Values) { f.Set("campaign", "c1") }), signature: signed},
		{name: "http form of the https URL", token: authToken, url: "http://muster.example.org/webhooks/twilio/inbound?campaign=c1",
			form: inboundForm(), signature: signed},
		{name: "https form of an http URL", token: authToken, url: hook, form: inboundForm(),
			signature: sms.Sign(authToken, "http://muster.example.org/webhooks/twilio/inbound?campaign=c1", inboundForm())},
		{name: "empty signature", token: authToken, url: hook, form: inboundForm(), signature: ""},
		{name: "empty auth token", token: "", url: hook, form: inboundForm(), signature: sms.Sign("", hook, inboundForm())},
		{name: "signature with a trailing new line", token: authToken, url: hook, form: inboundForm(), signature: signed + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sms.ValidSignature(tt.token, tt.url, tt.form, tt.signature); got != tt.want {
				t.Errorf("ValidSignature = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidSignatureDefaultPorts(t *testing.T) {
	tests := []struct {
		name     string
		signedAs string
		url      string
		want     bool
	}{
		{"https signed with :443, checked without", "https://example.org:443/in?a=1", "https://example.org/in?a=1", true},
		{"https signed without port, checked with :443", "https://example.org/in?a=1", "https://example.org:443/in?a=1", true},
		{"http signed with :80, checked without", "http://example.org:80/in", "http://example.org/in", true},
		{"http signed without port, checked with :80", "http://example.org/in", "http://example.org:80/in", true},
		{"host only, no path", "https://example.org", "https://example.org:443", true},
		{"user info kept", "https://u:p@example.org:443/in", "https://u:p@example.org/in", true},
		{"IPv6 host", "https://[2001:db8::1]:443/in", "https://[2001:db8::1]/in", true},
		{"https is not :80", "https://example.org:80/in", "https://example.org/in", false},
		{"http is not :443", "http://example.org:443/in", "http://example.org/in", false},
		{"non-default port is not dropped", "https://example.org/in", "https://example.org:8443/in", false},
		{"non-default port is not added", "https://example.org:8443/in", "https://example.org/in", false},
		{"no path, colon in the query", "https://example.org:443?next=b:443", "https://example.org?next=b:443", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := sms.Sign(authToken, tt.signedAs, inboundForm())
			if got := sms.ValidSignature(authToken, tt.url, inboundForm(), sig); got != tt.want {
				t.Errorf("ValidSignature(%q) of a signature for %q = %v, want %v", tt.url, tt.signedAs, got, tt.want)
			}
		})
	}
}

// TestSignRepeatedNames pins the rule of twilio-python and twilio-node: a
// repeated name contributes each distinct value once, sorted, each preceded
// by the name.
func TestSignRepeatedNames(t *testing.T) {
	const hook = "https://example.org/in"
	form := url.Values{"To": {"+2"}, "MediaUrl": {"https://b", "https://a", "https://b"}}
	want := hmacSHA1(authToken, hook+"MediaUrlhttps://a"+"MediaUrlhttps://b"+"To+2")
	if got := sms.Sign(authToken, hook, form); got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	wantForm := url.Values{"To": {"+2"}, "MediaUrl": {"https://b", "https://a", "https://b"}}
	if diff := cmp.Diff(wantForm, form); diff != "" {
		t.Errorf("Sign changed its form (-want +got):\n%s", diff)
	}
	reordered := url.Values{"MediaUrl": {"https://a", "https://b"}, "To": {"+2"}}
	if !sms.ValidSignature(authToken, hook, reordered, want) {
		t.Errorf("ValidSignature depends on the order of repeated values")
	}
}

// TestSignAgreesWithTwilioGo checks Sign against the validator that ships
// with twilio-go, for forms without repeated names, which it can read.
func TestSignAgreesWithTwilioGo(t *testing.T) {
	tests := []struct {
		name string
		url  string
		form url.Values
	}{
		{"Twilio's example", docURL, docForm()},
		{"inbound SMS with accents and symbols", "https://muster.example.org/webhooks/twilio/inbound?campaign=c1", inboundForm()},
		{"empty form", "https://example.org/status", url.Values{}},
	}
	rv := client.NewRequestValidator(authToken)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]string{}
			for k := range tt.form {
				params[k] = tt.form.Get(k)
			}
			if !rv.Validate(tt.url, params, sms.Sign(authToken, tt.url, tt.form)) {
				t.Errorf("twilio-go rejects Sign's signature")
			}
		})
	}
}

func hmacSHA1(key, message string) string {
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
