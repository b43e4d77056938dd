package store

import (
	"context"
	"fmt"
)

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

// APIKeyByHash returns the unrevoked key with that hash, or ErrNotFound, and notes its use.
func (s *Store) APIKeyByHash(ctx context.Context, hash []byte) (APIKey, error) {
	row := s.write().queryRow(ctx, `UPDATE api_keys SET last_used_at = ? WHERE hash = ? AND revoked_at = 0
		RETURNING `+keyColumns, s.nowMS(), hash)
	k, err := scanKey(row)
	return k, s.wrap("API key by hash", err)
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
