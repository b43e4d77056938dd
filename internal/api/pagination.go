package api

import (
	"net/url"
	"strconv"

	"github.com/muster-org/muster/internal/store"
)

// maxPageLimit is the largest page a listing hands out.
const maxPageLimit = 1000

// list is the body of every listing: a page of items and the cursor of the
// next page ("" on the last).
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// newList returns a listing page, with an empty array rather than null.
func newList[T any](items []T, next string) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, NextCursor: next}
}

// pageParams reads ?limit= (1..1000, default 50) and ?cursor=. A cursor the
// store did not hand out is answered by writeError (store.ErrBadCursor).
func pageParams(q url.Values) (store.Page, []fieldError) {
	p := store.Page{Limit: 50, Cursor: q.Get("cursor")}
	raw := q.Get("limit")
	if raw == "" {
		return p, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPageLimit {
		return p, []fieldError{{Field: "limit", Message: "must be a whole number from 1 to 1000"}}
	}
	p.Limit = n
	return p, nil
}

// mapSlice applies f to every element of in.
func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, 0, len(in))
	for _, v := range in {
		out = append(out, f(v))
	}
	return out
}
