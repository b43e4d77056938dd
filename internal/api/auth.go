package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/muster-org/muster/internal/store"
)

// keyPrefix starts every API key, so that leaked keys are easy to grep for.
const keyPrefix = "mk_"

// maxKeyLen bounds the bearer token read from a request; real keys are 46 characters.
const maxKeyLen = 256

// GenerateKey returns a new API key secret ("mk_" and 32 random bytes in
// base64url) and the hash to store for it.
func GenerateKey() (secret string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("generate API key: %w", err)
	}
	secret = keyPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashKey(secret), nil
}

// HashKey returns the SHA-256 hash under which a key's secret is stored.
func HashKey(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// keyContextKey is the context key of the authenticated APIKey.
type keyContextKey struct{}

// authorize puts a route behind its access check.
func (s *server) authorize(a access, h handler) http.Handler {
	if a == public {
		return s.serve(h)
	}
	return s.serve(func(w http.ResponseWriter, r *http.Request) error {
		key, err := s.authenticate(r)
		if err != nil {
			return err
		}
		if a == admin && key.Role != store.RoleAdmin {
			return fail(http.StatusForbidden, "this needs an admin key")
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), keyContextKey{}, key)))
	})
}

// authenticate finds the unrevoked key of the request's bearer token.
//
// Keys are looked up by the SHA-256 hash of the secret, and the store does not
// hand the hash back, so there is nothing left to compare in constant time:
// the lookup's timing can only tell an attacker about hashes, and finding a
// secret for a hash prefix is as hard as guessing the secret.
func (s *server) authenticate(r *http.Request) (store.APIKey, error) {
	secret, err := bearer(r)
	if err != nil {
		return store.APIKey{}, err
	}
	key, err := s.st.APIKeyByHash(r.Context(), HashKey(secret))
	if errors.Is(err, store.ErrNotFound) {
		return store.APIKey{}, fail(http.StatusUnauthorized, "the API key is unknown or revoked")
	}
	if err != nil {
		return store.APIKey{}, fmt.Errorf("look up API key: %w", err)
	}
	return key, nil
}

// bearer returns the token of an "Authorization: Bearer <key>" header.
func bearer(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", fail(http.StatusUnauthorized, "an Authorization: Bearer <key> header is required")
	}
	scheme, token, ok := strings.Cut(h, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || len(token) > maxKeyLen {
		return "", fail(http.StatusUnauthorized, "the Authorization header must be Bearer <key>")
	}
	return token, nil
}
