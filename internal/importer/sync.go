package importer

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// kind says how one resource is brought into the target: how a source
// record (W) becomes a target record (R), how the target's copy is found,
// which fields are compared (the ones verify compares), and how a record
// is created or rewritten.
type kind[W, R any] struct {
	resource string
	record   func(w W) R
	find     func(tx parley.Tx, w W) (R, error)
	fields   func(r R) map[string]any
	create   func(tx parley.Tx, want R) error
	// update rewrites have with want's compared fields, keeping the
	// target's own (counters, the message checkpoint).
	update func(tx parley.Tx, have, want R) error
}

// syncPage brings one page of source records into the target in one
// transaction: a record the target lacks is created, one whose compared
// fields differ is rewritten, one that agrees is left alone. A re-run over
// an unchanged source therefore writes nothing.
func syncPage[W, R any](im *Importer, ctx context.Context, k kind[W, R], page []W) error {
	return im.counted(ctx, k.resource, func(tx parley.Tx, n *Count) error {
		for _, w := range page {
			if err := syncOne(im, tx, k, w, n); err != nil {
				return err
			}
		}
		return nil
	})
}

// counted runs fn in a write transaction and adds what it counted once the
// transaction committed: a transaction may run more than once (group
// commit retries a batch) or roll back.
func (im *Importer) counted(ctx context.Context, resource string, fn func(tx parley.Tx, n *Count) error) error {
	var n Count
	err := im.write(ctx, func(tx parley.Tx) error {
		n = Count{}
		return fn(tx, &n)
	})
	if err == nil {
		im.add(resource, n)
	}
	return err
}

func syncOne[W, R any](im *Importer, tx parley.Tx, k kind[W, R], w W, n *Count) error {
	want := k.record(w)
	have, err := k.find(tx, w)
	switch {
	case parley.IsNotFound(err):
		n.Copied++
		if im.DryRun {
			return nil
		}
		return k.create(tx, want)
	case err != nil:
		return err
	case sameFields(k.fields(have), k.fields(want)):
		n.Existing++
		return nil
	}
	n.Updated++
	if im.DryRun {
		return nil
	}
	return k.update(tx, have, want)
}

// sameFields compares two field maps as verify renders them.
func sameFields(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		if render(x) != render(b[k]) {
			return false
		}
	}
	return true
}
