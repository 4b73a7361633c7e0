package chat_test

import (
	"net/url"
	"strings"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

func TestChatUsers(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)

		u, err := api.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("alice"), FriendlyName: refOf("Alice"),
			Attributes: refOf(`{"team":"blue"}`), XTwilioWebhookEnabled: refOf("true")})
		if err != nil {
			t.Fatal(err)
		}
		if *u.Identity != "alice" || *u.FriendlyName != "Alice" || *u.Attributes != `{"team":"blue"}` ||
			*u.ServiceSid != svc || *u.AccountSid != env.AccountSID || u.JoinedChannelsCount != 0 ||
			u.IsOnline != nil || u.IsNotifiable != nil || !parley.IsSID(*u.RoleSid, parley.PrefixRole) {
			t.Errorf("created %+v", u)
		}
		wantURL := env.URL + "/v2/Services/" + svc + "/Users/" + *u.Sid
		if *u.Url != wantURL || (*u.Links)["user_channels"] != wantURL+"/Channels" || (*u.Links)["user_bindings"] != wantURL+"/Bindings" {
			t.Errorf("url %s, links %v", *u.Url, *u.Links)
		}

		// The new user holds the service's default user role, a deployment role.
		role, err := api.FetchRole(svc, *u.RoleSid)
		if err != nil {
			t.Fatal(err)
		}
		if *role.Type != "deployment" || *role.FriendlyName != "service user" {
			t.Errorf("default user role = %s %s, want deployment service user", *role.Type, *role.FriendlyName)
		}

		// Fetch by SID and by identity.
		for _, id := range []string{*u.Sid, "alice"} {
			got, err := api.FetchUser(svc, id)
			if err != nil {
				t.Fatal(err)
			}
			if *got.Sid != *u.Sid {
				t.Errorf("fetch %s: sid %s, want %s", id, *got.Sid, *u.Sid)
			}
		}

		// joined_channels_count counts the identity's channels, on fetch and list.
		newChannel(t, env, svc, "one", "alice", "bob")
		newChannel(t, env, svc, "two", "alice")
		got, err := api.FetchUser(svc, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if got.JoinedChannelsCount != 2 {
			t.Errorf("joined_channels_count = %d, want 2", got.JoinedChannelsCount)
		}

		// Adding bob made his User; the list pages in creation order.
		users, err := api.ListUser(svc, &chat.ListUserParams{PageSize: refOf(1)})
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 2 || *users[0].Identity != "alice" || *users[1].Identity != "bob" ||
			users[0].JoinedChannelsCount != 2 || users[1].JoinedChannelsCount != 1 {
			t.Errorf("listed %+v", users)
		}

		// Update through the identity; a role of the right type is accepted.
		admin := roleNamed(t, env, svc, "service admin")
		up, err := api.UpdateUser(svc, "alice", &chat.UpdateUserParams{FriendlyName: refOf("Alice A."),
			Attributes: refOf(`{"team":"red"}`), RoleSid: &admin, XTwilioWebhookEnabled: refOf("false")})
		if err != nil {
			t.Fatal(err)
		}
		if *up.FriendlyName != "Alice A." || *up.Attributes != `{"team":"red"}` || *up.RoleSid != admin ||
			up.JoinedChannelsCount != 2 || *up.Identity != "alice" {
			t.Errorf("updated %+v", up)
		}

		if err := api.DeleteUser(svc, *u.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchUser(svc, *u.Sid)
		wantRestError(t, "fetch deleted user", err, 404, 20404)
		err = api.DeleteUser(svc, *u.Sid)
		wantRestError(t, "delete deleted user", err, 404, 20404)
	})
}

// roleNamed finds a role of a service by friendly name, through Chat.
func roleNamed(t *testing.T, env *apitest.Env, service, name string) string {
	t.Helper()
	roles, err := env.Twilio().ChatV2.ListRole(service, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		if *r.FriendlyName == name {
			return *r.Sid
		}
	}
	t.Fatalf("no role %q", name)
	return ""
}

