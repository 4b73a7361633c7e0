// Package secrets seals values that Parley must be able to read back (push
// credentials, later auth tokens) with AES-256-GCM under one master key, and
// loads that key from configuration or from a key file it creates once.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the master key's length in bytes (AES-256).
const KeySize = 32

// version prefixes every sealed value so a later key or cipher change can
// tell old values apart.
const version byte = 1

func aead(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secrets: master key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plaintext under key. aad (e.g. the owning resource's SID)
// is authenticated but not stored: a sealed value copied to another row
// does not open there.
func Seal(key, plaintext, aad []byte) ([]byte, error) {
	g, err := aead(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+g.NonceSize(), 1+g.NonceSize()+len(plaintext)+g.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return g.Seal(out, out[1:], plaintext, aad), nil
}

// Open decrypts a value sealed by Seal with the same key and aad.
func Open(key, sealed, aad []byte) ([]byte, error) {
	g, err := aead(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < 1+g.NonceSize()+g.Overhead() || sealed[0] != version {
		return nil, errors.New("secrets: malformed sealed value")
	}
	nonce, body := sealed[1:1+g.NonceSize()], sealed[1+g.NonceSize():]
	plain, err := g.Open(nil, nonce, body, aad)
	if err != nil {
		return nil, errors.New("secrets: sealed value does not open with this master key")
	}
	return plain, nil
}

// ParseKey reads a master key written as hex or base64 (standard or URL
// alphabet, padded or not) of exactly 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := hex.DecodeString(s); err == nil && len(b) == KeySize {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return b, nil
		}
	}
	return nil, fmt.Errorf("master key must be %d bytes written as hex (%d digits) or base64", KeySize, 2*KeySize)
}

// LoadOrCreateKey returns the key stored in the file at path, creating the
// file (0600, hex) with a fresh random key when it does not exist. The file
// appears complete or not at all, and two processes starting together end
// up with the same key.
func LoadOrCreateKey(path string) ([]byte, error) {
	if raw, err := os.ReadFile(path); err == nil {
		key, err := ParseKey(string(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return key, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := writeNew(path, []byte(hex.EncodeToString(key)+"\n")); errors.Is(err, os.ErrExist) {
		return LoadOrCreateKey(path) // another process won the race
	} else if err != nil {
		return nil, err
	}
	return key, nil
}

// writeNew writes data to a temporary file and links it to path, which
// fails with os.ErrExist rather than replacing an existing key.
func writeNew(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".master.key-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Link(f.Name(), path)
}
