package conversations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// unread renders an unread count for comparisons: "null" or the number.
func unread(n *int) string {
	if n == nil {
		return "null"
	}
	return fmt.Sprint(*n)
}

func post(t *testing.T, api *conv.ApiService, conversation string, n int) []string {
	t.Helper()
	var sids []string
	for i := 0; i < n; i++ {
		m, err := api.CreateConversationMessage(conversation, &conv.CreateConversationMessageParams{Author: ptr("bob"), Body: ptr("hi")})
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, *m.Sid)
	}
	return sids
}

func TestUserConversationsUnreadCount(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		c, err := api.CreateConversation(&conv.CreateConversationParams{UniqueName: ptr("room"), FriendlyName: ptr("Room")})
		if err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("alice")})
		if err != nil {
			t.Fatal(err)
		}
		// The user is addressed by identity, the conversation by unique name.
		ucs, err := api.ListUserConversation("alice", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(ucs) != 1 {
			t.Fatalf("alice has %d user conversations, want 1", len(ucs))
		}
		uc := ucs[0]
		if *uc.ConversationSid != *c.Sid || *uc.ParticipantSid != *p.Sid || *uc.NotificationLevel != "default" ||
			*uc.CreatedBy != "system" || *uc.FriendlyName != "Room" || *uc.UniqueName != "room" || *uc.ConversationState != "active" {
			t.Errorf("user conversation = %+v", uc)
		}
		user, err := api.FetchUser("alice")
		if err != nil {
			t.Fatal(err)
		}
		if *uc.UserSid != *user.Sid || !strings.HasSuffix(*uc.Url, "/v1/Users/"+*user.Sid+"/Conversations/"+*c.Sid) {
			t.Errorf("user_sid %s, url %s", *uc.UserSid, *uc.Url)
		}

		step := func(what string, want string) {
			t.Helper()
			got, err := api.FetchUserConversation("alice", "room")
			if err != nil {
				t.Fatal(err)
			}
			if unread(got.UnreadMessagesCount) != want {
				t.Errorf("%s: unread = %s, want %s", what, unread(got.UnreadMessagesCount), want)
			}
		}
		step("no messages, no horizon", "null")
		sids := post(t, api, *c.Sid, 3) // indexes 0, 1, 2
		step("messages but no horizon", "null")

		upd, err := api.UpdateUserConversation("alice", "room", &conv.UpdateUserConversationParams{LastReadMessageIndex: ptr(0)})
		if err != nil {
			t.Fatal(err)
		}
		if unread(upd.UnreadMessagesCount) != "2" || *upd.LastReadMessageIndex != 0 {
			t.Errorf("after reading index 0: unread %s, horizon %d; want 2, 0", unread(upd.UnreadMessagesCount), *upd.LastReadMessageIndex)
		}
		part, err := api.FetchConversationParticipant(*c.Sid, *p.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if part.LastReadMessageIndex == nil || *part.LastReadMessageIndex != 0 || part.LastReadTimestamp == nil {
			t.Errorf("participant horizon = %v at %v, want 0 with a timestamp", part.LastReadMessageIndex, part.LastReadTimestamp)
		}
		sids = append(sids, post(t, api, *c.Sid, 1)...) // index 3
		step("a post after the horizon", "3")
		if err := api.DeleteConversationMessage(*c.Sid, sids[2], nil); err != nil {
			t.Fatal(err)
		}
		step("a deleted message after the horizon", "2")
		if err := api.DeleteConversationMessage(*c.Sid, sids[0], nil); err != nil {
			t.Fatal(err)
		}
		step("a deleted message at the horizon", "2")
		if _, err := api.UpdateUserConversation("alice", *c.Sid, &conv.UpdateUserConversationParams{LastReadMessageIndex: ptr(3)}); err != nil {
			t.Fatal(err)
		}
		step("all read", "0")

		// An empty LastReadMessageIndex clears the horizon.
		resp := env.Do("POST", "/v1/Users/alice/Conversations/room", url.Values{"LastReadMessageIndex": {""}})
		var body struct {
			Unread  *int `json:"unread_messages_count"`
			Horizon *int `json:"last_read_message_index"`
		}
		if err := json.Unmarshal(resp.Body, &body); err != nil || resp.Status != 200 {
			t.Fatalf("clear horizon: %s", resp)
		}
		if body.Unread != nil || body.Horizon != nil {
			t.Errorf("after clearing: unread %s, horizon %v; want null, null", unread(body.Unread), body.Horizon)
		}
		step("horizon cleared", "null")
	})
}

