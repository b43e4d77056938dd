package render

import (
	htemplate "html/template"
	"slices"
	ttemplate "text/template"
	"text/template/parse"
)

// A Prepared renders each shape of an alert once, with stand-ins for what differs
// between supporters, and fills each supporter's values into the stand-ins' places.
// That is right only when those values reach the output by being printed, never by
// being compared, measured, sliced or passed to a function, which would make the
// output depend on the value in ways a substitution cannot follow. printsOnly
// checks this on a template's parse tree, before html/template adds its escapers;
// the escaping context of each place is then checked on the output (see shape.go).

// holds says what an expression of a template evaluates to.
type holds uint8

const (
	holdsOther    holds = iota // alert-wide data, literals, results of functions
	holdsView                  // the *view itself, through which personal fields are reached
	holdsPersonal              // a string that differs between supporters
	holdsBad                   // something printsOnly does not follow: refuse
)

// personalFields are the view's fields whose value differs between supporters:
// the first name, the unsubscribe link, and what can contain them.
func personalFields() [][]string {
	return [][]string{{"Person", "FirstName"}, {"UnsubscribeURL"}, {"Subject"}, {"BodyHTML"}, {"BodyText"}}
}

// printsOnly reports whether, in the template set that lookup reads, the template
// entry (executed with a *view) lets personal values reach its output only as whole
// printed actions ({{.Person.FirstName}}) or as the condition of an if or with.
// Truthiness is safe: a Prepared keys its shapes by whether the name and link are set.
func printsOnly(lookup func(name string) *parse.Tree, entry string) bool {
	f := &flow{lookup: lookup, seen: map[flowCall]bool{}}
	return f.call(entry, holdsView)
}

// flow walks templates, following {{template}} calls.
type flow struct {
	lookup func(name string) *parse.Tree
	seen   map[flowCall]bool
}

type flowCall struct {
	name string
	dot  holds
}

// call checks template name executed with a dot (and so $) holding dot.
func (f *flow) call(name string, dot holds) bool {
	k := flowCall{name, dot}
	if f.seen[k] {
		return true // being checked further up, or already found fine
	}
	f.seen[k] = true
	t := f.lookup(name)
	if t == nil {
		return false
	}
	return t.Root == nil || f.list(t.Root, dot, dot)
}

func (f *flow) list(l *parse.ListNode, dot, dollar holds) bool {
	if l == nil {
		return true
	}
	for _, n := range l.Nodes {
		if !f.node(n, dot, dollar) {
			return false
		}
	}
	return true
}

func (f *flow) node(n parse.Node, dot, dollar holds) bool {
	switch n := n.(type) {
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		return true
	case *parse.ActionNode:
		return printsPersonal(n.Pipe, dot, dollar) || cleanPipe(n.Pipe, dot, dollar)
	case *parse.IfNode:
		ok := isPersonal(n.Pipe, dot, dollar) || cleanPipe(n.Pipe, dot, dollar)
		return ok && f.list(n.List, dot, dollar) && f.list(n.ElseList, dot, dollar)
	case *parse.WithNode:
		inner := holdsPersonal
		if !isPersonal(n.Pipe, dot, dollar) {
			if !cleanPipe(n.Pipe, dot, dollar) {
				return false
			}
			inner = holdsOther
		}
		return f.list(n.List, inner, dollar) && f.list(n.ElseList, dot, dollar)
	case *parse.RangeNode:
		return cleanPipe(n.Pipe, dot, dollar) && f.list(n.List, holdsOther, dollar) && f.list(n.ElseList, dot, dollar)
	case *parse.TemplateNode:
		return f.templateCall(n, dot, dollar)
	}
	return false
}

// templateCall follows {{template "name" pipeline}}: the view may be passed on
// whole; personal values may not.
func (f *flow) templateCall(n *parse.TemplateNode, dot, dollar holds) bool {
	if n.Pipe == nil {
		return f.call(n.Name, holdsOther)
	}
	if single(n.Pipe) && len(n.Pipe.Decl) == 0 && classify(n.Pipe.Cmds[0].Args[0], dot, dollar) == holdsView {
		return f.call(n.Name, holdsView)
	}
	return cleanPipe(n.Pipe, dot, dollar) && f.call(n.Name, holdsOther)
}

// printsPersonal matches {{.Person.FirstName}}, and the same followed only by the
// function that prints nil as "" (which leaves a string as it is).
func printsPersonal(p *parse.PipeNode, dot, dollar holds) bool {
	if len(p.Decl) > 0 || len(p.Cmds) == 0 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	if classify(p.Cmds[0].Args[0], dot, dollar) != holdsPersonal {
		return false
	}
	for _, c := range p.Cmds[1:] {
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if len(c.Args) != 1 || !ok || id.Ident != emptyFunc {
			return false
		}
	}
	return true
}

// isPersonal matches a pipeline that is a personal value alone.
func isPersonal(p *parse.PipeNode, dot, dollar holds) bool {
	return single(p) && len(p.Decl) == 0 && classify(p.Cmds[0].Args[0], dot, dollar) == holdsPersonal
}

func single(p *parse.PipeNode) bool {
	return p != nil && len(p.Cmds) == 1 && len(p.Cmds[0].Args) == 1
}

// cleanPipe reports whether a pipeline touches no personal value and does not hand
// the view to anything but the when function, which reads only data and time zones.
func cleanPipe(p *parse.PipeNode, dot, dollar holds) bool {
	if p == nil {
		return true
	}
	for _, c := range p.Cmds {
		for i, a := range c.Args {
			switch classify(a, dot, dollar) {
			case holdsOther:
			case holdsView:
				if id, ok := c.Args[0].(*parse.IdentifierNode); !ok || id.Ident != "when" || i != 1 {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// classify says what an argument evaluates to.
func classify(n parse.Node, dot, dollar holds) holds {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return field(dot, n.Ident)
	case *parse.VariableNode:
		if n.Ident[0] == "$" {
			return field(dollar, n.Ident[1:])
		}
		return holdsOther // only clean pipelines may declare variables
	case *parse.ChainNode:
		if classify(n.Node, dot, dollar) != holdsOther {
			return holdsBad
		}
		return holdsOther
	case *parse.PipeNode:
		if !cleanPipe(n, dot, dollar) || len(n.Decl) > 0 {
			return holdsBad
		}
		return holdsOther
	case *parse.IdentifierNode, *parse.StringNode, *parse.NumberNode, *parse.BoolNode, *parse.NilNode:
		return holdsOther
	}
	return holdsBad
}

// field says what reading path from a value that holds base gives.
func field(base holds, path []string) holds {
	switch {
	case len(path) == 0 || base == holdsOther:
		return base
	case base != holdsView:
		return holdsBad
	}
	for _, pf := range personalFields() {
		if pf[0] == path[0] {
			if slices.Equal(pf, path) {
				return holdsPersonal
			}
			return holdsBad // .Person whole, or a field of a string
		}
	}
	return holdsOther
}

// textTrees looks templates up in t's set.
func textTrees(t *ttemplate.Template) func(string) *parse.Tree {
	return func(name string) *parse.Tree {
		if d := t.Lookup(name); d != nil {
			return d.Tree
		}
		return nil
	}
}

// htmlTrees looks templates up in t's set. Only trees not yet executed are as
// written: html/template adds escapers to them on the first execution.
func htmlTrees(t *htemplate.Template) func(string) *parse.Tree {
	return func(name string) *parse.Tree {
		if d := t.Lookup(name); d != nil {
			return d.Tree
		}
		return nil
	}
}
