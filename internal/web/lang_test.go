package web

import (
	"encoding/json"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLanguageFiles: one file per language of the pages, no other.
func TestLanguageFiles(t *testing.T) {
	files, err := fs.Glob(assets, "assets/lang/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(f, "assets/lang/"), ".json"))
	}
	if diff := cmp.Diff(slices.Sorted(slices.Values(languageCodes())), got); diff != "" {
		t.Errorf("language files (-want +got):\n%s", diff)
	}
}

// TestEveryKeyInEveryLanguage reads the files as they are, apart from the
// check New makes, so that a missing key shows here by name.
func TestEveryKeyInEveryLanguage(t *testing.T) {
	words := map[string]map[string]string{}
	for _, code := range languageCodes() {
		b, err := assets.ReadFile("assets/lang/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		words[code] = m
	}
	en := words["en"]
	for code, m := range words {
		if diff := cmp.Diff(slices.Sorted(maps.Keys(en)), slices.Sorted(maps.Keys(m))); diff != "" {
			t.Errorf("%s: keys (-en +%s):\n%s", code, code, diff)
		}
		for k, v := range m {
			if diff := cmp.Diff(placeholders(en[k]), placeholders(v)); diff != "" {
				t.Errorf("%s: %q placeholders (-en +%s):\n%s", code, k, code, diff)
			}
			if code != "en" && v == en[k] && len(v) > 12 {
				t.Errorf("%s: %q is the English text %q", code, k, v)
			}
		}
	}
}

func TestSameKeysRefusesMissingKeys(t *testing.T) {
	en := &lang{Code: "en", words: map[string]string{"a": "A {campaign}", "b": "B"}}
	tests := []struct {
		name    string
		words   map[string]string
		wantErr bool
	}{
		{name: "same", words: map[string]string{"a": "X {campaign}", "b": "Y"}},
		{name: "missing key", words: map[string]string{"a": "X {campaign}"}, wantErr: true},
		{name: "extra key", words: map[string]string{"a": "X {campaign}", "b": "Y", "c": "Z"}, wantErr: true},
		{name: "placeholder lost", words: map[string]string{"a": "X", "b": "Y"}, wantErr: true},
		{name: "placeholder misspelt", words: map[string]string{"a": "X {campagne}", "b": "Y"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sameKeys(en, &lang{Code: "xx", words: tt.words})
			if (err != nil) != tt.wantErr {
				t.Errorf("sameKeys() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestT(t *testing.T) {
	l := &lang{Code: "en", words: map[string]string{"hi": "Join {campaign} with {who}", "plain": "Hello"}}
	tests := []struct {
		name    string
		key     string
		args    []string
		want    string
		wantErr bool
	}{
		{name: "placeholders", key: "hi", args: []string{"campaign", "Free Assange", "who", "us"}, want: "Join Free Assange with us"},
		{name: "plain", key: "plain", want: "Hello"},
		{name: "a value that looks like a placeholder", key: "hi", args: []string{"campaign", "{who}", "who", "us"}, want: "Join {who} with us"},
		{name: "missing key", key: "nope", wantErr: true},
		{name: "odd arguments", key: "hi", args: []string{"campaign"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.T(tt.key, tt.args...)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("T(%q, %q) = %q, %v; want %q, error %v", tt.key, tt.args, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestCountries(t *testing.T) {
	for _, code := range languageCodes() {
		l, err := loadLang(code)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, c := range l.countries {
			names[c.Code] = c.Name
		}
		if len(names) < 240 {
			t.Errorf("%s: %d countries", code, len(names))
		}
		for code2, name := range names {
			if name == code2 {
				t.Errorf("%s: %s has no name", code, code2)
			}
		}
		t.Logf("%s: BR is %q, DE is %q", code, names["BR"], names["DE"])
	}
}

// TestRehearsalFindsMissingWords: a template calling for words one language
// lacks fails the start.
func TestRehearsalFindsMissingWords(t *testing.T) {
	s := &server{cfg: Config{}.withDefaults()}
	if err := s.load(); err != nil {
		t.Fatalf("load: %v", err)
	}
	delete(s.langs[3].words, "joined.sms_start")
	err := s.rehearse()
	if err == nil || !strings.Contains(err.Error(), `"joined.sms_start"`) {
		t.Errorf("rehearse() = %v, want an error naming joined.sms_start", err)
	}
}

func TestLoadRefusesBadBaseURL(t *testing.T) {
	for _, base := range []string{"example.org", "https://", "://x"} {
		s := &server{cfg: Config{BaseURL: base}.withDefaults()}
		if err := s.load(); err == nil {
			t.Errorf("BaseURL %q accepted", base)
		}
	}
	s := &server{cfg: Config{BaseURL: "https://join.example.org/muster"}.withDefaults()}
	if err := s.load(); err != nil {
		t.Errorf("load: %v", err)
	}
}
