package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/core"
)

// TestConcurrentDeliveries: many clients post into conversations with many
// phones; every phone receives every message exactly once. Then the jobs
// of already-made deliveries run again, as after a crash between the send
// and the job's end: nobody receives anything twice.
func TestConcurrentDeliveries(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const conversations, phones, posts = 4, 5, 6 // per conversation
		var chs []string
		for c := range conversations {
			_, ch := smsConversation(t, env)
			for p := range phones {
				addPhone(t, env, ch, fmt.Sprintf("+1555%03d%04d", c, p), proxy)
			}
			chs = append(chs, ch)
		}
		var wg sync.WaitGroup
		errs := make(chan error, conversations*posts)
		start := time.Now()
		for _, ch := range chs {
			for i := range posts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := env.Twilio().ConversationsV1.CreateConversationMessage(ch,
						(&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody(fmt.Sprint("m", i)))
					errs <- err
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		total := conversations * phones * posts
		waitCarried(t, env, total)
		t.Logf("%s: %d deliveries carried in %v (%.0f/s, loaded machine)", engine, total, time.Since(start),
			float64(total)/time.Since(start).Seconds())
		for c := range conversations {
			for p := range phones {
				if n := len(inbox(t, env, fmt.Sprintf("+1555%03d%04d", c, p))); n != posts {
					t.Errorf("phone %d/%d received %d messages, want %d", c, p, n, posts)
				}
			}
		}

		// Replay every delivery job, as a restart after a crash between
		// the send and the job's end would.
		replayDeliveries(t, env, chs[0])
		waitCarried(t, env, total) // nothing more arrives...
		time.Sleep(time.Second)    // more than the job poll interval (250 ms)
		waitCarried(t, env, total) // ...also after the replayed jobs ran
	})
}

// waitCarried waits until the network carried exactly n messages to phones.
func waitCarried(t *testing.T, env *apitest.Env, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var l simList
		do(t, env, "GET", "/parley/v1/Simulator/Messages?Direction=to_phone&PageSize=1000", nil, 200, &l)
		switch {
		case len(l.Messages) == n:
			return
		case len(l.Messages) > n:
			t.Fatalf("%d messages carried, want %d", len(l.Messages), n)
		case time.Now().After(deadline):
			t.Fatalf("%d messages carried after 60s, want %d", len(l.Messages), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// replayDeliveries enqueues again, under fresh keys, the delivery job of
// every message of a conversation to each of its phones.
func replayDeliveries(t *testing.T, env *apitest.Env, ch string) {
	t.Helper()
	msgs, err := env.Twilio().ConversationsV1.ListConversationMessage(ch, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := env.Twilio().ConversationsV1.ListConversationParticipant(ch, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
		for _, m := range msgs {
			for _, p := range parts {
				payload, _ := json.Marshal(map[string]string{"account_sid": env.AccountSID, "conversation_sid": ch,
					"message_sid": *m.Sid, "participant_sid": *p.Sid})
				if err := tx.EnqueueJob(&parley.Job{Kind: core.ChannelDeliveryJobKind, Key: "replay/" + *m.Sid + *p.Sid,
					Payload: payload, RunAt: tx.Now()}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
