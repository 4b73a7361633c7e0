package client

import (
	"slices"
	"testing"
	"time"
)

// TestCoalescer: a burst of horizon writes of one key becomes the first
// write at once and the last one when the window ends; other keys are not
// held by it; a quiet window closes without a write.
func TestCoalescer(t *testing.T) {
	c := newCoalescer(time.Second)
	var timers []func()
	c.after = func(_ time.Duration, fn func()) { timers = append(timers, fn) }
	fire := func() {
		t.Helper()
		if len(timers) == 0 {
			t.Fatal("no window open")
		}
		fn := timers[0]
		timers = timers[1:]
		fn()
	}
	var written []int64
	write := func(i *int64) { written = append(written, *i) }
	idx := func(i int64) *int64 { return &i }

	if c.hold("alice/CH1", idx(0), write) {
		t.Fatal("the first write of a quiet key was held")
	}
	for i := int64(1); i <= 20; i++ {
		if !c.hold("alice/CH1", idx(i), write) {
			t.Fatalf("write %d inside the window was not held", i)
		}
	}
	if c.hold("bob/CH1", idx(7), write) {
		t.Fatal("another key was held by alice's window")
	}
	fire() // alice's window: writes the last held index, opens the next
	if len(written) != 1 || written[0] != 20 {
		t.Fatalf("written %v, want [20]", written)
	}
	if !c.hold("alice/CH1", idx(21), write) {
		t.Fatal("a write in the window the held write opened was not held")
	}
	fire() // bob's window: nothing held, closes
	fire() // alice's second window: writes 21
	fire() // alice's third window: quiet, closes
	if len(timers) != 0 {
		t.Fatalf("%d windows still open", len(timers))
	}
	if !slices.Equal(written, []int64{20, 21}) {
		t.Fatalf("written %v, want [20 21]", written)
	}
	if c.hold("alice/CH1", idx(22), write) {
		t.Fatal("the first write after a quiet window was held")
	}
	requests, writes := c.counts()
	if requests != 24 || writes != 5 {
		t.Fatalf("counts = %d requests, %d writes; want 24, 5", requests, writes)
	}
	// A shutdown writes what is held and closes the windows.
	c.hold("alice/CH1", idx(23), write)
	c.flush()
	if written[len(written)-1] != 23 || len(c.open) != 0 {
		t.Fatalf("after flush: written %v, %d windows open", written, len(c.open))
	}
	t.Logf("coalescing: %d horizon requests, %d writes (%d saved)", requests, writes, requests-writes)
}
