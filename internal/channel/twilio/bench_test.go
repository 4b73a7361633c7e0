package twilio_test

import (
	"fmt"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// BenchmarkTwilioDeliveries measures outbound deliveries through the twilio
// adapter against the local fake Messages API: b.N messages posted into a
// conversation of 20 SMS phones, until the fake took every delivery (a
// durable job each, the receipt check, the HTTP create, the sent receipt),
// on each engine.
func BenchmarkTwilioDeliveries(b *testing.B) {
	const phones = 20
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			fake := &fakeTwilio{account: "AC" + fmt.Sprintf("%032d", 1), token: "token"}
			fake.Server = newServer(b, fake)
			env := apitest.Start(b, engine, fake.sms)
			api := env.Twilio().ConversationsV1
			_, ch := env.MessagingConversation(b, "sms")
			for p := range phones {
				addPhone(b, env, ch, fmt.Sprintf("+1555300%04d", p))
			}
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				if _, err := api.CreateConversationMessage(ch,
					(&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody(fmt.Sprint("m", i))); err != nil {
					b.Fatal(err)
				}
			}
			fake.next(b, b.N*phones)
			b.ReportMetric(float64(b.N*phones)/time.Since(start).Seconds(), "deliveries/s")
		})
	}
}
