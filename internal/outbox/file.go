// Package outbox is where messages go when no SMTP relay or Twilio account is
// configured: each email becomes an .eml file and each SMS a .json file, named
// by the message's own ID so that a retried message replaces its file instead
// of appearing twice.
package outbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// maxNameLen keeps file names well under the usual 255-byte limit.
const maxNameLen = 200

// makeDir creates dir/sub and returns its path.
func makeDir(dir, sub string) (string, error) {
	path := filepath.Join(dir, sub)
	if err := os.MkdirAll(path, 0o750); err != nil {
		return "", fmt.Errorf("outbox: create %s: %w", path, err)
	}
	return path, nil
}

// writeFile replaces dir/name with data atomically: readers see the old file
// or the new one, never a part.
func writeFile(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	err = fill(tmp, data)
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("outbox: write %s: %w", name, err)
	}
	return nil
}

// fill writes data to f, flushes it to disk and closes f.
func fill(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

// fileName maps a message ID to a file name, one to one: letters, digits and
// "@._+-" stay, every other byte becomes %XX, and a leading dot is escaped, so
// no ID can name a path outside the directory or a hidden file. An ID too long
// for a file name is replaced by its SHA-256.
func fileName(id string) string {
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if keep(c) && (i > 0 || c != '.') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() > maxNameLen {
		sum := sha256.Sum256([]byte(id))
		return "sha256-" + hex.EncodeToString(sum[:])
	}
	return b.String()
}

func keep(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("@._+-", c) >= 0
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
