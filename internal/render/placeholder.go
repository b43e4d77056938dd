package render

import "strings"

// phKind is the kind of an inline-content placeholder.
type phKind uint8

const (
	phFirstName phKind = iota + 1 // {{first_name}}
	phCampaign                    // {{campaign}}
	phData                        // {{data.KEY}}
	phWhen                        // {{when.KEY}}
)

// placeholder is one parsed {{...}} of inline content.
type placeholder struct {
	kind phKind
	key  string
}

// segment is a run of literal text, or one placeholder when ph.kind is set.
type segment struct {
	lit string
	ph  placeholder
	ctx htmlContext // where the placeholder sits in HTML output
}

// parsePlaceholder reads the inside of {{...}}; false for anything not in the set.
func parsePlaceholder(in string) (placeholder, bool) {
	in = strings.TrimSpace(in)
	switch in {
	case "first_name":
		return placeholder{kind: phFirstName}, true
	case "campaign":
		return placeholder{kind: phCampaign}, true
	}
	if key, ok := strings.CutPrefix(in, "data."); ok && validKey(key) {
		return placeholder{kind: phData, key: key}, true
	}
	if key, ok := strings.CutPrefix(in, "when."); ok && validKey(key) {
		return placeholder{kind: phWhen, key: key}, true
	}
	return placeholder{}, false
}

// validKey accepts data keys made of letters, digits, '_' and '-'.
func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, c := range k {
		if c != '_' && c != '-' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

// splitPlaceholders cuts s into literal runs and placeholders. Braces that do not
// hold a known placeholder stay literal text.
func splitPlaceholders(s string) []segment {
	var segs []segment
	lit := 0 // start of the pending literal run
	for i := 0; ; {
		open := strings.Index(s[i:], "{{")
		if open < 0 {
			break
		}
		open += i
		end := strings.Index(s[open+2:], "}}")
		if end < 0 {
			break
		}
		end += open + 2
		ph, ok := parsePlaceholder(s[open+2 : end])
		if !ok {
			i = open + 2
			continue
		}
		if open > lit {
			segs = append(segs, segment{lit: s[lit:open]})
		}
		segs = append(segs, segment{ph: ph})
		lit, i = end+2, end+2
	}
	if lit < len(s) {
		segs = append(segs, segment{lit: s[lit:]})
	}
	return segs
}

// value returns what a placeholder stands for, as plain text.
func (r *Renderer) value(ph placeholder, v *view) string {
	switch ph.kind {
	case phFirstName:
		return v.Person.FirstName
	case phCampaign:
		return v.Campaign.Name
	case phData:
		return dataString(v.Data, ph.key)
	case phWhen:
		return r.when(v, ph.key)
	}
	return ""
}

// fillPlain replaces the placeholders of s with their plain values.
func (r *Renderer) fillPlain(s string, v *view) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return r.join(splitPlaceholders(s), v, func(_ htmlContext, val string) string { return val })
}

// join concatenates segments, passing each placeholder value through esc.
func (r *Renderer) join(segs []segment, v *view, esc func(htmlContext, string) string) string {
	var b strings.Builder
	for _, s := range segs {
		if s.ph.kind == 0 {
			b.WriteString(s.lit)
			continue
		}
		b.WriteString(esc(s.ctx, r.value(s.ph, v)))
	}
	return b.String()
}
