package sdktest

import (
	"fmt"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"
)

// BenchmarkSyncMessagesPage measures one getMessages page (10 items,
// newest first) read over twilsock from a real server, on each engine.
func BenchmarkSyncMessagesPage(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			e, c := aliceConversation(b, engine)
			api := e.Twilio().ConversationsV1
			str := func(s string) *string { return &s }
			for i := range 20 {
				if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: str(fmt.Sprint(i))}); err != nil {
					b.Fatal(err)
				}
			}
			s, err := e.tryDial("alice")
			if err != nil {
				b.Fatal(err)
			}
			s.t = b
			path := "/v3/Lists/ES" + *c.Sid + "/Items?Order=desc&PageSize=10"
			b.ResetTimer()
			for range b.N {
				var page syncItems
				if st := s.call("GET", path, "", &page); st != 200 || len(page.Items) != 10 {
					b.Fatalf("status %d, %d items", st, len(page.Items))
				}
			}
		})
	}
}

// BenchmarkClientSend measures one sendMessage over twilsock (role
// permissions checked, webhooks on but none configured) against the same
// post over REST by the account (no checks), on each engine.
func BenchmarkClientSend(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			e, c := aliceConversation(b, engine)
			api := e.Twilio().ConversationsV1
			str := func(s string) *string { return &s }
			b.Run("sdk", func(b *testing.B) {
				s, err := e.tryDial("alice")
				if err != nil {
					b.Fatal(err)
				}
				s.t = b
				for range b.N {
					if st := s.call("POST", "/Client/v2/Conversations/"+*c.Sid+"/Messages", `{"body":"hi","attributes":"{}"}`, nil); st != 201 {
						b.Fatalf("status %d", st)
					}
				}
			})
			b.Run("rest", func(b *testing.B) {
				for range b.N {
					if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str("alice"), Body: str("hi")}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// aliceConversation starts a server with one conversation alice takes
// part in.
func aliceConversation(b *testing.B, engine string) (*sdkEnv, *conv.ConversationsV1Conversation) {
	e := startServer(b, engine)
	api := e.Twilio().ConversationsV1
	c, err := api.CreateConversation(&conv.CreateConversationParams{})
	if err != nil {
		b.Fatal(err)
	}
	alice := "alice"
	if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: &alice}); err != nil {
		b.Fatal(err)
	}
	return e, c
}
