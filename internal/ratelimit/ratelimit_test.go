package ratelimit_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"

	twclient "github.com/twilio/twilio-go/client"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/ratelimit"
	"github.com/parley-dev/parley/internal/server"
)

func limits(cfg ratelimit.Config) apitest.Option {
	return func(c *server.Config) { c.RateLimit = cfg }
}

// TestAccountLimit: past its burst an account is answered 429 / 20429 with
// Retry-After, through twilio-go, and the refused request changes nothing.
func TestAccountLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, limits(ratelimit.Config{PerSecond: 0.01, Burst: 3}))
		tw := env.Twilio()
		for i := range 2 {
			if _, err := tw.ConversationsV1.CreateConversation(&conversations.CreateConversationParams{}); err != nil {
				t.Fatalf("request %d within the burst: %v", i, err)
			}
		}
		if r := env.Do("GET", "/v1/Conversations", nil); r.Status != 200 {
			t.Fatalf("third request: %s", r)
		}
		_, err := tw.ConversationsV1.CreateConversation(&conversations.CreateConversationParams{})
		var te *twclient.TwilioRestError
		if !errors.As(err, &te) || te.Status != 429 || te.Code != parley.CodeTooManyRequests {
			t.Fatalf("over the limit: %v, want 429 with code 20429", err)
		}
		r := env.Do("GET", "/v1/Conversations", nil)
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("over the limit: %s", r)
		}
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		if n := countConversations(t, env); n != 2 {
			t.Errorf("%d conversations, want the 2 created within the burst", n)
		}
	})
}

// countConversations reads the store directly: the API is rate limited.
func countConversations(t *testing.T, env *apitest.Env) int {
	t.Helper()
	var n int
	err := env.Server.Store.Read(t.Context(), func(tx parley.Tx) error {
		page, err := tx.ListConversations(env.Server.Account.DefaultServiceSID, parley.ConversationFilter{}, parley.PageRequest{Size: 1000})
		n = len(page.Items)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTwilioLimits: with Twilio's limits on, message creates into one
// conversation beyond 30 per second are answered 429 / 20429 and stored
// nothing, while another conversation and reads are unaffected.
func TestTwilioLimits(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, limits(ratelimit.Config{Twilio: true}))
		busy, quiet := newConversation(t, env), newConversation(t, env)
		const attempts, workers = 150, 15
		var mu sync.Mutex
		statuses := map[int]int{}
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < attempts; i += workers {
					r := env.Do("POST", "/v1/Conversations/"+busy+"/Messages", url.Values{"Body": {strconv.Itoa(i)}})
					if r.Status == http.StatusTooManyRequests {
						var body struct{ Code int }
						json.Unmarshal(r.Body, &body)
						if body.Code != parley.CodeTooManyRequests || r.Header.Get("Retry-After") != "1" {
							t.Errorf("429 with code %d, Retry-After %q", body.Code, r.Header.Get("Retry-After"))
						}
					}
					mu.Lock()
					statuses[r.Status]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if statuses[201]+statuses[429] != attempts || statuses[429] == 0 {
			t.Fatalf("statuses %v: want only 201 and 429, and some 429", statuses)
		}
		if got := countMessages(t, env, busy); got != statuses[201] {
			t.Errorf("%d messages stored, %d acknowledged", got, statuses[201])
		}
		if r := env.Do("POST", "/v1/Conversations/"+quiet+"/Messages", url.Values{"Body": {"hi"}}); r.Status != 201 {
			t.Errorf("another conversation: %s", r)
		}
		if r := env.Do("GET", "/v1/Conversations/"+busy+"/Messages", nil); r.Status != 200 {
			t.Errorf("reading the busy conversation: %s", r)
		}
		t.Logf("%d message creates into one conversation: %v", attempts, statuses)
	})
}

func newConversation(t *testing.T, env *apitest.Env) string {
	t.Helper()
	c, err := env.Twilio().ConversationsV1.CreateConversation(&conversations.CreateConversationParams{})
	if err != nil {
		t.Fatal(err)
	}
	return *c.Sid
}

func countMessages(t *testing.T, env *apitest.Env, conversationSID string) int {
	t.Helper()
	r := env.Do("GET", "/v1/Conversations/"+conversationSID+"/Messages", url.Values{"PageSize": {"1000"}})
	var page struct{ Messages []json.RawMessage }
	if err := json.Unmarshal(r.Body, &page); err != nil || r.Status != 200 {
		t.Fatalf("list messages: %s", r)
	}
	return len(page.Messages)
}
