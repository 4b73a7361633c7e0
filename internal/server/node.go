package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	parley "github.com/parley-dev/parley"
)

// validNodeID is what a node id may be: it prefixes the job leases the node
// holds ("<node>/<incarnation>"), so it never contains a slash.
var validNodeID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// nodeID is Config.NodeID, else the id kept in DataDir/node-id (created on
// first start), else a random id that no later start will share. A node
// with the same id as a process that died takes back the jobs it held at
// once, instead of after their leases run out.
func (c Config) nodeID() (string, error) {
	if c.NodeID != "" {
		if !validNodeID.MatchString(c.NodeID) {
			return "", fmt.Errorf("node id %q: want 1-64 letters, digits, '.', '_' or '-'", c.NodeID)
		}
		return c.NodeID, nil
	}
	if c.DataDir == "" {
		return strings.ToLower(parley.NewSecret()[:16]), nil
	}
	return loadOrCreateNodeID(filepath.Join(c.DataDir, "node-id"))
}

func loadOrCreateNodeID(path string) (string, error) {
	if raw, err := os.ReadFile(path); err == nil {
		id := strings.TrimSpace(string(raw))
		if !validNodeID.MatchString(id) {
			return "", fmt.Errorf("%s: %q is not a node id", path, id)
		}
		return id, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	// Written aside and linked into place, so a crash never leaves a
	// half-written id and a concurrent first start finds the winner's.
	id := strings.ToLower(parley.NewSecret()[:16])
	f, err := os.CreateTemp(filepath.Dir(path), ".node-id-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(id + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(f.Name(), path)
	}
	if errors.Is(err, os.ErrExist) {
		return loadOrCreateNodeID(path)
	}
	return id, err
}
