package demo

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// sdkLockVersion is the @twilio/conversations version sdk/package-lock.json
// pins.
func sdkLockVersion(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("sdk", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatal(err)
	}
	v := lock.Packages["node_modules/@twilio/conversations"].Version
	if v == "" {
		t.Fatal("sdk/package-lock.json pins no @twilio/conversations")
	}
	return v
}

// TestBundleMatchesLockfile: the embedded SDK bundle is, byte for byte, the
// browser build shipped in the @twilio/conversations version the lock file
// pins. It installs the pinned package (npm ci) when it is missing, and
// skips only without npm.
func TestBundleMatchesLockfile(t *testing.T) {
	want := sdkLockVersion(t)
	installed := filepath.Join("sdk", "node_modules", "@twilio", "conversations")
	if _, err := os.Stat(installed); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			t.Skip("npm is not installed: cannot compare the bundle with the pinned package")
		}
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = "sdk"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in sdk/: %v\n%s", err, out)
		}
	}
	var pkg struct {
		Version string `json:"version"`
	}
	raw, err := os.ReadFile(filepath.Join(installed, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Version != want {
		t.Fatalf("installed @twilio/conversations %s, the lock file pins %s: run npm ci in internal/demo/sdk", pkg.Version, want)
	}
	shipped, err := os.ReadFile(filepath.Join(installed, "builds", "twilio-conversations.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := files.ReadFile("web/twilio-conversations.min.js")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, embedded) {
		t.Fatalf("web/twilio-conversations.min.js is not the browser bundle of @twilio/conversations %s; rebuild it: cd internal/demo/sdk && npm ci --no-audit --no-fund && npm run bundle", want)
	}
}
