package conversations_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
)

func TestWebhookPreRejects(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, func(int, apitest.HookCall) (int, string) { return http.StatusForbidden, "no" })
		setHooks(t, api, "POST", rc.URL+"/pre", "", "onMessageAdd")
		ch := newConv(t, api)

		_, err := postWithHooks(api, ch, "spam")
		if status, code := twilioCode(t, err); status != 400 || code != 50313 {
			t.Errorf("rejected post = %d %d, want 400 50313", status, code)
		}
		c := rc.Next()
		if got, want := spaced(c.Params.Get("EventType"), c.Params.Get("Body"), c.Params.Get("ConversationSid"), c.Params.Get("Source")),
			"onMessageAdd spam "+ch+" API"; got != want {
			t.Errorf("pre-event params = %s, want %s", got, want)
		}
		apitest.VerifySignature(t, env.AuthToken, c)
		if n := messageCount(t, env, ch); n != 0 {
			t.Errorf("%d messages stored after a rejection", n)
		}
	})
}

func TestWebhookPreModifies(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, func(int, apitest.HookCall) (int, string) { return 200, `{"body":"***","attributes":"{\"k\":1}"}` })
		setHooks(t, api, "POST", rc.URL+"/pre", "", "onMessageAdd")
		ch := newConv(t, api)

		m, err := postWithHooks(api, ch, "a rude word")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := spaced(*m.Body, *m.Attributes, *m.Author), `*** {"k":1} alice`; got != want {
			t.Errorf("modified message = %s, want %s", got, want)
		}
		stored, err := api.FetchConversationMessage(ch, *m.Sid)
		if err != nil || *stored.Body != "***" {
			t.Errorf("stored body = %v (%v), want ***", stored, err)
		}
	})
}

func TestWebhookPostSigned(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", rc.URL+"/post?tenant=a", "onMessageAdded")
		ch := newConv(t, api)

		m, err := postWithHooks(api, ch, "hello")
		if err != nil {
			t.Fatal(err)
		}
		c := rc.Next()
		apitest.VerifySignature(t, env.AuthToken, c)
		p := c.Params
		want := spaced("onMessageAdded", ch, *m.Sid, "0", "hello", "alice", "{}", "API", env.AccountSID, "0")
		if got := spaced(p.Get("EventType"), p.Get("ConversationSid"), p.Get("MessageSid"), p.Get("Index"), p.Get("Body"),
			p.Get("Author"), p.Get("Attributes"), p.Get("Source"), p.Get("AccountSid"), p.Get("RetryCount")); got != want {
			t.Errorf("post-event params = %s, want %s", got, want)
		}
		if c.Token == "" || p.Get("DateCreated") == "" || p.Get("ChatServiceSid") == "" {
			t.Errorf("missing token, DateCreated or ChatServiceSid: %v %q", p, c.Token)
		}
	})
}

// A service's own configuration replaces the account's for that service,
// and GET hooks carry their parameters in the signed URL.
func TestWebhookServiceConfigGET(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		account, service := apitest.NewReceiver(t, nil), apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", account.URL+"/account", "onMessageAdded")
		is := newService(t, api, "hooks")
		sp := &conv.UpdateServiceWebhookConfigurationParams{}
		sp.SetPostWebhookUrl(service.URL + "/service").SetMethod("GET").SetFilters([]string{"onMessageAdded"})
		if _, err := api.UpdateServiceWebhookConfiguration(is, sp); err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateServiceConversation(is, &conv.CreateServiceConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		mp := &conv.CreateServiceConversationMessageParams{}
		mp.SetBody("via service").SetXTwilioWebhookEnabled("true")
		if _, err := api.CreateServiceConversationMessage(is, *c.Sid, mp); err != nil {
			t.Fatal(err)
		}
		got := service.Next()
		if got.Method != "GET" || got.Params.Get("Body") != "via service" || !strings.Contains(got.URL, "EventType=onMessageAdded") {
			t.Errorf("service hook = %s %s", got.Method, got.URL)
		}
		apitest.VerifySignature(t, env.AuthToken, got)
		account.None()
	})
}

func TestWebhookPostRetries(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.FastRetries)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, func(n int, _ apitest.HookCall) (int, string) {
			if n < 2 {
				return http.StatusServiceUnavailable, ""
			}
			return 200, ""
		})
		setHooks(t, api, "POST", "", rc.URL+"/post", "onMessageAdded")
		ch := newConv(t, api)
		if _, err := postWithHooks(api, ch, "retry me"); err != nil {
			t.Fatal(err)
		}
		var counts, tokens []string
		for range 3 {
			c := rc.Next()
			apitest.VerifySignature(t, env.AuthToken, c)
			counts, tokens = append(counts, c.Params.Get("RetryCount")), append(tokens, c.Token)
		}
		if got := strings.Join(counts, ","); got != "0,1,2" {
			t.Errorf("RetryCount = %s, want 0,1,2", got)
		}
		if tokens[0] == "" || tokens[0] != tokens[1] || tokens[1] != tokens[2] {
			t.Errorf("idempotency tokens differ: %v", tokens)
		}
		rc.None()
	})
}

func TestWebhookFiltersAndFlag(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", rc.URL+"/post", "onMessageUpdated")
		ch := newConv(t, api)

		// No header: no webhook even for a selected event.
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetBody("quiet"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.UpdateConversationMessage(ch, *m.Sid, (&conv.UpdateConversationMessageParams{}).SetBody("still quiet")); err != nil {
			t.Fatal(err)
		}
		// With the header, only the filtered event fires.
		if _, err := postWithHooks(api, ch, "added, not selected"); err != nil {
			t.Fatal(err)
		}
		up := (&conv.UpdateConversationMessageParams{}).SetBody("edited").SetXTwilioWebhookEnabled("true")
		if _, err := api.UpdateConversationMessage(ch, *m.Sid, up); err != nil {
			t.Fatal(err)
		}
		c := rc.Next()
		if got := spaced(c.Params.Get("EventType"), c.Params.Get("Body")); got != "onMessageUpdated edited" {
			t.Errorf("first call = %s, want onMessageUpdated edited", got)
		}
		rc.None()
	})
}

// A pre-event webhook that does not answer in time lets the action proceed
// unchanged (Twilio fails open after 5 seconds; the test shortens the wait).
func TestWebhookPreTimeoutFailsOpen(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, func(c *server.Config) { c.WebhookPreTimeout = 100 * time.Millisecond })
		api := env.Twilio().ConversationsV1
		release := make(chan struct{})
		defer close(release)
		rc := apitest.NewReceiver(t, func(int, apitest.HookCall) (int, string) {
			select {
			case <-release:
			case <-time.After(2 * time.Second):
			}
			return http.StatusForbidden, `{"body":"never applied"}`
		})
		setHooks(t, api, "POST", rc.URL+"/pre", "", "onMessageAdd")
		ch := newConv(t, api)
		m, err := postWithHooks(api, ch, "slow hook")
		if err != nil {
			t.Fatalf("post with a slow pre-event hook: %v", err)
		}
		if *m.Body != "slow hook" {
			t.Errorf("body = %q, want unchanged", *m.Body)
		}
	})
}
