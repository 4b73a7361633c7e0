package parley_test

import (
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestStatesAndTimersGuide runs docs/states-and-timers.md's worked example
// against a server on the virtual clock and checks its printed output.
func TestStatesAndTimersGuide(t *testing.T) {
	env := apitest.Start(t, "sqlite", apitest.VirtualClock)
	runGuide(t, env, "docs/states-and-timers.md", "timers")
}
