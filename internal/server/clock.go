package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/jobs"
)

// Clock modes of Config.Clock.
const (
	ClockReal    = "real"
	ClockVirtual = "virtual"
)

// virtualClock moves the virtual clock for the admin API: it saves each
// new reading (so a restart resumes there), then runs the timers the move
// made due before answering.
type virtualClock struct {
	mu    sync.Mutex // one move at a time
	clock *clock.Virtual
	store parley.Store
	pool  *jobs.Pool
}

// resume starts the virtual clock where the store's last reading left it,
// or at the wall clock's time on a new store.
func (v *virtualClock) resume(ctx context.Context) error {
	return v.store.Write(ctx, func(tx parley.Tx) error {
		at, ok, err := tx.VirtualClock()
		if err != nil || !ok {
			return err
		}
		_, err = v.clock.Set(at)
		return err
	})
}

func (v *virtualClock) Now() time.Time { return v.clock.Now() }

func (v *virtualClock) MoveTo(ctx context.Context, t time.Time) (time.Time, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if now := v.clock.Now(); t.Before(now) {
		return now, parley.Errorf(parley.CodeInvalidParameter, "The virtual clock only moves forward: it is %s, and %s is earlier",
			now.Format(time.RFC3339Nano), t.UTC().Format(time.RFC3339Nano))
	}
	t = t.UTC().Truncate(time.Millisecond)
	if err := v.store.Write(ctx, func(tx parley.Tx) error { return tx.SaveVirtualClock(t) }); err != nil {
		return v.clock.Now(), err
	}
	now, err := v.clock.Set(t)
	if err != nil {
		return now, fmt.Errorf("move virtual clock: %w", err)
	}
	// Timers first, synchronously, so the caller sees their effect; then
	// wake the pool for what they enqueued (webhook deliveries).
	err = v.pool.RunDue(ctx, core.TimerJobKind)
	v.pool.Notify()
	return now, err
}
