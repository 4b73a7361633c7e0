package conversations_test

import (
	"fmt"
	"sync"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestConcurrentPostsGetEveryIndexOnce: 20 clients posting 50 messages each
// into one conversation produce indexes 0..999, each exactly once; on
// PostgreSQL 50 clients post 20 each, and no lock conflict reaches a client.
func TestConcurrentPostsGetEveryIndexOnce(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		writers, perWriter := 20, 50
		if engine == "postgres" {
			writers, perWriter = 50, 20
		}
		env := apitest.Start(t, engine)
		c, err := env.Twilio().ConversationsV1.CreateConversation(nil)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, writers*perWriter)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				api := env.Twilio().ConversationsV1
				for i := 0; i < perWriter; i++ {
					body := fmt.Sprintf("w%d-%d", w, i)
					if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: &body}); err != nil {
						errs <- err
					}
				}
			}(w)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("post failed: %v", err)
		}
		all, err := env.Twilio().ConversationsV1.ListConversationMessage(*c.Sid, &conv.ListConversationMessageParams{PageSize: ptr(100)})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != writers*perWriter {
			t.Fatalf("listed %d messages, want %d", len(all), writers*perWriter)
		}
		seen := map[int]bool{}
		for i, m := range all {
			if seen[m.Index] {
				t.Errorf("index %d assigned twice", m.Index)
			}
			seen[m.Index] = true
			if m.Index != i {
				t.Fatalf("position %d holds index %d: indexes are not 0..%d in order", i, m.Index, writers*perWriter-1)
			}
		}
	})
}