func TestUserConversationsUpdateAndLeave(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc := newService(t, api, "second")
		c, err := api.CreateServiceConversation(svc, &conv.CreateServiceConversationParams{UniqueName: ptr("desk")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateServiceConversationParticipant(svc, *c.Sid, &conv.CreateServiceConversationParticipantParams{Identity: ptr("carol")}); err != nil {
			t.Fatal(err)
		}
		user, err := api.FetchServiceUser(svc, "carol")
		if err != nil {
			t.Fatal(err)
		}
		list, err := api.ListServiceUserConversation(svc, *user.Sid, &conv.ListServiceUserConversationParams{PageSize: ptr(10)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || *list[0].ChatServiceSid != svc {
			t.Fatalf("service user conversations = %+v", list)
		}
		uc, err := api.UpdateServiceUserConversation(svc, *user.Sid, "desk", &conv.UpdateServiceUserConversationParams{NotificationLevel: ptr("muted")})
		if err != nil {
			t.Fatal(err)
		}
		if *uc.NotificationLevel != "muted" || !strings.HasSuffix(*uc.Url, "/v1/Services/"+svc+"/Users/"+*user.Sid+"/Conversations/"+*c.Sid) {
			t.Errorf("after mute: level %s, url %s", *uc.NotificationLevel, *uc.Url)
		}
		links := *uc.Links
		if want := "/v1/Services/" + svc + "/Conversations/" + *c.Sid; !strings.HasSuffix(fmt.Sprint(links["conversation"]), want) {
			t.Errorf("conversation link = %v, want ...%s", links["conversation"], want)
		}
		fetched, err := api.FetchServiceUserConversation(svc, "carol", *c.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *fetched.NotificationLevel != "muted" {
			t.Errorf("fetched level = %s, want muted", *fetched.NotificationLevel)
		}

		for _, bad := range []url.Values{{"NotificationLevel": {"loud"}}, {"LastReadMessageIndex": {"-1"}}, {"LastReadMessageIndex": {"x"}}} {
			resp := env.Do("POST", "/v1/Services/"+svc+"/Users/carol/Conversations/desk", bad)
			if resp.Status != 400 || !strings.Contains(string(resp.Body), `"code":20001`) {
				t.Errorf("update %v: %s, want 400/20001", bad, resp)
			}
		}

		// Leaving removes the participant.
		if err := api.DeleteServiceUserConversation(svc, "carol", "desk"); err != nil {
			t.Fatal(err)
		}
		parts, err := api.ListServiceConversationParticipant(svc, *c.Sid, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 0 {
			t.Errorf("%d participants left after leaving, want 0", len(parts))
		}
		_, err = api.FetchServiceUserConversation(svc, "carol", "desk")
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("fetch after leaving: %d/%d, want 404/20404", status, code)
		}
		if list, err := api.ListServiceUserConversation(svc, "carol", nil); err != nil || len(list) != 0 {
			t.Errorf("list after leaving: %d, %v; want empty", len(list), err)
		}
	})
}

func TestUserConversationsDefaultRoutes(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		var convs []string
		for i := 0; i < 3; i++ {
			c, err := api.CreateConversation(&conv.CreateConversationParams{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("dave")}); err != nil {
				t.Fatal(err)
			}
			convs = append(convs, *c.Sid)
		}
		// Auto-paging two at a time returns all three, in the order dave joined.
		list, err := api.ListUserConversation("dave", &conv.ListUserConversationParams{PageSize: ptr(2)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, uc := range list {
			got = append(got, *uc.ConversationSid)
		}
		if fmt.Sprint(got) != fmt.Sprint(convs) {
			t.Errorf("user conversations = %v, want %v", got, convs)
		}
		if _, err := api.UpdateUserConversation("dave", convs[1], &conv.UpdateUserConversationParams{NotificationLevel: ptr("muted")}); err != nil {
			t.Fatal(err)
		}
		if err := api.DeleteUserConversation("dave", convs[0]); err != nil {
			t.Fatal(err)
		}
		if list, err := api.ListUserConversation("dave", nil); err != nil || len(list) != 2 {
			t.Errorf("after leaving one: %d, %v; want 2", len(list), err)
		}
		for _, path := range []string{"/v1/Users/nobody/Conversations", "/v1/Users/dave/Conversations/CH00000000000000000000000000000000"} {
			if resp := env.Do("GET", path, nil); resp.Status != 404 {
				t.Errorf("GET %s: %s, want 404", path, resp)
			}
		}
		// A user who is not in the conversation has no user conversation there.
		if _, err := api.CreateUser(&conv.CreateUserParams{Identity: ptr("erin")}); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchUserConversation("erin", convs[1])
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("non-member: %d/%d, want 404/20404", status, code)
		}
	})
}

// TestUserConversationsUnreadCap seeds more than 1000 unread messages straight
// into the store (posting them over HTTP would only slow the test) and checks
// that the count stops at Twilio's cap.
func TestUserConversationsUnreadCap(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		c, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("alice")}); err != nil {
			t.Fatal(err)
		}
		post(t, api, *c.Sid, 1) // index 0, then read
		if _, err := api.UpdateUserConversation("alice", *c.Sid, &conv.UpdateUserConversationParams{LastReadMessageIndex: ptr(0)}); err != nil {
			t.Fatal(err)
		}
		err = env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
			for i := 0; i < parley.MaxUnreadCount+5; i++ {
				idx, err := tx.NextMessageIndex(*c.Sid)
				if err != nil {
					return err
				}
				body := "seed"
				m := &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: env.AccountSID,
					ServiceSID: *c.ChatServiceSid, ConversationSID: *c.Sid, Index: idx, Author: "bob", Body: &body,
					Attributes: "{}", DateCreated: tx.Now(), DateUpdated: tx.Now()}
				if err := tx.CreateMessage(m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		uc, err := api.FetchUserConversation("alice", *c.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := unread(uc.UnreadMessagesCount), fmt.Sprint(parley.MaxUnreadCount); got != want {
			t.Errorf("unread = %s, want the cap %s", got, want)
		}
	})
}
