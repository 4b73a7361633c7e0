package chat_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// The default roles a service gets are listed by Chat in Chat's names.
func TestChatRolesDefaults(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		svc := newService(t, env)
		roles, err := env.Twilio().ChatV2.ListRole(svc, &chat.ListRoleParams{PageSize: refOf(3)})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"service admin": "deployment", "service user": "deployment",
			"channel admin": "channel", "channel user": "channel"}
		if len(roles) != len(want) {
			t.Fatalf("listed %d roles, want %d", len(roles), len(want))
		}
		for _, r := range roles {
			if want[*r.FriendlyName] != *r.Type {
				t.Errorf("%s has type %s, want %s", *r.FriendlyName, *r.Type, want[*r.FriendlyName])
			}
			// Conversations' names for permissions Chat spells differently
			// never show; addNonChatParticipant, which Chat lacks, may.
			for _, p := range *r.Permissions {
				if strings.Contains(p, "Conversation") || strings.Contains(p, "Participant") && p != "addNonChatParticipant" {
					t.Errorf("%s lists the Conversations permission %s", *r.FriendlyName, p)
				}
			}
		}
		user := roleNamed(t, env, svc, "service user")
		r, err := env.Twilio().ChatV2.FetchRole(svc, user)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(*r.Permissions), "[createChannel joinChannel editOwnUserInfo]"; got != want {
			t.Errorf("service user permissions = %s, want %s", got, want)
		}

		// The admins hold Chat's documented sets, inviteMember included;
		// Conversations, which has no invites, shows the same roles without it.
		for name, want := range map[string]string{
			"service admin": "[createChannel joinChannel destroyChannel addMember inviteMember removeMember editChannelAttributes " +
				"editChannelName editAnyMessage editAnyMessageAttributes deleteAnyMessage editAnyMemberAttributes editAnyUserInfo]",
			"channel admin": "[sendMessage sendMediaMessage leaveChannel addMember addNonChatParticipant inviteMember removeMember " +
				"editChannelAttributes editChannelName destroyChannel editAnyMessage editAnyMessageAttributes deleteAnyMessage " +
				"editAnyMemberAttributes editNotificationLevel]",
			"channel user": "[sendMessage sendMediaMessage leaveChannel editOwnMessage editOwnMessageAttributes deleteOwnMessage " +
				"editOwnMemberAttributes editNotificationLevel]",
		} {
			sid := roleNamed(t, env, svc, name)
			r, err := env.Twilio().ChatV2.FetchRole(svc, sid)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(*r.Permissions); got != want {
				t.Errorf("%s permissions = %s, want %s", name, got, want)
			}
			c, err := env.Twilio().ConversationsV1.FetchServiceRole(svc, sid)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(*c.Permissions, "inviteMember") || len(*c.Permissions) != len(*r.Permissions)-strings.Count(want, "inviteMember") {
				t.Errorf("Conversations shows %s with %v", name, *c.Permissions)
			}
		}
	})
}

func TestChatRoles(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)

		r, err := api.CreateRole(svc, &chat.CreateRoleParams{FriendlyName: refOf("moderator"), Type: refOf("channel"),
			Permission: &[]string{"sendMessage", "removeMember", "inviteMember", "editAnyMemberAttributes", "sendMessage"}})
		if err != nil {
			t.Fatal(err)
		}
		if *r.FriendlyName != "moderator" || *r.Type != "channel" || *r.ServiceSid != svc || *r.AccountSid != env.AccountSID ||
			fmt.Sprint(*r.Permissions) != "[sendMessage removeMember inviteMember editAnyMemberAttributes]" ||
			*r.Url != env.URL+"/v2/Services/"+svc+"/Roles/"+*r.Sid {
			t.Errorf("created %+v (permissions %v)", r, *r.Permissions)
		}

		got, err := api.FetchRole(svc, *r.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*got.Permissions) != fmt.Sprint(*r.Permissions) || *got.Type != "channel" {
			t.Errorf("fetched %v %s", *got.Permissions, *got.Type)
		}

		up, err := api.UpdateRole(svc, *r.Sid, &chat.UpdateRoleParams{Permission: &[]string{"leaveChannel", "destroyChannel"}})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*up.Permissions) != "[leaveChannel destroyChannel]" || *up.Type != "channel" || *up.FriendlyName != "moderator" {
			t.Errorf("updated %+v (permissions %v)", up, *up.Permissions)
		}

		roles, err := api.ListRole(svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(roles) != 5 || *roles[4].Sid != *r.Sid {
			t.Errorf("listed %d roles, the new one last: %v", len(roles), roles)
		}

		if err := api.DeleteRole(svc, *r.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchRole(svc, *r.Sid)
		wantRestError(t, "fetch deleted role", err, 404, 20404)
		err = api.DeleteRole(svc, *r.Sid)
		wantRestError(t, "delete deleted role", err, 404, 20404)
	})
}

