package sdktest

import (
	"context"
	"fmt"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/push/pushtest"
	"github.com/parley-dev/parley/internal/server"
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
				timed(b, func() {
					if st := s.call("POST", "/Client/v2/Conversations/"+*c.Sid+"/Messages", `{"body":"hi","attributes":"{}"}`, nil); st != 201 {
						b.Fatalf("status %d", st)
					}
				})
			})
			b.Run("rest", func(b *testing.B) {
				timed(b, func() {
					if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str("alice"), Body: str("hi")}); err != nil {
						b.Fatal(err)
					}
				})
			})
		})
	}
}

// timed runs op b.N times and reports its p50 and p99 latency.
func timed(b *testing.B, op func()) {
	ms := make([]float64, 0, b.N)
	for range b.N {
		start := time.Now()
		op()
		ms = append(ms, float64(time.Since(start))/float64(time.Millisecond))
	}
	b.ReportMetric(float64(percentile(ms, 50))/float64(time.Millisecond), "p50-ms")
	b.ReportMetric(float64(percentile(ms, 99))/float64(time.Millisecond), "p99-ms")
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

// BenchmarkPushFanout measures push delivery end to end: one message to a
// conversation of 101 users, each with an FCM device, until the fake FCM
// received all 100 pushes (fan-out job, 100 send jobs, OAuth2 token
// cached, the inspector's records), on each engine.
func BenchmarkPushFanout(b *testing.B) {
	const recipients = 100
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			fcm := pushtest.NewFCM(b, nil)
			e := startServer(b, engine, func(c *server.Config) { c.PushFCMURL = fcm.Server.URL })
			api := e.Twilio().ConversationsV1
			cred, err := api.CreateCredential((&conv.CreateCredentialParams{}).SetType("fcm").SetSecret(fcm.ServiceAccount()))
			if err != nil {
				b.Fatal(err)
			}
			service := defaultService(b, e)
			if _, err := api.UpdateServiceNotification(service, (&conv.UpdateServiceNotificationParams{}).SetNewMessageEnabled(true)); err != nil {
				b.Fatal(err)
			}
			c, err := api.CreateConversation(&conv.CreateConversationParams{})
			if err != nil {
				b.Fatal(err)
			}
			for i := range recipients {
				id := fmt.Sprint("user-", i)
				if _, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).SetIdentity(id)); err != nil {
					b.Fatal(err)
				}
				err := e.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
					return tx.CreateBinding(&parley.Binding{SID: parley.NewSID(parley.PrefixBinding), AccountSID: e.AccountSID,
						ServiceSID: service, CredentialSID: cred.Sid, Endpoint: "fcm-" + id, Identity: id,
						BindingType: parley.BindingTypeFCM, DateCreated: tx.Now(), DateUpdated: tx.Now()})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				if _, err := api.CreateConversationMessage(*c.Sid, (&conv.CreateConversationMessageParams{}).SetAuthor("author").SetBody("hi")); err != nil {
					b.Fatal(err)
				}
				for deadline := time.Now().Add(time.Minute); len(fcm.Sent()) < (i+1)*recipients; time.Sleep(time.Millisecond) {
					if time.Now().After(deadline) {
						b.Fatalf("%d of %d pushes arrived", len(fcm.Sent()), (i+1)*recipients)
					}
				}
			}
			b.ReportMetric(float64(b.N*recipients)/time.Since(start).Seconds(), "pushes/s")
		})
	}
}