// A Chat user is a Conversations user: created on one surface, it is
// fetched, changed and deleted on the other.
func TestChatUsersAcrossAPIs(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		chatAPI, convAPI := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)

		cu, err := chatAPI.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("carol"), FriendlyName: refOf("Carol")})
		if err != nil {
			t.Fatal(err)
		}
		vu, err := convAPI.FetchServiceUser(svc, "carol")
		if err != nil {
			t.Fatal(err)
		}
		if *vu.Sid != *cu.Sid || *vu.FriendlyName != "Carol" || *vu.RoleSid != *cu.RoleSid ||
			*vu.ChatServiceSid != svc || *vu.Attributes != *cu.Attributes {
			t.Errorf("Conversations sees %+v, Chat created %+v", vu, cu)
		}

		made, err := convAPI.CreateServiceUser(svc, &conv.CreateServiceUserParams{Identity: refOf("dave")})
		if err != nil {
			t.Fatal(err)
		}
		seen, err := chatAPI.FetchUser(svc, *made.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *seen.Identity != "dave" || *seen.RoleSid != *made.RoleSid {
			t.Errorf("Chat sees %+v, Conversations created %+v", seen, made)
		}

		// One identity per service, whichever surface made it.
		_, err = chatAPI.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("dave")})
		wantRestError(t, "Chat duplicate of a Conversations user", err, 409, 50201)

		if err := chatAPI.DeleteUser(svc, "dave"); err != nil {
			t.Fatal(err)
		}
		_, err = convAPI.FetchServiceUser(svc, *made.Sid)
		wantRestError(t, "Conversations fetch of a user deleted in Chat", err, 404, 20404)
	})
}

func TestChatUsersBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		u, err := api.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("erin"), FriendlyName: refOf("Erin")})
		if err != nil {
			t.Fatal(err)
		}
		channelRole := roleNamed(t, env, svc, "channel user")

		for name, tc := range map[string]struct {
			params       *chat.CreateUserParams
			status, code int
		}{
			"no identity":         {&chat.CreateUserParams{FriendlyName: refOf("x")}, 400, 20001},
			"duplicate identity":  {&chat.CreateUserParams{Identity: refOf("erin")}, 409, 50201},
			"identity is a SID":   {&chat.CreateUserParams{Identity: refOf(parley.NewSID(parley.PrefixUser))}, 400, 50206},
			"attributes not JSON": {&chat.CreateUserParams{Identity: refOf("f"), Attributes: refOf("{")}, 400, 50304},
			"channel role":        {&chat.CreateUserParams{Identity: refOf("f"), RoleSid: &channelRole}, 400, 20001},
			"unknown role":        {&chat.CreateUserParams{Identity: refOf("f"), RoleSid: refOf(parley.NewSID(parley.PrefixRole))}, 400, 50100},
			"malformed role":      {&chat.CreateUserParams{Identity: refOf("f"), RoleSid: refOf("admin")}, 400, 20001},
			"name too long":       {&chat.CreateUserParams{Identity: refOf("f"), FriendlyName: refOf(strings.Repeat("n", 257))}, 400, 50003},
		} {
			_, err := api.CreateUser(svc, tc.params)
			wantRestError(t, name, err, tc.status, tc.code)
		}

		_, err = api.UpdateUser(svc, "erin", &chat.UpdateUserParams{FriendlyName: refOf("changed"), RoleSid: &channelRole})
		wantRestError(t, "update to a channel role", err, 400, 20001)
		_, err = api.UpdateUser(svc, "erin", &chat.UpdateUserParams{FriendlyName: refOf("changed"), Attributes: refOf("[")})
		wantRestError(t, "update with bad attributes", err, 400, 50304)
		got, err := api.FetchUser(svc, "erin")
		if err != nil {
			t.Fatal(err)
		}
		if *got.FriendlyName != "Erin" || *got.RoleSid != *u.RoleSid || *got.DateUpdated != *u.DateUpdated {
			t.Errorf("refused updates changed the user: %+v", got)
		}
		users, err := api.ListUser(svc, nil)
		if err != nil || len(users) != 1 {
			t.Errorf("refused creates left %d users (err %v), want 1", len(users), err)
		}

		_, err = api.FetchUser(svc, "nobody")
		wantRestError(t, "unknown identity", err, 404, 20404)
		_, err = api.UpdateUser(svc, parley.NewSID(parley.PrefixUser), &chat.UpdateUserParams{FriendlyName: refOf("x")})
		wantRestError(t, "update unknown user", err, 404, 20404)
		_, err = api.FetchUser(parley.NewSID(parley.PrefixService), "erin")
		wantRestError(t, "unknown service", err, 404, 20404)

		// A user of one service is not reachable through another.
		other := newService(t, env)
		_, err = api.FetchUser(other, *u.Sid)
		wantRestError(t, "user through another service", err, 404, 20404)

		resp := env.Do("GET", "/v2/Services/"+svc+"/Users", url.Values{"PageSize": {"0"}})
		if resp.Status != 400 || rawCode(t, resp) != 20001 {
			t.Errorf("PageSize=0: %s, want 400/20001", resp)
		}
		resp = env.Do("PUT", "/v2/Services/"+svc+"/Users", nil)
		if resp.Status != 405 {
			t.Errorf("PUT users: %s, want 405", resp)
		}
	})
}
