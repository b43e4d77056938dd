package store

import (
	"context"
	"fmt"
	"time"
)

// keyUseResolution is how precisely a key's last use is kept.
const keyUseResolution = time.Minute

const keyColumns = `id, name, role, created_at, revoked_at, last_used_at`

// CreateAPIKey stores a key by the SHA-256 hash of its secret. ErrConflict if the name is taken.
func (s *Store) CreateAPIKey(ctx context.Context, name string, role Role, hash []byte) (APIKey, error) {
	if !role.Valid() {
		return APIKey{}, fmt.Errorf("store: create API key: unknown role %q", role)
	}
	row := s.write().queryRow(ctx, `INSERT INTO api_keys (name, role, hash, created_at) VALUES (?, ?, ?, ?)
		RETURNING `+keyColumns, name, role, hash, s.nowMS())
	k, err := scanKey(row)
	return k, s.wrap("create API key", err)
}

// APIKeyByHash returns the unrevoked key with that hash, or ErrNotFound, and notes
// its use (to the minute).
func (s *Store) APIKeyByHash(ctx context.Context, hash []byte) (APIKey, error) {
	k, err := scanKey(s.read().queryRow(ctx,
		`SELECT `+keyColumns+` FROM api_keys WHERE hash = ? AND revoked_at = 0`, hash))
	if err != nil {
		return k, s.wrap("API key by hash", err)
	}
	// Every API request looks its key up: note the use at most once a minute,
	// so that requests do not queue behind deliveries for the single writer.
	now := s.now()
	if now.Sub(k.LastUsedAt) < keyUseResolution {
		return k, nil
	}
	if _, err := s.write().exec(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, ms(now), k.ID); err != nil {
		return k, s.wrap("note API key use", err)
	}
	k.LastUsedAt = fromMS(ms(now))
	return k, nil
}

// ListAPIKeys lists every key, revoked ones included, by name.
func (s *Store) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	rows, err := s.read().query(ctx, `SELECT `+keyColumns+` FROM api_keys ORDER BY name`)
	if err != nil {
		return nil, s.wrap("list API keys", err)
	}
	ks, err := collect(rows, scanKey)
	return ks, s.wrap("list API keys", err)
}

// RevokeAPIKey revokes the key with that name; ErrNotFound if none is active.
func (s *Store) RevokeAPIKey(ctx context.Context, name string) error {
	res, err := s.write().exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at = 0`,
		s.nowMS(), name)
	if err == nil {
		err = mustAffect(res)
	}
	return s.wrap("revoke API key", err)
}

func scanKey(r scanner) (APIKey, error) {
	var k APIKey
	var created, revoked, used int64
	err := r.Scan(&k.ID, &k.Name, &k.Role, &created, &revoked, &used)
	k.CreatedAt, k.RevokedAt, k.LastUsedAt = fromMS(created), fromMS(revoked), fromMS(used)
	return k, err
}
