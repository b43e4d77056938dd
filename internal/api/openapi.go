package api

import (
	_ "embed"
	"net/http"
	"strconv"
)

// openAPISpec describes this API in OpenAPI 3.1.
//
//go:embed openapi.yaml
var openAPISpec []byte

// openAPI serves openapi.yaml.
func (s *server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPISpec)))
	_, _ = w.Write(openAPISpec)
	return nil
}
