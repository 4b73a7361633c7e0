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
		post := newReceiver(t, nil)
		setHooks(t, api, "POST", "", post.srv.URL+"/post", "onConversationAdded", "onParticipantAdded")
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
		post.none()
	})
}
