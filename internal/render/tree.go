package render

import "text/template/parse"

// walk calls fn on n and every node below it.
func walk(n parse.Node, fn func(parse.Node)) {
	switch n := n.(type) {
	case nil:
		return
	case *parse.ListNode:
		if n == nil {
			return
		}
		fn(n)
		for _, c := range n.Nodes {
			walk(c, fn)
		}
		return
	case *parse.PipeNode:
		if n == nil {
			return
		}
		fn(n)
		for _, c := range n.Cmds {
			walk(c, fn)
		}
		return
	}
	fn(n)
	switch n := n.(type) {
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.ChainNode:
		walk(n.Node, fn)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}

func walkBranch(b *parse.BranchNode, fn func(parse.Node)) {
	walk(b.Pipe, fn)
	walk(b.List, fn)
	walk(b.ElseList, fn)
}

// emptyMissing makes every printing action of a text/template tree that could
// meet a nil print it as "" rather than "<no value>", the way html/template already
// does: a send must not show template debris when the organizer left out a key.
// Each added call costs a reflective call per send, so actions that cannot be nil
// (a view field other than Data, a string function, a literal, the dot of a with)
// are left alone.
func emptyMissing(t *parse.Tree) { addEmpty(t, t.Root, dotView) }

// dotKind is what the dot holds where an action sits.
type dotKind uint8

const (
	dotView   dotKind = iota // the *view itself
	dotTruthy                // the value of a with: never nil
	dotAny                   // a range element: anything
)

func addEmpty(t *parse.Tree, n parse.Node, dot dotKind) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			addEmpty(t, c, dot)
		}
	case *parse.ActionNode:
		if len(n.Pipe.Decl) == 0 && mayBeNil(n.Pipe, dot) {
			n.Pipe.Cmds = append(n.Pipe.Cmds, &parse.CommandNode{
				NodeType: parse.NodeCommand,
				Pos:      n.Pos,
				Args:     []parse.Node{parse.NewIdentifier(emptyFunc).SetTree(t).SetPos(n.Pos)},
			})
		}
	case *parse.IfNode:
		addEmpty(t, n.List, dot)
		addEmpty(t, n.ElseList, dot)
	case *parse.WithNode:
		addEmpty(t, n.List, dotTruthy)
		addEmpty(t, n.ElseList, dot)
	case *parse.RangeNode:
		addEmpty(t, n.List, dotAny)
		addEmpty(t, n.ElseList, dot)
	}
}

// mayBeNil reports whether a pipeline's value could be nil. Data is the only field
// of view that can hold one.
func mayBeNil(p *parse.PipeNode, dot dotKind) bool {
	last := p.Cmds[len(p.Cmds)-1]
	switch a := last.Args[0].(type) {
	case *parse.IdentifierNode:
		switch a.Ident {
		case "when", "nl2br", "print", "printf", "println", "html", "js", "urlquery", "len":
			return false
		}
	case *parse.StringNode, *parse.NumberNode, *parse.BoolNode:
		return false
	case *parse.DotNode:
		return dot == dotAny
	case *parse.FieldNode:
		return dot != dotView || a.Ident[0] == "Data"
	case *parse.VariableNode:
		return len(a.Ident) < 2 || a.Ident[0] != "$" || a.Ident[1] == "Data"
	}
	return true
}

// dataKeys returns the keys of .Data a tree reads, through fields (.Data.k,
// $.Data.k) or the when function (when $ "k"), so New can try it with them set.
func dataKeys(t *parse.Tree, into map[string]bool) {
	walk(t.Root, func(n parse.Node) {
		switch n := n.(type) {
		case *parse.FieldNode:
			if len(n.Ident) > 1 && n.Ident[0] == "Data" {
				into[n.Ident[1]] = true
			}
		case *parse.VariableNode:
			if len(n.Ident) > 2 && n.Ident[1] == "Data" {
				into[n.Ident[2]] = true
			}
		case *parse.CommandNode:
			if len(n.Args) == 3 {
				id, ok1 := n.Args[0].(*parse.IdentifierNode)
				s, ok2 := n.Args[2].(*parse.StringNode)
				if ok1 && ok2 && id.Ident == "when" {
					into[s.Text] = true
				}
			}
		}
	})
}