// A role is one row seen in two vocabularies: Chat's deployment/channel
// types and permission names are Conversations' service/conversation ones,
// and permissions one product lacks survive a round trip through the other.
func TestChatRolesAcrossAPIs(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		chatAPI, convAPI := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)

		made, err := chatAPI.CreateRole(svc, &chat.CreateRoleParams{FriendlyName: refOf("organizer"), Type: refOf("deployment"),
			Permission: &[]string{"createChannel", "destroyChannel", "addMember", "inviteMember", "editOwnUserInfo"}})
		if err != nil {
			t.Fatal(err)
		}
		seen, err := convAPI.FetchServiceRole(svc, *made.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *seen.Type != "service" || *seen.FriendlyName != "organizer" ||
			fmt.Sprint(*seen.Permissions) != "[createConversation deleteConversation addParticipant editOwnUserInfo]" {
			t.Errorf("Conversations sees a %s role with %v", *seen.Type, *seen.Permissions)
		}

		convRole, err := convAPI.CreateServiceRole(svc, &conv.CreateServiceRoleParams{FriendlyName: refOf("agent"),
			Type: refOf("conversation"), Permission: &[]string{"sendMessage", "leaveConversation",
				"editOwnParticipantAttributes", "addNonChatParticipant"}})
		if err != nil {
			t.Fatal(err)
		}
		roles, err := chatAPI.ListRole(svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(roles, func(r chat.ChatV2Role) bool { return *r.Sid == *convRole.Sid })
		if i < 0 {
			t.Fatalf("Chat does not list the Conversations role %s", *convRole.Sid)
		}
		if *roles[i].Type != "channel" ||
			fmt.Sprint(*roles[i].Permissions) != "[sendMessage leaveChannel editOwnMemberAttributes addNonChatParticipant]" {
			t.Errorf("Chat lists a %s role with %v", *roles[i].Type, *roles[i].Permissions)
		}

		// Writing back what Chat shows keeps the Conversations-only
		// permission; the Conversations view is unchanged.
		if _, err := chatAPI.UpdateRole(svc, *convRole.Sid, &chat.UpdateRoleParams{Permission: roles[i].Permissions}); err != nil {
			t.Fatal(err)
		}
		again, err := convAPI.FetchServiceRole(svc, *convRole.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*again.Permissions) != fmt.Sprint(*convRole.Permissions) {
			t.Errorf("after a Chat round trip Conversations sees %v, want %v", *again.Permissions, *convRole.Permissions)
		}

		// And inviteMember survives a Chat round trip.
		back, err := chatAPI.FetchRole(svc, *made.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*back.Permissions) != fmt.Sprint(*made.Permissions) || *back.Type != "deployment" {
			t.Errorf("Chat reads back %s %v, want deployment %v", *back.Type, *back.Permissions, *made.Permissions)
		}

		// Conversations updates what it shows; the Chat-only inviteMember,
		// which it neither shows nor accepts, stays on the role.
		up, err := convAPI.UpdateServiceRole(svc, *made.Sid, &conv.UpdateServiceRoleParams{
			Permission: &[]string{"createConversation", "joinConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*up.Permissions) != "[createConversation joinConversation]" {
			t.Errorf("Conversations update answers %v", *up.Permissions)
		}
		back, err = chatAPI.FetchRole(svc, *made.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*back.Permissions) != "[createChannel joinChannel inviteMember]" {
			t.Errorf("after a Conversations update Chat reads %v", *back.Permissions)
		}
		_, err = convAPI.UpdateServiceRole(svc, *made.Sid, &conv.UpdateServiceRoleParams{
			Permission: &[]string{"createConversation", "inviteMember"}})
		wantRestError(t, "inviteMember through a Conversations update", err, 400, 50104)
		// Only Chat takes it away.
		if _, err := chatAPI.UpdateRole(svc, *made.Sid, &chat.UpdateRoleParams{Permission: &[]string{"createChannel"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := convAPI.UpdateServiceRole(svc, *made.Sid, &conv.UpdateServiceRoleParams{
			Permission: &[]string{"createConversation", "joinConversation"}}); err != nil {
			t.Fatal(err)
		}
		if back, err = chatAPI.FetchRole(svc, *made.Sid); err != nil || fmt.Sprint(*back.Permissions) != "[createChannel joinChannel]" {
			t.Errorf("after Chat dropped inviteMember: %v, %v", back, err)
		}

		// A user's unknown role is Chat's 50100 (Conversations: 20404), and
		// nothing is created or changed.
		ghost := parley.NewSID(parley.PrefixRole)
		_, err = chatAPI.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("olga"), RoleSid: &ghost})
		wantRestError(t, "Chat user create with an unknown role", err, 400, 50100)
		_, err = convAPI.CreateServiceUser(svc, &conv.CreateServiceUserParams{Identity: refOf("olga"), RoleSid: &ghost})
		wantRestError(t, "Conversations user create with an unknown role", err, 404, 20404)
		if _, err := chatAPI.FetchUser(svc, "olga"); err == nil {
			t.Error("a refused create made user olga")
		}

		// A role a user holds stays, whichever surface asks.
		olga, err := chatAPI.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("olga"), RoleSid: made.Sid})
		if err != nil {
			t.Fatal(err)
		}
		_, err = chatAPI.UpdateUser(svc, *olga.Sid, &chat.UpdateUserParams{RoleSid: &ghost})
		wantRestError(t, "Chat user update with an unknown role", err, 400, 50100)
		if u, err := chatAPI.FetchUser(svc, *olga.Sid); err != nil || *u.RoleSid != *made.Sid {
			t.Errorf("a refused update changed olga's role: %v, %v", u, err)
		}
		err = chatAPI.DeleteRole(svc, *made.Sid)
		wantRestError(t, "Chat delete of a role in use", err, 400, 20001)
		err = convAPI.DeleteServiceRole(svc, *made.Sid)
		wantRestError(t, "Conversations delete of a role in use", err, 400, 20001)
		if err := convAPI.DeleteServiceRole(svc, *convRole.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = chatAPI.FetchRole(svc, *convRole.Sid)
		wantRestError(t, "Chat fetch of a role deleted in Conversations", err, 404, 20404)
	})
}

func TestChatRolesBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		r, err := api.CreateRole(svc, &chat.CreateRoleParams{FriendlyName: refOf("member"), Type: refOf("channel"),
			Permission: &[]string{"sendMessage"}})
		if err != nil {
			t.Fatal(err)
		}

		for name, tc := range map[string]struct {
			params       *chat.CreateRoleParams
			status, code int
		}{
			"no name":                         {&chat.CreateRoleParams{Type: refOf("channel"), Permission: &[]string{"sendMessage"}}, 400, 20001},
			"name too long":                   {&chat.CreateRoleParams{FriendlyName: refOf(strings.Repeat("n", 65)), Type: refOf("channel"), Permission: &[]string{"sendMessage"}}, 400, 50003},
			"no type":                         {&chat.CreateRoleParams{FriendlyName: refOf("x"), Permission: &[]string{"sendMessage"}}, 400, 20001},
			"Conversations type":              {&chat.CreateRoleParams{FriendlyName: refOf("x"), Type: refOf("conversation"), Permission: &[]string{"sendMessage"}}, 400, 20001},
			"no permission":                   {&chat.CreateRoleParams{FriendlyName: refOf("x"), Type: refOf("channel")}, 400, 20001},
			"unknown permission":              {&chat.CreateRoleParams{FriendlyName: refOf("x"), Type: refOf("channel"), Permission: &[]string{"fly"}}, 400, 50104},
			"Conversations name of addMember": {&chat.CreateRoleParams{FriendlyName: refOf("x"), Type: refOf("channel"), Permission: &[]string{"addParticipant"}}, 400, 50104},
			"deployment permission on a channel role": {&chat.CreateRoleParams{FriendlyName: refOf("x"), Type: refOf("channel"), Permission: &[]string{"createChannel"}}, 400, 50104},
		} {
			_, err := api.CreateRole(svc, tc.params)
			wantRestError(t, name, err, tc.status, tc.code)
		}

		_, err = api.UpdateRole(svc, *r.Sid, &chat.UpdateRoleParams{Permission: &[]string{"sendMessage", "editOwnUserInfo"}})
		wantRestError(t, "update with a deployment permission", err, 400, 50104)
		_, err = api.UpdateRole(svc, *r.Sid, &chat.UpdateRoleParams{})
		wantRestError(t, "update without permissions", err, 400, 20001)
		got, err := api.FetchRole(svc, *r.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(*got.Permissions) != "[sendMessage]" || *got.DateUpdated != *r.DateUpdated {
			t.Errorf("refused updates changed the role: %v", *got.Permissions)
		}
		roles, err := api.ListRole(svc, nil)
		if err != nil || len(roles) != 5 {
			t.Errorf("refused creates left %d roles (err %v), want 5", len(roles), err)
		}

		// Conversations has no invites: inviteMember is Chat's alone.
		_, err = env.Twilio().ConversationsV1.CreateServiceRole(svc, &conv.CreateServiceRoleParams{FriendlyName: refOf("x"),
			Type: refOf("conversation"), Permission: &[]string{"inviteMember"}})
		wantRestError(t, "inviteMember through Conversations", err, 400, 50104)

		_, err = api.UpdateRole(svc, parley.NewSID(parley.PrefixRole), &chat.UpdateRoleParams{Permission: &[]string{"sendMessage"}})
		wantRestError(t, "update unknown role", err, 404, 20404)
		_, err = api.FetchRole(newService(t, env), *r.Sid)
		wantRestError(t, "role through another service", err, 404, 20404)
	})
}
