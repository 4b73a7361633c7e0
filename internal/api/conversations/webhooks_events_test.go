package conversations_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

var on = ptr("true")

// Every REST operation with webhook events fires its pre- and post-event
// with the header, and onConversationAdd may rename the conversation.
func TestWebhookEventCatalogue(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		pre := apitest.NewReceiver(t, func(_ int, c apitest.HookCall) (int, string) {
			if c.Params.Get("EventType") == "onConversationAdd" {
				return 200, `{"friendly_name":"renamed"}`
			}
			return 200, "{}"
		})
		post := apitest.NewReceiver(t, nil)
		preEvents := []string{"onConversationAdd", "onConversationUpdate", "onConversationRemove", "onParticipantAdd",
			"onParticipantUpdate", "onParticipantRemove", "onMessageAdd", "onMessageUpdate", "onMessageRemove", "onUserUpdate"}
		postEvents := []string{"onConversationAdded", "onConversationUpdated", "onConversationRemoved", "onConversationStateUpdated",
			"onParticipantAdded", "onParticipantUpdated", "onParticipantRemoved", "onMessageAdded", "onMessageUpdated",
			"onMessageRemoved", "onUserAdded", "onUserUpdated"}
		setHooks(t, api, "POST", pre.URL+"/pre", post.URL+"/post", append(slices.Clone(preEvents), postEvents...)...)

		c, err := api.CreateConversation(&conv.CreateConversationParams{XTwilioWebhookEnabled: on, FriendlyName: ptr("original")})
		if err != nil {
			t.Fatal(err)
		}
		if *c.FriendlyName != "renamed" {
			t.Errorf("friendly name = %s, want the pre-event's renamed", *c.FriendlyName)
		}
		runCatalogue(t, api, *c.Sid)
		// The message posted into the inactive conversation woke it: one
		// more update and state change.
		wantPost := append(slices.Clone(postEvents), "onConversationUpdated", "onConversationStateUpdated")
		gotPre, gotPost := events(pre, len(preEvents)), events(post, len(wantPost))
		slices.Sort(preEvents)
		slices.Sort(wantPost)
		if !slices.Equal(gotPre, preEvents) {
			t.Errorf("pre-events = %v\nwant %v", gotPre, preEvents)
		}
		if !slices.Equal(gotPost, wantPost) {
			t.Errorf("post-events = %v\nwant %v", gotPost, wantPost)
		}
	})
}

// runCatalogue performs one operation per event on conversation ch.
func runCatalogue(t *testing.T, api *conv.ApiService, ch string) {
	t.Helper()
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(api.UpdateConversation(ch, &conv.UpdateConversationParams{XTwilioWebhookEnabled: on, State: ptr("inactive")}))
	p, err := api.CreateConversationParticipant(ch, &conv.CreateConversationParticipantParams{XTwilioWebhookEnabled: on, Identity: ptr("bob")})
	must(p, err)
	must(api.UpdateConversationParticipant(ch, *p.Sid, &conv.UpdateConversationParticipantParams{XTwilioWebhookEnabled: on, Attributes: ptr(`{"a":1}`)}))
	m, err := api.CreateConversationMessage(ch, &conv.CreateConversationMessageParams{XTwilioWebhookEnabled: on, Body: ptr("hi"), Author: ptr("bob")})
	must(m, err)
	must(api.UpdateConversationMessage(ch, *m.Sid, &conv.UpdateConversationMessageParams{XTwilioWebhookEnabled: on, Body: ptr("hi!")}))
	must(nil, api.DeleteConversationMessage(ch, *m.Sid, &conv.DeleteConversationMessageParams{XTwilioWebhookEnabled: on}))
	must(nil, api.DeleteConversationParticipant(ch, *p.Sid, &conv.DeleteConversationParticipantParams{XTwilioWebhookEnabled: on}))
	u, err := api.CreateUser(&conv.CreateUserParams{XTwilioWebhookEnabled: on, Identity: ptr("carol")})
	must(u, err)
	must(api.UpdateUser(*u.Sid, &conv.UpdateUserParams{XTwilioWebhookEnabled: on, FriendlyName: ptr("Carol")}))
	must(nil, api.DeleteConversation(ch, &conv.DeleteConversationParams{XTwilioWebhookEnabled: on}))
}

// events collects n calls' event types, sorted (deliveries run in parallel).
func events(rc *apitest.Receiver, n int) []string {
	var out []string
	for range n {
		out = append(out, rc.Next().Params.Get("EventType"))
	}
	rc.None()
	slices.Sort(out)
	return out
}

// Conversation-scoped webhooks: a webhook target by filter, a trigger target
// by keyword in the body.
func TestWebhookConversationScoped(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		hook, trigger := apitest.NewReceiver(t, nil), apitest.NewReceiver(t, nil)
		ch := newConv(t, api)
		for _, p := range []*conv.CreateConversationScopedWebhookParams{
			(&conv.CreateConversationScopedWebhookParams{}).SetTarget("webhook").SetConfigurationUrl(hook.URL + "/hook").
				SetConfigurationMethod("GET").SetConfigurationFilters([]string{"onMessageUpdated"}),
			(&conv.CreateConversationScopedWebhookParams{}).SetTarget("trigger").SetConfigurationUrl(trigger.URL + "/trigger").
				SetConfigurationMethod("POST").SetConfigurationTriggers([]string{"help"}),
		} {
			if _, err := api.CreateConversationScopedWebhook(ch, p); err != nil {
				t.Fatal(err)
			}
		}
		m, err := postWithHooks(api, ch, "no keyword here")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := postWithHooks(api, ch, "I need HELP please"); err != nil {
			t.Fatal(err)
		}
		got := trigger.Next()
		apitest.VerifySignature(t, env.AuthToken, got)
		if got.Params.Get("Body") != "I need HELP please" {
			t.Errorf("trigger call body = %q", got.Params.Get("Body"))
		}
		up := (&conv.UpdateConversationMessageParams{}).SetBody("edited").SetXTwilioWebhookEnabled("true")
		if _, err := api.UpdateConversationMessage(ch, *m.Sid, up); err != nil {
			t.Fatal(err)
		}
		got = hook.Next()
		apitest.VerifySignature(t, env.AuthToken, got)
		if got.Method != http.MethodGet || !strings.Contains(got.URL, "EventType=onMessageUpdated") {
			t.Errorf("scoped webhook call = %s %s", got.Method, got.URL)
		}
		hook.None()
		trigger.None()
	})
}

// A message that wakes an inactive conversation fires its state change.
func TestWebhookMessageWakesConversation(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", rc.URL+"/post", "onConversationStateUpdated")
		ch := newConv(t, api)
		if _, err := api.UpdateConversation(ch, &conv.UpdateConversationParams{State: ptr("inactive")}); err != nil {
			t.Fatal(err)
		}
		if _, err := postWithHooks(api, ch, "wake up"); err != nil {
			t.Fatal(err)
		}
		p := rc.Next().Params
		if got := spaced(p.Get("EventType"), p.Get("ConversationSid"), p.Get("StateFrom"), p.Get("StateTo"), p.Get("Reason")); got != spaced("onConversationStateUpdated", ch, "inactive", "active", "EVENT") {
			t.Errorf("state event = %s", got)
		}
		rc.None()
	})
}
