package simulator_test

import (
	"fmt"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// BenchmarkSimulatorDeliveries measures outbound deliveries through the
// simulator adapter end to end: b.N messages posted into a conversation
// of 20 SMS phones, until every phone received every message (a durable
// job per delivery, the adapter's send, the receipt's sent and delivered
// steps), on each engine.
func BenchmarkSimulatorDeliveries(b *testing.B) {
	const phones = 20
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			env := apitest.Start(b, engine)
			_, ch := smsConversation(b, env)
			for p := range phones {
				addPhone(b, env, ch, fmt.Sprintf("+1555300%04d", p), proxy)
			}
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				if _, err := env.Twilio().ConversationsV1.CreateConversationMessage(ch,
					(&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody(fmt.Sprint("m", i))); err != nil {
					b.Fatal(err)
				}
			}
			for p := range phones {
				for deadline := time.Now().Add(time.Minute); len(inbox(b, env, fmt.Sprintf("+1555300%04d", p))) < b.N; time.Sleep(5 * time.Millisecond) {
					if time.Now().After(deadline) {
						b.Fatalf("phone %d has not received all %d messages", p, b.N)
					}
				}
			}
			b.ReportMetric(float64(b.N*phones)/time.Since(start).Seconds(), "deliveries/s")
		})
	}
}
