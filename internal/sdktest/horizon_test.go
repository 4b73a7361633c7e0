package sdktest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/syncview"
)

// TestClientAPIHorizonCoalescing: members of a busy room each read it
// message by message, as fast as the server answers. Every request is
// answered with the unread count it implies; the roster gets far fewer
// events than requests; once the windows closed, every member's horizon
// is the last message over REST.
func TestClientAPIHorizonCoalescing(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("busy")})
		if err != nil {
			t.Fatal(err)
		}
		sid := *c.Sid
		const members, messages = 8, 40
		socks := make([]*sock, members)
		for i := range socks {
			id := fmt.Sprint("reader", i)
			if _, err := api.CreateConversationParticipant(sid, &conv.CreateConversationParticipantParams{Identity: str(id)}); err != nil {
				t.Fatal(err)
			}
			socks[i] = e.dial(t, id)
		}
		for i := range messages {
			if _, err := api.CreateConversationMessage(sid, &conv.CreateConversationMessageParams{Author: str("poster"), Body: str(fmt.Sprint(i))}); err != nil {
				t.Fatal(err)
			}
		}
		rosterEvents := func() int64 {
			var n int64
			if err := e.Server.Store.Read(context.Background(), func(tx parley.Tx) (err error) {
				n, err = tx.LastSyncEventID(syncview.RosterMap(sid))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := rosterEvents()
		var wg sync.WaitGroup
		for _, s := range socks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range messages {
					var m struct {
						Unread *int64 `json:"unread_messages_count"`
					}
					if status := s.call("POST", "/Client/v2/Me/Conversations/"+sid, fmt.Sprintf(`{"last_read_message_index":%d}`, i), &m); status != 200 {
						t.Errorf("horizon %d: status %d", i, status)
						return
					}
					if m.Unread == nil || *m.Unread != int64(messages-1-i) {
						t.Errorf("horizon %d: unread %v, want %d", i, m.Unread, messages-1-i)
						return
					}
				}
			}()
		}
		wg.Wait()
		// The last held writes land when their windows end.
		deadline := time.Now().Add(10 * time.Second)
		for {
			ps, err := api.ListConversationParticipant(sid, &conv.ListConversationParticipantParams{})
			if err != nil {
				t.Fatal(err)
			}
			done := 0
			for _, p := range ps {
				if p.LastReadMessageIndex != nil && *p.LastReadMessageIndex == messages-1 {
					done++
				}
			}
			if done == members {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d members read to %d", done, members, messages-1)
			}
			time.Sleep(50 * time.Millisecond)
		}
		events, requests := rosterEvents()-before, int64(members*messages)
		if events > requests {
			t.Errorf("%d roster events for %d horizon requests", events, requests)
		}
		t.Logf("%d members × %d horizon requests = %d requests: %d horizon writes and roster events (%d saved)",
			members, messages, requests, events, requests-events)
	})
}
