package web

import "embed"

// assets holds the page templates, their style sheet and their words in each
// language. It is the package's one variable, and read-only: go:embed needs it.
//
//go:embed assets/pages/*.html assets/pages/style.css assets/lang/*.json
var assets embed.FS
