package conversations_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// BenchmarkMessageCreate posts messages into one conversation over HTTP with
// the twilio-go client, from GOMAXPROCS*8 concurrent clients.
//
//	go test -run ^$ -bench MessageCreate ./internal/api/conversations/
func BenchmarkMessageCreate(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			env := apitest.Start(b, engine)
			c, err := env.Twilio().ConversationsV1.CreateConversation(nil)
			if err != nil {
				b.Fatal(err)
			}
			var n atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				api := env.Twilio().ConversationsV1
				for pb.Next() {
					body := fmt.Sprint(n.Add(1))
					if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: &body}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
