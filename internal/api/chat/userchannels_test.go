package chat_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// count renders an optional count for comparisons: "null" or the number.
func count(n *int) string {
	if n == nil {
		return "null"
	}
	return fmt.Sprint(*n)
}

// postMessages posts n messages to a channel through Conversations.
func postMessages(t *testing.T, env *apitest.Env, service, channel string, n int) []string {
	t.Helper()
	var sids []string
	for i := 0; i < n; i++ {
		m, err := env.Twilio().ConversationsV1.CreateServiceConversationMessage(service, channel,
			&conv.CreateServiceConversationMessageParams{Author: refOf("bob"), Body: refOf("hi")})
		if err != nil {
			t.Fatal(err)
		}
		sids = append(sids, *m.Sid)
	}
	return sids
}

func TestChatUserChannels(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		first := newChannel(t, env, svc, "first", "alice", "bob")
		second := newChannel(t, env, svc, "second", "alice")
		newChannel(t, env, svc, "bobs", "bob")
		alice, err := api.FetchUser(svc, "alice")
		if err != nil {
			t.Fatal(err)
		}

		// Two per page: alice's two channels in the order she joined, none of bob's.
		ucs, err := api.ListUserChannel(svc, *alice.Sid, &chat.ListUserChannelParams{PageSize: refOf(1)})
		if err != nil {
			t.Fatal(err)
		}
		if len(ucs) != 2 || *ucs[0].ChannelSid != first || *ucs[1].ChannelSid != second {
			t.Fatalf("alice's channels = %+v", ucs)
		}
		uc := ucs[0]
		member, err := env.Twilio().ConversationsV1.FetchServiceConversationParticipant(svc, first, "alice")
		if err != nil {
			t.Fatal(err)
		}
		channelURL := env.URL + "/v2/Services/" + svc + "/Channels/" + first
		if *uc.Status != "joined" || *uc.MemberSid != *member.Sid || *uc.UserSid != *alice.Sid || *uc.ServiceSid != svc ||
			*uc.AccountSid != env.AccountSID || *uc.NotificationLevel != "default" || uc.LastConsumedMessageIndex != nil ||
			uc.UnreadMessagesCount != nil {
			t.Errorf("user channel = %+v", uc)
		}
		if *uc.Url != env.URL+"/v2/Services/"+svc+"/Users/"+*alice.Sid+"/Channels/"+first ||
			(*uc.Links)["channel"] != channelURL || (*uc.Links)["member"] != channelURL+"/Members/"+*member.Sid {
			t.Errorf("url %s, links %v", *uc.Url, *uc.Links)
		}

		// Fetch through the identity and the channel's unique name.
		got, err := api.FetchUserChannel(svc, "alice", "second")
		if err != nil {
			t.Fatal(err)
		}
		if *got.ChannelSid != second {
			t.Errorf("fetched channel %s, want %s", *got.ChannelSid, second)
		}

		// Update: mute and set the consumption horizon with its timestamp.
		at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		up, err := api.UpdateUserChannel(svc, "alice", first, &chat.UpdateUserChannelParams{NotificationLevel: refOf("muted"),
			LastConsumedMessageIndex: refOf(0), LastConsumptionTimestamp: &at})
		if err != nil {
			t.Fatal(err)
		}
		if *up.NotificationLevel != "muted" || count(up.LastConsumedMessageIndex) != "0" || count(up.UnreadMessagesCount) != "0" {
			t.Errorf("updated %+v", up)
		}
		p, err := env.Twilio().ConversationsV1.FetchServiceConversationParticipant(svc, first, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if count(p.LastReadMessageIndex) != "0" || p.LastReadTimestamp == nil || *p.LastReadTimestamp != at.Format(time.RFC3339) {
			t.Errorf("participant horizon %s at %v, want 0 at %s", count(p.LastReadMessageIndex), p.LastReadTimestamp, at.Format(time.RFC3339))
		}

		// Delete is leaving: the participant is gone, the channel stays.
		if err := api.DeleteUserChannel(svc, *alice.Sid, second, &chat.DeleteUserChannelParams{XTwilioWebhookEnabled: refOf("true")}); err != nil {
			t.Fatal(err)
		}
		_, err = env.Twilio().ConversationsV1.FetchServiceConversationParticipant(svc, second, "alice")
		wantRestError(t, "participant after leaving", err, 404, 20404)
		_, err = api.FetchUserChannel(svc, "alice", second)
		wantRestError(t, "user channel after leaving", err, 404, 20404)
		if _, err := env.Twilio().ConversationsV1.FetchServiceConversation(svc, second); err != nil {
			t.Errorf("channel gone after its member left: %v", err)
		}
		after, err := api.FetchUser(svc, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if after.JoinedChannelsCount != 1 {
			t.Errorf("joined_channels_count after leaving = %d, want 1", after.JoinedChannelsCount)
		}
	})
}

