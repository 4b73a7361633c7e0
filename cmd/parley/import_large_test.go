package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	chatv2 "github.com/twilio/twilio-go/rest/chat/v2"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestImportLarge copies an account of ten thousand messages from a source
// Parley on PostgreSQL into a SQLite target: 50 conversations of 200
// messages (each with participants, a role and a read horizon) across two
// services with users and roles, and five public Chat channels with
// members and messages. Verify then compares every count, every record
// but messages whole, and every 10th message. The import's speed is
// logged (go test -v), not asserted.
func TestImportLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds ten thousand messages")
	}
	src := apitest.Start(t, "postgres")
	start := time.Now()
	seed := seedSource(t, src, 25, 200)
	seed.messages += seedPublicChannels(t, src, seed.serviceSID, 4, 20)
	t.Logf("seeded %d messages in %d conversations in %s", seed.messages, seed.conversations, time.Since(start).Round(time.Millisecond))

	target := apitest.DatabaseURL(t, "sqlite")
	start = time.Now()
	out, errOut, err := importCmd(context.Background(), src, src.URL, target, "--page-size", "100")
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("import: %v\n%s\n%s", err, out, errOut)
	}
	got := copied(out)
	if got["messages"] != seed.messages || got["conversations"] != seed.conversations || got["public channels"] != 5 {
		t.Errorf("copied %v, want %d messages in %d conversations and 5 public channels", got, seed.messages, seed.conversations)
	}
	t.Logf("imported %d messages in %s: %.0f messages/s (source PostgreSQL, target SQLite, concurrency 4)",
		got["messages"], elapsed.Round(time.Millisecond), float64(got["messages"])/elapsed.Seconds())

	var b bytes.Buffer
	start = time.Now()
	err = Main(context.Background(), []string{"import", "verify", "--from", src.URL, "--account-sid", src.AccountSID,
		"--auth-token", src.AuthToken, "--database-url", target, "--page-size", "100"}, func(string) string { return "" }, &b, &b)
	if err != nil || !strings.Contains(b.String(), "source and target agree") {
		t.Fatalf("verify: %v\n%s", err, b.String())
	}
	t.Logf("verified in %s:\n%s", time.Since(start).Round(time.Millisecond), b.String())
}

// seedPublicChannels adds n more public channels to service, each with two
// members and msgs messages, and returns how many messages it posted.
func seedPublicChannels(t *testing.T, src *apitest.Env, service string, n, msgs int) int {
	t.Helper()
	chat := src.Twilio().ChatV2
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- seedPublicChannel(chat, service, i, msgs)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return n * msgs
}

func seedPublicChannel(chat *chatv2.ApiService, service string, i, msgs int) error {
	ch, err := chat.CreateChannel(service, (&chatv2.CreateChannelParams{}).SetType("public").
		SetFriendlyName(fmt.Sprintf("square %d", i)).SetUniqueName(fmt.Sprintf("square-%d", i)))
	if err != nil {
		return err
	}
	for _, who := range []string{"alice", "carol"} {
		if _, err := chat.CreateMember(service, *ch.Sid, (&chatv2.CreateMemberParams{}).SetIdentity(who)); err != nil {
			return err
		}
	}
	for j := range msgs {
		if _, err := chat.CreateMessage(service, *ch.Sid, (&chatv2.CreateMessageParams{}).SetFrom("carol").
			SetBody(fmt.Sprintf("square %d message %d", i, j))); err != nil {
			return err
		}
	}
	_, err = chat.UpdateMember(service, *ch.Sid, "alice", (&chatv2.UpdateMemberParams{}).SetLastConsumedMessageIndex(msgs-1))
	return err
}
