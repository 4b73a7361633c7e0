package conversations_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
)

// BenchmarkWebhookDelivery measures post-event delivery throughput: b.N
// onMessageAdded deliveries are committed while the local receiver holds
// its first requests, then the clock runs from the receiver's release until
// it has received all of them (signed, over HTTP, each job claimed and
// finished in the store).
//
//	go test -run ^$ -bench WebhookDelivery -benchtime 2000x ./internal/api/conversations/
func BenchmarkWebhookDelivery(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			env := apitest.Start(b, engine)
			api := env.Twilio().ConversationsV1
			gate, done := make(chan struct{}), make(chan struct{})
			var got atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				<-gate
				if got.Add(1) == int64(b.N) {
					close(done)
				}
			}))
			defer srv.Close()
			filters := []string{"onMessageAdded"}
			method, url := "POST", srv.URL+"/post"
			if _, err := api.UpdateConfigurationWebhook(confParams(method, url, filters)); err != nil {
				b.Fatal(err)
			}
			c, err := api.CreateConversation(nil)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			postConcurrently(b, env, *c.Sid, b.N)
			b.StartTimer()
			start := time.Now()
			close(gate)
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				b.Fatalf("delivered %d of %d", got.Load(), b.N)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// postConcurrently posts n messages with webhooks on, from 16 clients.
func postConcurrently(b *testing.B, env *apitest.Env, conversation string, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			api := env.Twilio().ConversationsV1
			for next.Add(1) <= int64(n) {
				if _, err := postWithHooks(api, conversation, "bench"); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
