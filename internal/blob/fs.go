// Package blob keeps media files' bytes on the filesystem (parley.Blobs):
// one file per key under a directory, by default <data dir>/media.
package blob

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Dir stores each blob as a file under its root: <root>/<2 chars>/<key>,
// so no directory grows past a few thousand entries' worth of listing.
type Dir struct {
	root string
}

// NewDir returns the blob store rooted at root; the directory is made
// with the first upload.
func NewDir(root string) *Dir { return &Dir{root: root} }

// Root is the directory the blobs live in.
func (d *Dir) Root() string { return d.root }

// path maps a key to its file. Keys are SIDs; anything that could leave
// the root is refused.
func (d *Dir) path(key string) (string, error) {
	if len(key) < 4 || strings.ContainsAny(key, `/\.`) {
		return "", parley.NotFound("Media", key)
	}
	return filepath.Join(d.root, key[len(key)-2:], key), nil
}

// Put writes r to a temporary file, syncs it and renames it into place:
// a reader or a crash never leaves half a file under the key.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	p, err := d.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return n, err
	}
	return n, nil
}

// Open opens the blob for reading.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, parley.NotFound("Media", key)
	}
	return f, err
}

// Delete removes the blob; a missing one is already gone.
func (d *Dir) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
