package sdktest

import (
	"bufio"
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// runSteps runs a scenario of node/sdk.mjs that stops at named steps: at
// each "STEP name" line it runs steps[name] and lets the script go on.
func runSteps(t *testing.T, scenario string, config any, steps map[string]func(), result any) {
	t.Helper()
	cfg, err := json.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "sdk.mjs", scenario, string(cfg))
	cmd.Dir = "node"
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var last string
	lines := bufio.NewScanner(stdout)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	for lines.Scan() {
		line := lines.Text()
		if name, ok := strings.CutPrefix(line, "STEP "); ok {
			fn := steps[name]
			if fn == nil {
				t.Fatalf("scenario %s: unknown step %q", scenario, name)
			}
			fn()
			io.WriteString(stdin, "ok\n")
			continue
		}
		last = line
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node sdk.mjs %s: %v\nstderr:\n%s", scenario, err, stderr.String())
	}
	if err := json.Unmarshal([]byte(last), result); err != nil {
		t.Fatalf("scenario %s printed %q: %v\nstderr:\n%s", scenario, last, err, stderr.String())
	}
}

type liveResult struct {
	Alice, Bob []string
	BobStates  []string `json:"bobStates"`
}

// TestSDKLiveEvents: changes made over REST v1 and Chat v2 reach two
// unmodified SDK clients live, as the SDK's own events; a client whose
// connection was cut gets what was posted meanwhile after it reconnects
// (replay from the event log), the conversation's document as it is now.
func TestSDKLiveEvents(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("live")})
		if err != nil {
			t.Fatal(err)
		}
		sid := *c.Sid
		other, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("other")})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"alice", "bob"} {
			if _, err := api.CreateConversationParticipant(sid, &conv.CreateConversationParticipantParams{Identity: str(who)}); err != nil {
				t.Fatal(err)
			}
		}
		steps := map[string]func(){
			"ready": func() {
				m, err := api.CreateConversationMessage(sid, &conv.CreateConversationMessageParams{Author: str("carol"), Body: str("from rest")})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.Twilio().ChatV2.CreateMessage(*c.ChatServiceSid, sid, &chat.CreateMessageParams{From: str("dave"), Body: str("from chat")}); err != nil {
					t.Fatal(err)
				}
				if _, err := api.UpdateConversationMessage(sid, *m.Sid, &conv.UpdateConversationMessageParams{Body: str("edited")}); err != nil {
					t.Fatal(err)
				}
				if err := api.DeleteConversationMessage(sid, *m.Sid, nil); err != nil {
					t.Fatal(err)
				}
				if _, err := api.UpdateConversation(sid, &conv.UpdateConversationParams{Attributes: str(`{"topic":"news"}`)}); err != nil {
					t.Fatal(err)
				}
				for _, who := range []string{"alice", "bob"} {
					if _, err := api.CreateConversationParticipant(*other.Sid, &conv.CreateConversationParticipantParams{Identity: str(who)}); err != nil {
						t.Fatal(err)
					}
				}
			},
			"leave": func() {
				for _, who := range []string{"alice", "bob"} {
					if err := api.DeleteConversationParticipant(*other.Sid, who, nil); err != nil {
						t.Fatal(err)
					}
				}
			},
			"down": func() {
				if _, err := api.CreateConversationMessage(sid, &conv.CreateConversationMessageParams{Author: str("carol"), Body: str("while down")}); err != nil {
					t.Fatal(err)
				}
				// The message and these change the conversation's document
				// three times while down; the log keeps its newest event
				// alone, so the replay skips two IDs.
				for _, topic := range []string{"down 1", "down 2"} {
					if _, err := api.UpdateConversation(sid, &conv.UpdateConversationParams{Attributes: str(`{"topic":"` + topic + `"}`)}); err != nil {
						t.Fatal(err)
					}
				}
			},
		}
		expect := []string{"added " + sid + " 0 from rest", "added " + sid + " 1 from chat", "updated " + sid + " 0 edited",
			"removed " + sid + " 0", "attributes " + sid + ` {"topic":"news"}`, "joined " + *other.Sid}
		left := []string{"left " + *other.Sid}
		cfg := e.config("alice")
		cfg["sid"], cfg["expect"], cfg["expectLeft"], cfg["expectAfterCut"] = sid, expect, left, []string{"added " + sid + " 2 while down",
			"attributes " + sid + ` {"topic":"down 2"}`}
		start := time.Now()
		var got liveResult
		runSteps(t, "live", cfg, steps, &got)
		t.Logf("live scenario: %v; bob's states %v", time.Since(start).Round(time.Millisecond), got.BobStates)
		for _, line := range append(expect, left...) {
			if !slices.Contains(got.Alice, line) || !slices.Contains(got.Bob, line) {
				t.Errorf("%q: alice saw %v, bob saw %v", line, got.Alice, got.Bob)
			}
		}
		// Each message arrived once, in index order.
		var added []string
		for _, l := range got.Bob {
			if strings.HasPrefix(l, "added ") {
				added = append(added, l)
			}
		}
		want := []string{expect[0], expect[1], "added " + sid + " 2 while down"}
		if !slices.Equal(added, want) {
			t.Errorf("bob's messageAdded: %v, want %v", added, want)
		}
	})
}
