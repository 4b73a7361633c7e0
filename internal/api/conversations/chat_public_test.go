package conversations_test

import (
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestPublicChannelsHidden: a public Chat channel in the default service
// does not exist for Conversations v1 on the short routes — not in the list,
// not by SID or unique name, not among a user's or a participant's
// conversations — while a private one is an ordinary conversation.
func TestPublicChannelsHidden(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		cfg, err := api.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		svc := *cfg.DefaultChatServiceSid
		pub, err := env.Twilio().ChatV2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetUniqueName("lobby"))
		if err != nil {
			t.Fatal(err)
		}
		priv, err := env.Twilio().ChatV2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("private"))
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range []string{*pub.Sid, *priv.Sid} {
			if _, err := env.Twilio().ChatV2.CreateMember(svc, ch, (&chat.CreateMemberParams{}).SetIdentity("alice")); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range []string{*pub.Sid, "lobby"} {
			_, err := api.FetchConversation(id)
			if status, code := twilioCode(t, err); status != 404 || code != 20404 {
				t.Errorf("fetch %s = %d/%d, want 404/20404", id, status, code)
			}
		}
		_, err = api.CreateConversationMessage(*pub.Sid, &conv.CreateConversationMessageParams{Body: ptr("hi")})
		if status, _ := twilioCode(t, err); status != 404 {
			t.Errorf("posting to a public channel through Conversations = %d, want 404", status)
		}
		list, err := api.ListConversation(&conv.ListConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		pcs, err := api.ListParticipantConversation(&conv.ListParticipantConversationParams{Identity: ptr("alice")})
		if err != nil {
			t.Fatal(err)
		}
		ucs, err := api.ListUserConversation("alice", &conv.ListUserConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || *list[0].Sid != *priv.Sid || len(pcs) != 1 || *pcs[0].ConversationSid != *priv.Sid ||
			len(ucs) != 1 || *ucs[0].ConversationSid != *priv.Sid {
			t.Errorf("visible: %d conversations, %d participant conversations, %d user conversations; want only %s",
				len(list), len(pcs), len(ucs), *priv.Sid)
		}
		_, err = api.FetchUserConversation("alice", *pub.Sid)
		if status, _ := twilioCode(t, err); status != 404 {
			t.Errorf("user conversation of a public channel = %d, want 404", status)
		}
	})
}
