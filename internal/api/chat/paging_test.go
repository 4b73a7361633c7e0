package chat_test

import (
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChatPaging: the helper library follows next_page_url through channels,
// members, messages (both orders) and invites.
func TestChatPaging(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		var ch string
		for i := 0; i < 3; i++ {
			c, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
			if err != nil {
				t.Fatal(err)
			}
			ch = *c.Sid
		}
		for _, id := range []string{"a", "b", "c"} {
			if _, err := cv2.CreateMember(svc, ch, (&chat.CreateMemberParams{}).SetIdentity(id)); err != nil {
				t.Fatal(err)
			}
			if _, err := cv2.CreateMessage(svc, ch, (&chat.CreateMessageParams{}).SetFrom(id).SetBody("hi")); err != nil {
				t.Fatal(err)
			}
			if _, err := cv2.CreateInvite(svc, ch, (&chat.CreateInviteParams{}).SetIdentity("invited-"+id)); err != nil {
				t.Fatal(err)
			}
		}
		channels, err := cv2.ListChannel(svc, (&chat.ListChannelParams{}).SetPageSize(2))
		if err != nil || len(channels) != 3 {
			t.Fatalf("channels = %d, %v", len(channels), err)
		}
		members, err := cv2.ListMember(svc, ch, (&chat.ListMemberParams{}).SetPageSize(2))
		if err != nil || len(members) != 3 || *members[2].Identity != "c" {
			t.Fatalf("members = %d, %v", len(members), err)
		}
		desc, err := cv2.ListMessage(svc, ch, (&chat.ListMessageParams{}).SetPageSize(2).SetOrder("desc"))
		if err != nil || len(desc) != 3 || desc[0].Index != 2 || desc[2].Index != 0 {
			t.Fatalf("messages desc = %d, %v", len(desc), err)
		}
		invites, err := cv2.ListInvite(svc, ch, (&chat.ListInviteParams{}).SetPageSize(2))
		if err != nil || len(invites) != 3 {
			t.Fatalf("invites = %d, %v", len(invites), err)
		}
	})
}
