package secrets

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	sealed, err := Seal(key, []byte("server key"), []byte("CR1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("server key")) {
		t.Fatal("sealed value holds the plaintext")
	}
	got, err := Open(key, sealed, []byte("CR1"))
	if err != nil || string(got) != "server key" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := Open(key, sealed, []byte("CR2")); err == nil {
		t.Error("opened under another aad")
	}
	if _, err := Open(bytes.Repeat([]byte{8}, KeySize), sealed, []byte("CR1")); err == nil {
		t.Error("opened under another key")
	}
	if _, err := Seal(key[:16], nil, nil); err == nil {
		t.Error("sealed with a short key")
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xab}, KeySize)
	for _, s := range []string{hex.EncodeToString(key), base64.StdEncoding.EncodeToString(key),
		base64.RawURLEncoding.EncodeToString(key), " " + hex.EncodeToString(key) + "\n"} {
		got, err := ParseKey(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("ParseKey(%q) = %x, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "abcd", hex.EncodeToString(key[:31])} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "master.key")
	first, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o600 {
		t.Errorf("key file mode = %v, want 0600", got)
	}
	again, err := LoadOrCreateKey(path)
	if err != nil || !bytes.Equal(first, again) {
		t.Fatalf("second load = %x, %v; want %x", again, err, first)
	}
	os.WriteFile(path, []byte("garbage"), 0o600)
	if _, err := LoadOrCreateKey(path); err == nil {
		t.Error("loaded a malformed key file")
	}
}
