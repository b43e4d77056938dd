package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/muster-org/muster/internal/store"
)

// keyJSON is an API key as listed: never its hash.
type keyJSON struct {
	Name       string     `json:"name"`
	Role       store.Role `json:"role"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  time.Time  `json:"revoked_at,omitzero"`
	LastUsedAt time.Time  `json:"last_used_at,omitzero"`
}

func newKeyJSON(k store.APIKey) keyJSON {
	return keyJSON{Name: k.Name, Role: k.Role, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt}
}

// listKeys lists every API key, revoked ones included (admin only). Keys are
// few, so it is one page.
func (s *server) listKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.st.ListAPIKeys(r.Context())
	if err != nil {
		return fmt.Errorf("list API keys: %w", err)
	}
	return respond(w, http.StatusOK, newList(mapSlice(keys, newKeyJSON), ""))
}
