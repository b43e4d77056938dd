package api

import (
	"strings"
	"testing"
)

// TestOpenAPICoversRoutes keeps openapi.yaml in step with the route table:
// every route's path and method is described, and every problem type listed.
func TestOpenAPICoversRoutes(t *testing.T) {
	spec := string(openAPISpec)
	paths := map[string]string{} // path -> its block in the spec
	for _, block := range strings.Split(spec, "\n  /")[1:] {
		path, _, _ := strings.Cut(block, ":")
		paths["/"+path] = block
	}
	for _, rt := range (&server{}).routeTable() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		block, ok := paths[path]
		if !ok {
			t.Errorf("openapi.yaml has no path %s", path)
			continue
		}
		if !strings.Contains(block, "\n    "+strings.ToLower(method)+":") {
			t.Errorf("openapi.yaml has no %s under %s", method, path)
		}
	}
	for _, status := range []int{400, 401, 403, 404, 405, 409, 413, 415, 422, 500, 503} {
		if typ := problemTypeBase + problemName(status); !strings.Contains(spec, typ) {
			t.Errorf("openapi.yaml does not list the problem type %s", typ)
		}
	}
}
