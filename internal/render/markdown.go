package render

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newMarkdown returns the converter for organizers' Markdown. Raw HTML stays off
// (never WithUnsafe) and is shown escaped instead of dropped, links to anything but
// http, https, mailto and tel lose their link, bare URLs become links, and a single
// line break is kept, as people who write alerts expect.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(unlinkUnsafe{}, 100))),
		goldmark.WithRendererOptions(
			html.WithHardWraps(),
			renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)),
		),
	)
}

// safeURL allows http, https, mailto and tel URLs, and relative ones.
func safeURL(u string) bool {
	i := strings.IndexAny(u, ":/?#")
	if i < 0 || u[i] != ':' {
		return true
	}
	switch strings.ToLower(u[:i]) {
	case "http", "https", "mailto", "tel":
		return true
	}
	return false
}

// unlinkUnsafe replaces links and images whose URL is not safeURL by their text.
type unlinkUnsafe struct{}

// Transform implements parser.ASTTransformer.
func (unlinkUnsafe) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var bad []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		switch n := n.(type) {
		case *ast.Link:
			dest = util.URLEscape(n.Destination, true)
		case *ast.Image:
			dest = util.URLEscape(n.Destination, true)
		case *ast.AutoLink:
			dest = n.URL(src)
		default:
			return ast.WalkContinue, nil
		}
		if !safeURL(string(dest)) {
			bad = append(bad, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		unwrap(n, src)
	}
}

// unwrap puts n's text where n was.
func unwrap(n ast.Node, src []byte) {
	parent := n.Parent()
	if a, ok := n.(*ast.AutoLink); ok {
		s := ast.NewString(a.Label(src))
		s.SetRaw(true)
		parent.ReplaceChild(parent, n, s)
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// escapeRawHTML renders raw HTML as visible, escaped text: organizer content is
// data, so "<script>" shows as written and never runs.
type escapeRawHTML struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := node.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			seg := segs.At(i)
			_, _ = w.Write(util.EscapeHTML(seg.Value(src)))
		}
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var lines []string
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		lines = append(lines, string(line.Value(src)))
	}
	if n.HasClosure() {
		lines = append(lines, string(n.ClosureLine.Value(src)))
	}
	_, _ = w.WriteString("<p>")
	for i, l := range lines {
		if i > 0 {
			_, _ = w.WriteString("<br>\n")
		}
		_, _ = w.Write(util.EscapeHTML([]byte(strings.TrimRight(l, "\r\n"))))
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}
