package clock

import (
	"testing"
	"time"
)

func TestVirtualMovesOnlyForward(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 678_900_000, time.UTC)
	v := NewVirtual(start)
	if got := v.Now(); !got.Equal(start.Truncate(time.Millisecond)) {
		t.Fatalf("Now = %s", got)
	}
	if got, err := v.Advance(15 * time.Minute); err != nil || !got.Equal(start.Truncate(time.Millisecond).Add(15*time.Minute)) {
		t.Fatalf("Advance = %s, %v", got, err)
	}
	if _, err := v.Advance(-time.Second); err == nil {
		t.Fatal("a negative advance was accepted")
	}
	if _, err := v.Set(start); err == nil {
		t.Fatal("setting the clock back was accepted")
	}
	later := start.Add(24 * time.Hour)
	if got, err := v.Set(later); err != nil || !got.Equal(later.Truncate(time.Millisecond)) {
		t.Fatalf("Set = %s, %v", got, err)
	}
}

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"PT1M": time.Minute, "PT10M": 10 * time.Minute, "P1D": 24 * time.Hour, "P1W": 7 * 24 * time.Hour,
		"P1DT2H30S": 26*time.Hour + 30*time.Second, "PT90S": 90 * time.Second,
	}
	for s, want := range good {
		if got, ok := ParseDuration(s); !ok || got != want {
			t.Errorf("ParseDuration(%q) = %s, %v; want %s", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "P", "PT", "P1DT", "10M", "PT10", "P1M", "P1Y", "PT0S", "PTM", "P1H", "PT1D", "PT99999999999S"} {
		if d, ok := ParseDuration(s); ok {
			t.Errorf("ParseDuration(%q) = %s, accepted", s, d)
		}
	}
}
