package sdktest

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
)

type twoClientsResult struct {
	Alice, Bob []string
	Latencies  []float64 `json:"latencies"`
}

// TestSDKTwoClients: what one unmodified SDK client writes reaches another
// as the SDK's own events (conversationJoined, participantJoined,
// messageAdded/Updated/Removed, conversationUpdated, participantUpdated,
// userUpdated, participantLeft, conversationLeft), once each, and the
// other's reply comes back. The scenario waits for each event before the
// next write; here each is checked to have come exactly once.
//
// PARLEY_SDK_LATENCY_MESSAGES=n also sends n messages one at a time from
// one client and logs how long each took to reach the other (p50/p99).
func TestSDKTwoClients(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		cfg := e.config("alice")
		cfg["uniqueName"] = "pair"
		n, _ := strconv.Atoi(os.Getenv("PARLEY_SDK_LATENCY_MESSAGES"))
		cfg["latencyMessages"] = n
		var got twoClientsResult
		runSDK(t, "twoClients", cfg, &got)

		once := func(who string, seen []string, lines ...string) {
			t.Helper()
			for _, line := range lines {
				if n := count(seen, line); n != 1 {
					t.Errorf("%s saw %q %d times; saw %q", who, line, n, seen)
				}
			}
		}
		once("bob", got.Bob, "joined pair", "participantJoined carol", "messageAdded 0 alice hi bob",
			"messageUpdated 0 hi bob!", "messageAdded 1 bob hi alice", "messageRemoved 0",
			`conversationUpdated attributes {"topic":"pairs"}`, `conversationUpdated friendlyName "Pair 2"`,
			`participantUpdated carol {"seat":3}`, "userUpdated alice friendlyName", "participantLeft carol", "left pair")
		// alice's SDK subscribes her new conversation's objects lazily, so
		// only what comes after she read them is sure to reach her.
		once("alice", got.Alice, "joined pair", "messageAdded 1 bob hi alice", "participantLeft bob")
		// A friendly-name change is one reason: the attributes did not change.
		if slices.Contains(got.Bob, "userUpdated alice attributes") {
			t.Errorf("bob saw alice's attributes updated: %q", got.Bob)
		}
		if len(got.Latencies) > 0 {
			p50, p99 := percentile(got.Latencies, 50), percentile(got.Latencies, 99)
			t.Logf("SDK to SDK over %d messages: p50 %v, p99 %v", len(got.Latencies), p50, p99)
		}
	})
}

func count(lines []string, line string) int {
	n := 0
	for _, l := range lines {
		if l == line {
			n++
		}
	}
	return n
}

// percentile is the p-th percentile of millisecond samples, nearest rank.
func percentile(ms []float64, p int) time.Duration {
	s := slices.Clone(ms)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	i = max(1, min(i, len(s)))
	return time.Duration(s[i-1] * float64(time.Millisecond)).Round(10 * time.Microsecond)
}
