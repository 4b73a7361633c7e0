// Package clock holds Parley's two clocks. Every timestamp Parley writes and
// every deadline it keeps (timers, job schedules, webhook retries) reads
// one injected parley.Clock: the real one in production, or a virtual one
// that moves only when told, so that tests and developers can watch an hour
// of timers happen in one request.
package clock

import (
	"fmt"
	"sync"
	"time"
)

// Real is the wall clock.
type Real struct{}

// Now is the current wall-clock time.
func (Real) Now() time.Time { return time.Now() }

// Virtual is a clock that stands still until Advance or Set moves it.
// It never moves backwards: everything scheduled against it (timers, job
// leases, retries) assumes time only grows.
type Virtual struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtual starts a virtual clock at start, truncated to the millisecond
// (the store's resolution), so that what is read back equals what was set.
func NewVirtual(start time.Time) *Virtual {
	return &Virtual{now: start.UTC().Truncate(time.Millisecond)}
}

// Now is the clock's current time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// Advance moves the clock forward by d and returns the new time.
func (v *Virtual) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("the clock cannot go back (advance by %s)", d)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.now = v.now.Add(d).Truncate(time.Millisecond)
	return v.now, nil
}

// Set moves the clock to t, which must not be before its current time.
func (v *Virtual) Set(t time.Time) (time.Time, error) {
	t = t.UTC().Truncate(time.Millisecond)
	v.mu.Lock()
	defer v.mu.Unlock()
	if t.Before(v.now) {
		return time.Time{}, fmt.Errorf("the clock cannot go back from %s to %s",
			v.now.Format(time.RFC3339Nano), t.Format(time.RFC3339Nano))
	}
	v.now = t
	return v.now, nil
}
