package parley_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

const migratingGuide = "docs/migrating-from-chat.md"

// TestMigratingGuide runs every command block of docs/migrating-from-chat.md,
// in order, as one bash session against a live server, and checks that the
// two APIs show what the guide says they show.
func TestMigratingGuide(t *testing.T) {
	migratingGuideRun(t, apitest.Start(t, "sqlite"))
}

// migratingGuideRun runs the guide against env and checks what it printed.
func migratingGuideRun(t *testing.T, env *apitest.Env) {
	t.Helper()
	out := runGuide(t, env, migratingGuide, "migrating")

	find := func(pattern string) []string {
		t.Helper()
		m := regexp.MustCompile(`(?m)^` + pattern + `$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("output lacks a line matching %q:\n%s", pattern, out)
		}
		return m[1:]
	}
	ch := find(`chat channel (CH[0-9a-f]{32})`)[0]
	if got := find(`conversation (CH[0-9a-f]{32}) support`)[0]; got != ch {
		t.Errorf("Conversations shows %s, Chat made %s", got, ch)
	}
	conv := find(`conversations (IM[0-9a-f]{32}) index (\d+) author alice`)
	chat := find(`chat (IM[0-9a-f]{32}) index (\d+) from alice to (CH[0-9a-f]{32})`)
	if conv[0] != chat[0] || conv[1] != chat[1] || conv[1] != "0" || chat[2] != ch {
		t.Errorf("message: Conversations %v, Chat %v; want the same SID at index 0 to %s", conv, chat, ch)
	}
	find(`chat last_consumed_message_index (0)`)
	find(`conversations last_read_message_index (0)`)
	find(`user conversation unread (0)`)
	chatRole := find(`chat (RL[0-9a-f]{32}) channel True`)
	convRole := find(`conversations (RL[0-9a-f]{32}) conversation True`)
	if chatRole[0] != convRole[0] {
		t.Errorf("role: Chat %s, Conversations %s", chatRole[0], convRole[0])
	}
	find(`conversations sendMessage removeParticipant`)
	find(`chat sendMessage removeMember inviteMember`)
	find(`chat https://example.com/chat-events onMessageSent onMemberAdded`)
	find(`conversations https://example.com/chat-events onMessageAdded onParticipantAdded`)
	flip := find(`(404)\nv3 (CH[0-9a-f]{32}) private\n(200)`)
	if flip[1] == ch {
		t.Errorf("the public channel has the private channel's SID %s", ch)
	}
	find(`public channels left: (0)`)
	find(`chat post_webhook_url (None)`)
}

// runGuide runs every sh block of a guide, in order, as one bash session
// against env, and checks the guide's sample outputs (its fenced blocks
// without a language, … standing for a SID's 32 hex digits) against what
// the session printed. Each sh block must follow a <!-- prefix-N -->
// marker, numbered 1..n in order, so no command a reader would run is
// left out.
func runGuide(t *testing.T, env *apitest.Env, file, prefix string) string {
	t.Helper()
	for _, tool := range []string{"curl", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	shBlocks := strings.Count(string(raw), "```sh\n")
	markers := regexp.MustCompile(`<!-- `+prefix+`-(\d+) -->`).FindAllStringSubmatch(string(raw), -1)
	if len(markers) == 0 || len(markers) != shBlocks {
		t.Fatalf("%s has %d sh blocks and %d %s markers", file, shBlocks, len(markers), prefix)
	}
	var script []string
	for i, m := range markers {
		if m[1] != fmt.Sprint(i+1) {
			t.Fatalf("marker %d is %s-%s; want them numbered in order", i+1, prefix, m[1])
		}
		script = append(script, withoutExports(docBlock(t, file, m[0])))
	}
	out := runAgainst(t, env, strings.Join(script, "\n"), "bash")
	t.Logf("%s session output:\n%s", file, out)
	samples := plainBlocks(string(raw))
	if len(samples) == 0 {
		t.Errorf("%s shows no sample output", file)
	}
	for _, sample := range samples {
		for _, line := range strings.Split(strings.TrimSpace(sample), "\n") {
			pattern := strings.ReplaceAll(regexp.QuoteMeta(line), "…", "[0-9a-f]{32}")
			if !regexp.MustCompile(`(?m)^` + pattern + `$`).MatchString(out) {
				t.Errorf("%s shows output %q, which the session did not print", file, line)
			}
		}
	}
	return out
}

// plainBlocks returns the contents of the markdown's fenced blocks that name
// no language.
func plainBlocks(md string) []string {
	var blocks []string
	var cur []string
	in, plain := false, false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case !in && strings.HasPrefix(line, "```"):
			in, plain, cur = true, line == "```", nil
		case in && line == "```":
			if plain {
				blocks = append(blocks, strings.Join(cur, "\n"))
			}
			in = false
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}
