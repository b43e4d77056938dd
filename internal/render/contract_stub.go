package render

// THIS FILE IS A TEMPORARY CONTRACT, replaced by the real renderer.

// Renderer turns templates and inline content into messages.
type Renderer struct{}

// Templates lists the named templates, sorted by name.
func (r *Renderer) Templates() []TemplateInfo { panic("stub") }

// Has reports whether a named template exists.
func (r *Renderer) Has(name string) bool { panic("stub") }
