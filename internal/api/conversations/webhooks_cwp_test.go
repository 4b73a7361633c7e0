package conversations_test

import (
	"slices"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// ConversationWithParticipants fires the post-events of the operations it
// combines: one onConversationAdded and one onParticipantAdded per
// participant; a refused request fires none.
func TestWebhookConversationWithParticipants(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		post := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", post.URL+"/post", "onConversationAdded", "onParticipantAdded")
		p := (&conv.CreateConversationWithParticipantsParams{}).SetXTwilioWebhookEnabled("true").
			SetParticipant([]string{`{"identity":"alice"}`, `{"identity":"bob"}`})
		if _, err := api.CreateConversationWithParticipants(p); err != nil {
			t.Fatal(err)
		}
		got := events(post, 3)
		if want := []string{"onConversationAdded", "onParticipantAdded", "onParticipantAdded"}; !slices.Equal(got, want) {
			t.Errorf("post-events = %v, want %v", got, want)
		}
		bad := (&conv.CreateConversationWithParticipantsParams{}).SetXTwilioWebhookEnabled("true").
			SetParticipant([]string{`{"identity":"carol"}`, `{"identity":"carol"}`})
		if _, err := api.CreateConversationWithParticipants(bad); err == nil {
			t.Fatal("duplicate identity accepted")
		}
		post.None()
	})
}

// A conversation webhook created with ReplayAfter gets onMessageAdded for the
// message of that index and every later one — and no other webhook does.
func TestWebhookReplayAfter(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		account := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", account.URL+"/post", "onMessageAdded")
		ch := newConv(t, api)
		for _, body := range []string{"zero", "one", "two"} {
			if _, err := api.CreateConversationMessage(ch, &conv.CreateConversationMessageParams{Body: ptr(body)}); err != nil {
				t.Fatal(err)
			}
		}
		scoped := apitest.NewReceiver(t, nil)
		p := (&conv.CreateConversationScopedWebhookParams{}).SetTarget("webhook").
			SetConfigurationUrl(scoped.URL + "/replay").SetConfigurationFilters([]string{"onMessageAdded"}).
			SetConfigurationReplayAfter(1)
		if _, err := api.CreateConversationScopedWebhook(ch, p); err != nil {
			t.Fatal(err)
		}
		var got []string
		for range 2 {
			c := scoped.Next()
			got = append(got, c.Params.Get("Index")+":"+c.Params.Get("Body"))
			apitest.VerifySignature(t, env.AuthToken, c)
		}
		slices.Sort(got)
		if want := []string{"1:one", "2:two"}; !slices.Equal(got, want) {
			t.Errorf("replayed %v, want %v", got, want)
		}
		scoped.None()
		account.None()
	})
}
