package client

import (
	"sync"
	"sync/atomic"
	"time"
)

// HorizonWindow is how long after a read-horizon write of one user in one
// conversation the next ones are held and merged: the first write of a
// quiet period goes to the store at once, the ones that follow within the
// window are answered at once (with the unread count they imply) and only
// the last of them is written when the window ends, which opens the next
// window. A member reading a busy room with setAllMessagesRead after every
// message thus writes, and fans out to the roster, at most about once per
// window instead of once per message. The window is wall time: it limits
// a rate, it is no domain deadline, so the virtual clock does not move it.
const HorizonWindow = time.Second

// coalescer holds read-horizon writes per key (account, user and
// conversation) on this node. What it holds is lost if the process dies
// within the window (at most one window of one user's reading); a
// graceful shutdown writes it (flush).
type coalescer struct {
	window time.Duration
	// after runs fn after d (time.AfterFunc; tests fire it by hand).
	after func(d time.Duration, fn func())

	mu   sync.Mutex
	open map[string]*window

	requests, writes atomic.Int64
}

// window is an open coalescing window and the write it holds, if any.
type window struct {
	held  bool
	index *int64
	write func(index *int64)
}

func newCoalescer(d time.Duration) *coalescer {
	return &coalescer{window: d, open: map[string]*window{},
		after: func(d time.Duration, fn func()) { time.AfterFunc(d, fn) }}
}

// hold takes a horizon write of key. Outside a window it opens one and
// returns false: the caller writes now. Inside one it keeps index, to be
// written by write when the window ends, replacing any it held before, and
// returns true: the caller answers without writing.
func (c *coalescer) hold(key string, index *int64, write func(index *int64)) bool {
	c.requests.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if w := c.open[key]; w != nil {
		w.held, w.index, w.write = true, index, write
		return true
	}
	c.open[key] = &window{}
	c.writes.Add(1)
	c.after(c.window, func() { c.close(key) })
	return false
}

// close ends key's window: a held write is written and opens the next
// window; without one the key is quiet again.
func (c *coalescer) close(key string) {
	c.mu.Lock()
	w := c.open[key]
	if w == nil || !w.held {
		delete(c.open, key)
		c.mu.Unlock()
		return
	}
	index, write := w.index, w.write
	w.held, w.index, w.write = false, nil, nil
	c.writes.Add(1)
	c.after(c.window, func() { c.close(key) })
	c.mu.Unlock()
	write(index)
}

// flush writes every held write now and closes every window; windows
// opened afterwards work as before.
func (c *coalescer) flush() {
	c.mu.Lock()
	var writes []func()
	for key, w := range c.open {
		if w.held {
			index, write := w.index, w.write
			writes = append(writes, func() { write(index) })
			c.writes.Add(1)
		}
		delete(c.open, key)
	}
	c.mu.Unlock()
	for _, w := range writes {
		w()
	}
}

// counts are the horizon writes asked for and those that reached the
// store (the rest were merged).
func (c *coalescer) counts() (requests, writes int64) {
	return c.requests.Load(), c.writes.Load()
}
