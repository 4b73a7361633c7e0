package conversations_test

import (
	"fmt"
	"net/url"
	"sort"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

func participantIdentities(t *testing.T, api *conv.ApiService, conversationSID string) []string {
	t.Helper()
	parts, err := api.ListConversationParticipant(conversationSID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range parts {
		ids = append(ids, *p.Identity)
	}
	return ids
}

func userIdentities(t *testing.T, api *conv.ApiService) []string {
	t.Helper()
	users, err := api.ListUser(nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range users {
		ids = append(ids, *u.Identity)
	}
	sort.Strings(ids)
	return ids
}

func TestConversationWithParticipants(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1

		c, err := api.CreateConversationWithParticipants(&conv.CreateConversationWithParticipantsParams{
			FriendlyName: ptr("Team"), UniqueName: ptr("team"), Attributes: ptr(`{"topic":"launch"}`),
			State: ptr("inactive"), TimersClosed: ptr("PT10M"),
			Participant: &[]string{`{"identity":"alice","attributes":{"desk":4}}`, `{ "identity": "bob", "attributes": "{\"x\":1}" }`}})
		if err != nil {
			t.Fatal(err)
		}
		if *c.UniqueName != "team" || *c.State != "inactive" || *c.Attributes != `{"topic":"launch"}` {
			t.Errorf("created %+v", c)
		}
		if got, want := *c.Url, env.URL+"/v1/Conversations/"+*c.Sid; got != want {
			t.Errorf("url = %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(participantIdentities(t, api, *c.Sid)), "[alice bob]"; got != want {
			t.Errorf("participants = %s, want %s", got, want)
		}
		alice, err := api.FetchConversationParticipant(*c.Sid, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if *alice.Attributes != `{"desk":4}` || alice.RoleSid == nil {
			t.Errorf("alice = %+v, want attributes {\"desk\":4} and the default role", alice)
		}
		if got, want := fmt.Sprint(userIdentities(t, api)), "[alice bob]"; got != want {
			t.Errorf("users = %s, want %s", got, want)
		}

		// The service-scoped twin, in another service, with no participants at all.
		svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("other")})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := api.CreateServiceConversationWithParticipants(*svc.Sid, &conv.CreateServiceConversationWithParticipantsParams{
			UniqueName: ptr("team"), Participant: &[]string{`{"identity":"carol"}`}})
		if err != nil {
			t.Fatal(err)
		}
		if *sc.ChatServiceSid != *svc.Sid || *sc.State != "active" {
			t.Errorf("service-scoped: %+v", sc)
		}
		parts, err := api.ListServiceConversationParticipant(*svc.Sid, *sc.Sid, nil)
		if err != nil || len(parts) != 1 || *parts[0].Identity != "carol" {
			t.Errorf("service-scoped participants: %d (err %v), want carol", len(parts), err)
		}
		if _, err := api.CreateConversationWithParticipants(nil); err != nil {
			t.Errorf("no participants at all: %v", err)
		}
	})
}

// Any refused participant leaves nothing behind: no conversation, no
// participant, no user; the unique name stays free.
func TestConversationWithParticipantsIsAtomic(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		eleven := make([]string, 11)
		for i := range eleven {
			eleven[i] = fmt.Sprintf(`{"identity":"user%d"}`, i)
		}
		cases := []struct {
			name   string
			third  string
			all    []string
			status int
			code   int
			state  string
		}{
			{name: "malformed JSON", third: `{"identity":`, status: 400, code: 20001},
			{name: "not an object", third: `"erin"`, status: 400, code: 20001},
			{name: "no identity", third: `{"attributes":"{}"}`, status: 400, code: 20001},
			{name: "non-chat participant without a messaging service", third: `{"messaging_binding":{"address":"+15558675310","proxy_address":"+15017122661"}}`, status: 400, code: 50340},
			{name: "duplicate identity", third: `{"identity":"carol"}`, status: 409, code: 50433},
			{name: "bad attributes", third: `{"identity":"erin","attributes":"{nope"}`, status: 400, code: 20001},
			// An unknown role is only found inside the transaction, after the
			// conversation, two participants and two users were written.
			{name: "unknown role", third: `{"identity":"erin","role_sid":"` + parley.NewSID(parley.PrefixRole) + `"}`, status: 400, code: 50109},
			{name: "eleven participants", all: eleven, status: 400, code: 50426},
			{name: "bad conversation", third: `{"identity":"erin"}`, state: "closed", status: 400, code: 50384},
		}
		for _, tc := range cases {
			all := tc.all
			if all == nil {
				all = []string{`{"identity":"carol"}`, `{"identity":"dave"}`, tc.third}
			}
			form := url.Values{"UniqueName": {"atomic"}, "Participant": all}
			if tc.state != "" {
				form.Set("State", tc.state)
			}
			resp := env.Do("POST", "/v1/ConversationWithParticipants", form)
			if resp.Status != tc.status || errorCode(t, resp) != tc.code {
				t.Errorf("%s: %s, want %d/%d", tc.name, resp, tc.status, tc.code)
			}
		}

		convs, err := api.ListConversation(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(convs) != 0 {
			t.Errorf("refused requests left %d conversations", len(convs))
		}
		if users := userIdentities(t, api); len(users) != 0 {
			t.Errorf("refused requests left users %v", users)
		}
		c, err := api.CreateConversationWithParticipants(&conv.CreateConversationWithParticipantsParams{
			UniqueName: ptr("atomic"), Participant: &[]string{`{"identity":"carol"}`, `{"identity":"dave"}`, `{"identity":"erin"}`}})
		if err != nil {
			t.Fatalf("unique name not reusable after refused requests: %v", err)
		}
		if got, want := fmt.Sprint(participantIdentities(t, api, *c.Sid)), "[carol dave erin]"; got != want {
			t.Errorf("participants = %s, want %s", got, want)
		}
		// A taken unique name refuses the whole request, too.
		_, err = api.CreateConversationWithParticipants(&conv.CreateConversationWithParticipantsParams{
			UniqueName: ptr("atomic"), Participant: &[]string{`{"identity":"frank"}`}})
		if status, code := twilioCode(t, err); status != 409 || code != 50353 {
			t.Errorf("taken unique name: %d/%d, want 409/50353", status, code)
		}
		if got, want := fmt.Sprint(userIdentities(t, api)), "[carol dave erin]"; got != want {
			t.Errorf("users = %s, want %s", got, want)
		}
	})
}