// The unread count Chat reports for a user channel is the one Conversations
// reports for the same user conversation, through posts, horizon moves made
// on either surface and deletes.
func TestChatUserChannelsUnreadMatchesConversations(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		chatAPI, convAPI := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)
		room := newChannel(t, env, svc, "room", "alice", "bob")

		check := func(what, want string) {
			t.Helper()
			c, err := chatAPI.FetchUserChannel(svc, "alice", room)
			if err != nil {
				t.Fatal(err)
			}
			v, err := convAPI.FetchServiceUserConversation(svc, "alice", room)
			if err != nil {
				t.Fatal(err)
			}
			if count(c.UnreadMessagesCount) != want || count(v.UnreadMessagesCount) != want ||
				count(c.LastConsumedMessageIndex) != count(v.LastReadMessageIndex) {
				t.Errorf("%s: Chat unread %s (horizon %s), Conversations unread %s (horizon %s), want %s", what,
					count(c.UnreadMessagesCount), count(c.LastConsumedMessageIndex),
					count(v.UnreadMessagesCount), count(v.LastReadMessageIndex), want)
			}
		}
		check("no horizon", "null")
		sids := postMessages(t, env, svc, room, 5)
		check("five posted, no horizon", "null")

		if _, err := chatAPI.UpdateUserChannel(svc, "alice", room, &chat.UpdateUserChannelParams{LastConsumedMessageIndex: refOf(1)}); err != nil {
			t.Fatal(err)
		}
		check("consumed up to 1 in Chat", "3")

		_, err := convAPI.UpdateServiceUserConversation(svc, "alice", room, &conv.UpdateServiceUserConversationParams{LastReadMessageIndex: refOf(3)})
		if err != nil {
			t.Fatal(err)
		}
		check("read up to 3 in Conversations", "1")

		if err := convAPI.DeleteServiceConversationMessage(svc, room, sids[4], nil); err != nil {
			t.Fatal(err)
		}
		check("the unread message deleted", "0")

		// An empty LastConsumedMessageIndex clears the horizon.
		resp := env.Do("POST", "/v2/Services/"+svc+"/Users/alice/Channels/"+room, url.Values{"LastConsumedMessageIndex": {""}})
		if resp.Status != 200 {
			t.Fatalf("clear horizon: %s", resp)
		}
		check("horizon cleared", "null")
	})
}

func TestChatUserChannelsBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		room := newChannel(t, env, svc, "room", "alice")
		newChannel(t, env, svc, "other", "bob")

		path := "/v2/Services/" + svc + "/Users/alice/Channels/" + room
		for name, params := range map[string]url.Values{
			"notification level loud":       {"NotificationLevel": {"loud"}},
			"negative horizon":              {"LastConsumedMessageIndex": {"-1"}},
			"horizon not a number":          {"LastConsumedMessageIndex": {"ten"}},
			"consumption timestamp not ISO": {"LastConsumptionTimestamp": {"yesterday"}},
		} {
			resp := env.Do("POST", path, params)
			if resp.Status != 400 || rawCode(t, resp) != 20001 {
				t.Errorf("%s: %s, want 400/20001", name, resp)
			}
		}
		uc, err := api.FetchUserChannel(svc, "alice", room)
		if err != nil {
			t.Fatal(err)
		}
		if *uc.NotificationLevel != "default" || uc.LastConsumedMessageIndex != nil {
			t.Errorf("refused updates changed the user channel: %+v", uc)
		}

		_, err = api.FetchUserChannel(svc, "alice", "other")
		wantRestError(t, "channel alice is not in", err, 404, 20404)
		_, err = api.FetchUserChannel(svc, "nobody", room)
		wantRestError(t, "unknown user", err, 404, 20404)
		_, err = api.ListUserChannel(svc, parley.NewSID(parley.PrefixUser), nil)
		wantRestError(t, "list of unknown user", err, 404, 20404)
		err = api.DeleteUserChannel(svc, "alice", parley.NewSID(parley.PrefixConversation), nil)
		wantRestError(t, "leave unknown channel", err, 404, 20404)
	})
}

