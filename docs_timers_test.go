package parley_test

import (
	"sort"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestStatesAndTimersGuide runs docs/states-and-timers.md's worked example
// against a server on the virtual clock and checks its printed output and
// the webhook calls it describes.
func TestStatesAndTimersGuide(t *testing.T) {
	env := apitest.Start(t, "sqlite", apitest.VirtualClock)
	timersGuide(t, env, newHookLog(t))
}

func timersGuide(t *testing.T, env *apitest.Env, hooks *hookLog) {
	t.Helper()
	t.Setenv("HOOK", hooks.url+"/timers")
	runGuide(t, env, "docs/states-and-timers.md", "timers")
	// The three timer transitions the guide describes, and no wake-up:
	// the guide posts its message without X-Twilio-Webhook-Enabled.
	want := [][3]string{{"active", "inactive", "2030-01-07T09:10:00.000Z"}, {"active", "inactive", "2030-01-07T09:25:00.000Z"},
		{"inactive", "closed", "2030-01-07T10:15:00.000Z"}}
	calls := hooks.calls("onConversationStateUpdated")
	for deadline := time.Now().Add(10 * time.Second); len(calls) < len(want) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond) // the guide's sleep may be short on a loaded machine
		calls = hooks.calls("onConversationStateUpdated")
	}
	// Deliveries run concurrently: order them by the moment of the change.
	sort.Slice(calls, func(i, j int) bool { return calls[i].form.Get("StateUpdated") < calls[j].form.Get("StateUpdated") })
	if len(calls) != len(want) {
		t.Fatalf("the webhook got %d onConversationStateUpdated calls, want %d", len(calls), len(want))
	}
	for i, c := range calls {
		got := [3]string{c.form.Get("StateFrom"), c.form.Get("StateTo"), c.form.Get("StateUpdated")}
		if got != want[i] || c.form.Get("Reason") != "TIMER" || c.path != "/timers" {
			t.Errorf("call %d to %s: %v reason %s, want %v TIMER", i, c.path, got, c.form.Get("Reason"), want[i])
		}
	}
}
