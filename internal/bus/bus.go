// Package bus carries committed Sync events from the store's after-commit
// hook to live subscribers. Local is the in-process bus of one node.
package bus

import (
	"sync"

	parley "github.com/parley-dev/parley"
)

// Local is an in-process parley.Bus. Publish never blocks the committer:
// batches queue (unbounded, in memory) and one goroutine hands them to the
// subscribers in publish order.
type Local struct {
	mu      sync.Mutex
	queue   [][]parley.SyncEvent
	subs    map[int]func([]parley.SyncEvent)
	nextSub int
	wake    chan struct{}
	closed  bool
	done    chan struct{}
}

var _ parley.Bus = (*Local)(nil)

// NewLocal starts an in-process bus; Close stops it.
func NewLocal() *Local {
	b := &Local{subs: map[int]func([]parley.SyncEvent){}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go b.run()
	return b
}

// Publish queues a batch for the subscribers.
func (b *Local) Publish(events []parley.SyncEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.subs) == 0 {
		return
	}
	b.queue = append(b.queue, events)
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// Subscribe calls fn with every batch published from now on, on the bus's
// one delivery goroutine: fn must not wait long.
func (b *Local) Subscribe(fn func([]parley.SyncEvent)) (cancel func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id := b.nextSub
	b.nextSub++
	b.subs[id] = fn
	return func() {
		b.mu.Lock()
		delete(b.subs, id)
		b.mu.Unlock()
	}
}

// Close stops delivery; batches still queued are dropped (live delivery is
// best effort: subscribers catch up from the log).
func (b *Local) Close() {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return
	}
	b.closed = true
	close(b.wake)
	b.mu.Unlock()
	<-b.done
}

func (b *Local) run() {
	defer close(b.done)
	for range b.wake {
		for {
			b.mu.Lock()
			if b.closed || len(b.queue) == 0 {
				b.mu.Unlock()
				break
			}
			batch := b.queue[0]
			b.queue[0] = nil
			b.queue = b.queue[1:]
			fns := make([]func([]parley.SyncEvent), 0, len(b.subs))
			for _, fn := range b.subs {
				fns = append(fns, fn)
			}
			b.mu.Unlock()
			for _, fn := range fns {
				fn(batch)
			}
		}
	}
}
