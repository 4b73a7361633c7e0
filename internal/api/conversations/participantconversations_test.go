package conversations_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestParticipantConversationsByIdentity(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		var aliceIn []string
		for i, members := range [][]string{{"alice", "bob"}, {"bob"}, {"alice"}} {
			c, err := api.CreateConversation(&conv.CreateConversationParams{UniqueName: ptr(fmt.Sprint("room-", i))})
			if err != nil {
				t.Fatal(err)
			}
			for _, identity := range members {
				if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr(identity)}); err != nil {
					t.Fatal(err)
				}
				if identity == "alice" {
					aliceIn = append(aliceIn, *c.Sid)
				}
			}
		}
		alice, err := api.FetchUser("alice")
		if err != nil {
			t.Fatal(err)
		}
		// One per page, so the helper follows next_page_url.
		list, err := api.ListParticipantConversation(&conv.ListParticipantConversationParams{Identity: ptr("alice"), PageSize: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, pc := range list {
			got = append(got, *pc.ConversationSid)
			if *pc.ParticipantIdentity != "alice" || *pc.ParticipantUserSid != *alice.Sid || *pc.ConversationCreatedBy != "system" ||
				*pc.ConversationState != "active" || pc.ParticipantMessagingBinding != nil {
				t.Errorf("participant conversation = %+v", pc)
			}
		}
		slices.Sort(aliceIn) // documented: sorted by conversation SID
		if fmt.Sprint(got) != fmt.Sprint(aliceIn) {
			t.Errorf("alice's conversations = %v, want %v", got, aliceIn)
		}

		page, err := api.PageParticipantConversation(&conv.ListParticipantConversationParams{Identity: ptr("alice"), PageSize: ptr(1)}, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if page.Meta.NextPageUrl == nil || !strings.Contains(*page.Meta.NextPageUrl, "Identity=alice") {
			t.Errorf("next_page_url %v does not keep the Identity filter", page.Meta.NextPageUrl)
		}

		// A participant whose User was deleted still lists, without a user SID.
		if err := api.DeleteUser("bob", nil); err != nil {
			t.Fatal(err)
		}
		bobs, err := api.ListParticipantConversation(&conv.ListParticipantConversationParams{Identity: ptr("bob")})
		if err != nil {
			t.Fatal(err)
		}
		if len(bobs) != 2 || bobs[0].ParticipantUserSid != nil {
			t.Errorf("bob's conversations = %d (user %v), want 2 without user", len(bobs), bobs[0].ParticipantUserSid)
		}
	})
}

func TestParticipantConversationsServiceScoped(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc := newService(t, api, "second")
		c, err := api.CreateServiceConversation(svc, &conv.CreateServiceConversationParams{FriendlyName: ptr("Desk")})
		if err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateServiceConversationParticipant(svc, *c.Sid, &conv.CreateServiceConversationParticipantParams{Identity: ptr("alice")})
		if err != nil {
			t.Fatal(err)
		}
		// alice in the default service is someone else.
		dc, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*dc.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("alice")}); err != nil {
			t.Fatal(err)
		}
		list, err := api.ListServiceParticipantConversation(svc, &conv.ListServiceParticipantConversationParams{Identity: ptr("alice")})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || *list[0].ConversationSid != *c.Sid || *list[0].ParticipantSid != *p.Sid ||
			*list[0].ChatServiceSid != svc || *list[0].ConversationFriendlyName != "Desk" {
			t.Fatalf("service participant conversations = %+v", list)
		}
		links := *list[0].Links
		if want := "/v1/Services/" + svc + "/Conversations/" + *c.Sid + "/Participants/" + *p.Sid; !strings.HasSuffix(fmt.Sprint(links["participant"]), want) {
			t.Errorf("participant link = %v, want ...%s", links["participant"], want)
		}

		// No binding participants yet: an address matches nothing.
		byAddress, err := api.ListServiceParticipantConversation(svc, &conv.ListServiceParticipantConversationParams{Address: ptr("+15551230000")})
		if err != nil || len(byAddress) != 0 {
			t.Errorf("by address: %d, %v; want none", len(byAddress), err)
		}
	})
}

func TestParticipantConversationsNeedIdentityOrAddress(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		for _, q := range []url.Values{nil, {"Identity": {""}}, {"Identity": {"alice"}, "Address": {"+15551230000"}}} {
			for _, path := range []string{"/v1/ParticipantConversations", "/v1/Services/" + env.Server.Account.DefaultServiceSID + "/ParticipantConversations"} {
				resp := env.Do("GET", path, q)
				if resp.Status != 400 || !strings.Contains(string(resp.Body), `"code":20001`) {
					t.Errorf("GET %s?%s: %s, want 400/20001", path, q.Encode(), resp)
				}
			}
		}
	})
}
