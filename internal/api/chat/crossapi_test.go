package chat_test

import (
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	chatv3 "github.com/twilio/twilio-go/rest/chat/v3"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChannelIsConversation: a private channel made in Chat is the
// conversation with the same SID; messages and read horizons are shared
// both ways, with one index sequence.
func TestChannelIsConversation(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2, cv1 := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{FriendlyName: refOf("Ops"), UniqueName: refOf("ops"),
			Type: refOf("private")})
		if err != nil {
			t.Fatal(err)
		}
		c, err := cv1.FetchServiceConversation(svc, *ch.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *c.Sid != *ch.Sid || *c.FriendlyName != "Ops" || *c.ChatServiceSid != svc {
			t.Errorf("conversation = %+v, want the channel %s", c, *ch.Sid)
		}
		if *ch.CreatedBy != "system" || *ch.Type != "private" {
			t.Errorf("channel created_by/type = %s/%s", *ch.CreatedBy, *ch.Type)
		}
		if _, err := cv2.CreateMember(svc, *ch.Sid, &chat.CreateMemberParams{Identity: refOf("alice")}); err != nil {
			t.Fatal(err)
		}
		// Posted in Conversations, listed in Chat with the same index.
		for _, body := range []string{"one", "two"} {
			if _, err := cv1.CreateServiceConversationMessage(svc, *ch.Sid, &conv.CreateServiceConversationMessageParams{
				Author: refOf("alice"), Body: refOf(body)}); err != nil {
				t.Fatal(err)
			}
		}
		m3, err := cv2.CreateMessage(svc, *ch.Sid, &chat.CreateMessageParams{Body: refOf("three")})
		if err != nil {
			t.Fatal(err)
		}
		if m3.Index != 2 || *m3.From != "system" || *m3.To != *ch.Sid || *m3.Type != "text" {
			t.Errorf("chat message = index %d from %s to %s type %s", m3.Index, *m3.From, *m3.To, *m3.Type)
		}
		msgs, err := cv2.ListMessage(svc, *ch.Sid, &chat.ListMessageParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 3 || msgs[0].Index != 0 || *msgs[0].Body != "one" || *msgs[0].From != "alice" || msgs[2].Index != 2 {
			t.Errorf("chat messages = %+v", msgs)
		}
		convMsgs, err := cv1.ListServiceConversationMessage(svc, *ch.Sid, &conv.ListServiceConversationMessageParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(convMsgs) != 3 || *convMsgs[2].Sid != *m3.Sid || *convMsgs[2].Author != "system" {
			t.Errorf("conversation messages = %+v", convMsgs)
		}
		// The consumption horizon is the read horizon.
		if _, err := cv2.UpdateMember(svc, *ch.Sid, "alice", &chat.UpdateMemberParams{LastConsumedMessageIndex: refOf(1)}); err != nil {
			t.Fatal(err)
		}
		p, err := cv1.FetchServiceConversationParticipant(svc, *ch.Sid, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if p.LastReadMessageIndex == nil || *p.LastReadMessageIndex != 1 {
			t.Errorf("last_read_message_index = %v, want 1", p.LastReadMessageIndex)
		}
		// Conversations made in /v1 are private channels in Chat.
		made, err := cv1.CreateServiceConversation(svc, &conv.CreateServiceConversationParams{FriendlyName: refOf("v1")})
		if err != nil {
			t.Fatal(err)
		}
		got, err := cv2.FetchChannel(svc, *made.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *got.Type != "private" || *got.CreatedBy != "system" || got.MembersCount != 0 {
			t.Errorf("v1 conversation as channel = %+v", got)
		}
	})
}

// TestChannelCounters: members_count and messages_count follow adds and
// removals through either API, and deleted messages.
func TestChannelCounters(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2, cv1 := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{Type: refOf("private")})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"a", "b"} {
			if _, err := cv2.CreateMember(svc, *ch.Sid, &chat.CreateMemberParams{Identity: refOf(id)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cv1.CreateServiceConversationParticipant(svc, *ch.Sid,
			&conv.CreateServiceConversationParticipantParams{Identity: refOf("c")}); err != nil {
			t.Fatal(err)
		}
		var sids []string
		for i := 0; i < 3; i++ {
			m, err := cv2.CreateMessage(svc, *ch.Sid, &chat.CreateMessageParams{From: refOf("a"), Body: refOf("hi")})
			if err != nil {
				t.Fatal(err)
			}
			sids = append(sids, *m.Sid)
		}
		if members, messages := channelCounts(t, env, svc, *ch.Sid); members != 3 || messages != 3 {
			t.Errorf("counts = %d/%d, want 3/3", members, messages)
		}
		if err := cv2.DeleteMember(svc, *ch.Sid, "b", nil); err != nil {
			t.Fatal(err)
		}
		if err := cv1.DeleteServiceConversationParticipant(svc, *ch.Sid, "c", nil); err != nil {
			t.Fatal(err)
		}
		if err := cv2.DeleteMessage(svc, *ch.Sid, sids[0], nil); err != nil {
			t.Fatal(err)
		}
		if err := cv1.DeleteServiceConversationMessage(svc, *ch.Sid, sids[1], nil); err != nil {
			t.Fatal(err)
		}
		if members, messages := channelCounts(t, env, svc, *ch.Sid); members != 1 || messages != 1 {
			t.Errorf("counts = %d/%d, want 1/1", members, messages)
		}
		// A refused add changes nothing.
		_, err = cv2.CreateMember(svc, *ch.Sid, &chat.CreateMemberParams{Identity: refOf("a")})
		wantCode(t, err, 409, 50404)
		if members, _ := channelCounts(t, env, svc, *ch.Sid); members != 1 {
			t.Errorf("members_count after a refused add = %d, want 1", members)
		}
	})
}

// TestPublicChannelMigration: a public channel is invisible to
// Conversations (fetch by SID and unique name, list, participant and user
// conversations) until Chat v3 makes it private.
func TestPublicChannelMigration(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2, cv1 := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{UniqueName: refOf("lobby")})
		if err != nil {
			t.Fatal(err)
		}
		if *ch.Type != "public" {
			t.Fatalf("default type = %s, want public", *ch.Type)
		}
		if _, err := cv2.CreateMember(svc, *ch.Sid, &chat.CreateMemberParams{Identity: refOf("alice")}); err != nil {
			t.Fatal(err)
		}
		hidden := func(want bool) {
			t.Helper()
			for _, id := range []string{*ch.Sid, "lobby"} {
				_, err := cv1.FetchServiceConversation(svc, id)
				if want {
					wantCode(t, err, 404, 20404)
				} else if err != nil {
					t.Errorf("fetch %s: %v", id, err)
				}
			}
			list, err := cv1.ListServiceConversation(svc, &conv.ListServiceConversationParams{})
			if err != nil {
				t.Fatal(err)
			}
			pcs, err := cv1.ListServiceParticipantConversation(svc, &conv.ListServiceParticipantConversationParams{Identity: refOf("alice")})
			if err != nil {
				t.Fatal(err)
			}
			ucs, err := cv1.ListServiceUserConversation(svc, "alice", &conv.ListServiceUserConversationParams{})
			if err != nil {
				t.Fatal(err)
			}
			if got := len(list) == 0 && len(pcs) == 0 && len(ucs) == 0; got != want {
				t.Errorf("hidden = %v, want %v (conversations %d, participant conversations %d, user conversations %d)",
					got, want, len(list), len(pcs), len(ucs))
			}
		}
		hidden(true)
		// Chat sees the public channel among alice's channels.
		ucs, err := cv2.ListUserChannel(svc, "alice", &chat.ListUserChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ucs) != 1 || *ucs[0].ChannelSid != *ch.Sid {
			t.Errorf("chat user channels = %+v, want the public channel", ucs)
		}
		mg, err := env.Twilio().MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("sms"))
		if err != nil {
			t.Fatal(err)
		}
		v3, err := env.Twilio().ChatV3.UpdateChannel(svc, *ch.Sid, &chatv3.UpdateChannelParams{Type: refOf("private"),
			MessagingServiceSid: mg.Sid})
		if err != nil {
			t.Fatal(err)
		}
		if *v3.Type != "private" || *v3.MessagingServiceSid != *mg.Sid || v3.MembersCount != 1 {
			t.Errorf("v3 channel = %+v", v3)
		}
		hidden(false)
		_, err = env.Twilio().ChatV3.UpdateChannel(svc, *ch.Sid, &chatv3.UpdateChannelParams{Type: refOf("public")})
		wantCode(t, err, 400, 20001)
	})
}
