package storetest

import (
	"testing"
	"time"

	parley "github.com/parley-dev/parley"
)

func testVirtualClock(t *testing.T, s parley.Store) {
	read(t, s, func(tx parley.Tx) error {
		_, ok, err := tx.VirtualClock()
		if ok {
			t.Error("a fresh store has a virtual clock reading")
		}
		return err
	})
	for _, at := range []time.Time{stamp(100), stamp(-50)} { // it may move back
		write(t, s, func(tx parley.Tx) error { return tx.SaveVirtualClock(at) })
		read(t, s, func(tx parley.Tx) error {
			got, ok, err := tx.VirtualClock()
			if !ok || !got.Equal(ms(at)) || got.Location() != time.UTC {
				t.Errorf("virtual clock = %v (ok=%v), want %v", got, ok, ms(at))
			}
			return err
		})
	}
}

// testNow: a transaction's clock reading is taken once and is in UTC.
func testNow(t *testing.T, s parley.Store) {
	before := time.Now()
	var first, second time.Time
	write(t, s, func(tx parley.Tx) error {
		first = tx.Now()
		time.Sleep(2 * time.Millisecond)
		second = tx.Now()
		return nil
	})
	if !first.Equal(second) || first.Location() != time.UTC || first.Before(before.Add(-time.Second)) || first.After(time.Now()) {
		t.Errorf("Now() = %v then %v, want one UTC reading of the real clock", first, second)
	}
}