// userChannelPage reads one raw page of a user's channels and returns its
// "channel_sid:status" entries and its next and previous page URLs.
func userChannelPage(t *testing.T, env *apitest.Env, pageURL string) (entries []string, next, prev *string) {
	t.Helper()
	resp := env.Do("GET", strings.TrimPrefix(pageURL, env.URL), nil)
	if resp.Status != 200 {
		t.Fatalf("GET %s: %s", pageURL, resp)
	}
	var body struct {
		Channels []struct {
			ChannelSID string `json:"channel_sid"`
			Status     string `json:"status"`
		} `json:"channels"`
		Meta struct {
			Next *string `json:"next_page_url"`
			Prev *string `json:"previous_page_url"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatal(err)
	}
	for _, c := range body.Channels {
		entries = append(entries, c.ChannelSID+":"+c.Status)
	}
	return entries, body.Meta.Next, body.Meta.Prev
}

// A user's channels include those the user is invited to, after the joined
// ones, with status invited and no member, horizon or unread count; deleting
// one declines the invite, and joining turns it into a joined channel.
func TestChatUserChannelsInvited(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		first := newChannel(t, env, svc, "first", "alice")
		second := newChannel(t, env, svc, "second", "alice")
		lobby, err := api.CreateChannel(svc, (&chat.CreateChannelParams{}).SetUniqueName("lobby"))
		if err != nil {
			t.Fatal(err)
		}
		third := newChannel(t, env, svc, "third", "bob")
		for _, ch := range []string{*lobby.Sid, third} {
			if _, err := api.CreateInvite(svc, ch, (&chat.CreateInviteParams{}).SetIdentity("alice")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := api.CreateInvite(svc, third, (&chat.CreateInviteParams{}).SetIdentity("carol")); err != nil {
			t.Fatal(err)
		}
		alice, err := api.FetchUser(svc, "alice")
		if err != nil {
			t.Fatal(err)
		}

		ucs, err := api.ListUserChannel(svc, "alice", (&chat.ListUserChannelParams{}).SetPageSize(3))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, uc := range ucs {
			got = append(got, *uc.ChannelSid+":"+*uc.Status)
		}
		want := []string{first + ":joined", second + ":joined", *lobby.Sid + ":invited", third + ":invited"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("alice's channels = %v, want %v", got, want)
		}
		inv := ucs[3]
		if inv.MemberSid != nil || inv.LastConsumedMessageIndex != nil || inv.UnreadMessagesCount != nil ||
			*inv.NotificationLevel != "default" || *inv.UserSid != *alice.Sid || *inv.ServiceSid != svc ||
			*inv.AccountSid != env.AccountSID || *inv.Url != env.URL+"/v2/Services/"+svc+"/Users/"+*alice.Sid+"/Channels/"+third ||
			fmt.Sprint(*inv.Links) != fmt.Sprint(map[string]string{"channel": env.URL + "/v2/Services/" + svc + "/Channels/" + third}) {
			t.Errorf("invited user channel = %+v (links %v)", inv, *inv.Links)
		}

		// Page by page forwards, then back from the last page: the same
		// sequence, across the joined/invited boundary both ways.
		base := env.URL + "/v2/Services/" + svc + "/Users/alice/Channels?PageSize=1"
		var forward []string
		last := ""
		for page := &base; page != nil; {
			last = *page
			var entries []string
			entries, page, _ = userChannelPage(t, env, *page)
			forward = append(forward, entries...)
		}
		var backward []string
		for page := &last; page != nil; {
			var entries []string
			entries, _, page = userChannelPage(t, env, *page)
			backward = append(entries, backward...)
		}
		if fmt.Sprint(forward) != fmt.Sprint(want) || fmt.Sprint(backward) != fmt.Sprint(want) {
			t.Errorf("paged forwards %v, backwards %v, want %v", forward, backward, want)
		}
		// Read backwards from past the last invite, a page of one invite has
		// the other before it.
		back := fmt.Sprintf("%s/v2/Services/%s/Users/alice/Channels?PageSize=1&Page=3&PageToken=PB%d", env.URL, svc, int64(1)<<53+1<<20)
		if entries, _, prev := userChannelPage(t, env, back); fmt.Sprint(entries) != fmt.Sprint(want[3:]) || prev == nil {
			t.Errorf("backwards from the end: %v, previous page %v", entries, prev)
		}

		// Three a page: the first page ends among the invites, and the page
		// before its successor's first entry is the same three.
		threes, next, _ := userChannelPage(t, env, env.URL+"/v2/Services/"+svc+"/Users/alice/Channels?PageSize=3")
		rest, _, prev := userChannelPage(t, env, *next)
		again, _, _ := userChannelPage(t, env, *prev)
		if fmt.Sprint(threes) != fmt.Sprint(want[:3]) || fmt.Sprint(rest) != fmt.Sprint(want[3:]) || fmt.Sprint(again) != fmt.Sprint(threes) {
			t.Errorf("pages of three: %v, %v, back %v", threes, rest, again)
		}

		// Fetch by identity and unique name; Conversations does not see invites.
		fetched, err := api.FetchUserChannel(svc, "alice", "lobby")
		if err != nil {
			t.Fatal(err)
		}
		if *fetched.Status != "invited" || *fetched.ChannelSid != *lobby.Sid || fetched.MemberSid != nil {
			t.Errorf("fetched %+v", fetched)
		}
		convs, err := env.Twilio().ConversationsV1.ListServiceUserConversation(svc, "alice", nil)
		if err != nil || len(convs) != 2 {
			t.Errorf("alice's user conversations = %d, %v; want the 2 joined", len(convs), err)
		}

		// An invited user has no member to update: 50400, nothing changes.
		_, err = api.UpdateUserChannel(svc, "alice", third, (&chat.UpdateUserChannelParams{}).SetNotificationLevel("muted"))
		wantRestError(t, "update an invited user channel", err, 400, 50400)

		// Joining accepts the invite: the channel is joined.
		if _, err := api.CreateMember(svc, third, (&chat.CreateMemberParams{}).SetIdentity("alice")); err != nil {
			t.Fatal(err)
		}
		joined, err := api.FetchUserChannel(svc, "alice", third)
		if err != nil {
			t.Fatal(err)
		}
		if *joined.Status != "joined" || joined.MemberSid == nil {
			t.Errorf("after joining: %+v", joined)
		}

		// Deleting an invited user channel declines the invite.
		if err := api.DeleteUserChannel(svc, *alice.Sid, "lobby", nil); err != nil {
			t.Fatal(err)
		}
		invites, err := api.ListInvite(svc, *lobby.Sid, nil)
		if err != nil || len(invites) != 0 {
			t.Errorf("lobby invites after declining = %d, %v", len(invites), err)
		}
		_, err = api.FetchUserChannel(svc, "alice", "lobby")
		wantRestError(t, "declined user channel", err, 404, 20404)
		err = api.DeleteUserChannel(svc, "alice", "lobby", nil)
		wantRestError(t, "decline twice", err, 404, 20404)
		others, err := api.ListInvite(svc, third, nil)
		if err != nil || len(others) != 1 || *others[0].Identity != "carol" {
			t.Errorf("third's invites = %v, %v; want carol's", others, err)
		}
		ucs, err = api.ListUserChannel(svc, "alice", nil)
		if err != nil || len(ucs) != 3 {
			t.Errorf("alice's channels after declining and joining = %d, %v", len(ucs), err)
		}
	})
}
