package bench

import (
	"context"
	"net/http"
)

// The group-commit floor answers how far a single writer that commits
// concurrent requests together could go: every message waiting when the
// previous commit finished goes into the next transaction, so many requests
// share one fsync. It is the floor's "--group-commit-floor" variant and the
// evidence for (or against) building group commit into Parley's store.

// maxGroup bounds one group transaction.
const maxGroup = 256

// pendingWrite is one message waiting for the group commit.
type pendingWrite struct {
	m    *floorMessage
	done chan error
}

// groupCommitter is the one goroutine that writes grouped messages.
type groupCommitter struct {
	f    *floor
	reqs chan pendingWrite
	stop chan struct{}
}

func newGroupCommitter(f *floor) *groupCommitter {
	g := &groupCommitter{f: f, reqs: make(chan pendingWrite), stop: make(chan struct{})}
	go g.loop()
	return g
}

func (g *groupCommitter) loop() {
	for {
		var first pendingWrite
		select {
		case first = <-g.reqs:
		case <-g.stop:
			return
		}
		group := []pendingWrite{first}
	collect:
		for len(group) < maxGroup {
			select {
			case p := <-g.reqs:
				group = append(group, p)
			default:
				break collect
			}
		}
		err := g.commit(group)
		for _, p := range group {
			p.done <- err
		}
	}
}

// commit writes a group in one transaction: one fsync for all of them.
func (g *groupCommitter) commit(group []pendingWrite) error {
	ctx := context.Background()
	tx, err := g.f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, p := range group {
		if err := g.f.insertTx(ctx, tx, p.m); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// write queues m for the next group and waits for its commit.
func (g *groupCommitter) write(ctx context.Context, m *floorMessage) error {
	p := pendingWrite{m: m, done: make(chan error, 1)}
	select {
	case g.reqs <- p:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-p.done
}

func (g *groupCommitter) close() { close(g.stop) }

// createMessageGrouped is the floor's message create through the group commit.
func (f *floor) createMessageGrouped(w http.ResponseWriter, r *http.Request) {
	f.handleCreate(w, r, f.group.write)
}
