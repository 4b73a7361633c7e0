package jobs

import (
	"testing"
	"time"
)

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	c := Config{BackoffBase: time.Second, BackoffMax: 10 * time.Second}
	var got []time.Duration
	for attempt := 1; attempt <= 6; attempt++ {
		got = append(got, c.Backoff(attempt))
	}
	want := []time.Duration{1, 2, 4, 8, 10, 10}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("backoff = %v, want %v seconds", got, want)
		}
	}
}
