package parley

import "time"

// Clock tells the time. Parley reads every timestamp from one injected Clock
// so that a virtual clock can drive timers in tests.
type Clock interface {
	Now() time.Time
}

// ClockTx keeps the virtual clock's reading across restarts.
type ClockTx interface {
	// VirtualClock is the last saved reading; ok is false before the first.
	VirtualClock() (t time.Time, ok bool, err error)
	SaveVirtualClock(t time.Time) error
}
