package store

import "time"

// SetSettleWithin shortens how long a lost COMMIT is waited for, for tests.
func SetSettleWithin(d time.Duration) (restore func()) {
	old := settleWithin
	settleWithin = d
	return func() { settleWithin = old }
}
