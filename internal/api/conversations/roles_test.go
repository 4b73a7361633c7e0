package conversations_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// defaultRoles are the four roles every service is created with, in order,
// as Conversations shows them (without Chat's inviteMember).
var defaultRoles = []struct{ name, typ, perms string }{
	{"service admin", "service", "[createConversation joinConversation deleteConversation addParticipant removeParticipant " +
		"editConversationAttributes editConversationName editAnyMessage editAnyMessageAttributes deleteAnyMessage " +
		"editAnyParticipantAttributes editAnyUserInfo]"},
	{"service user", "service", "[createConversation joinConversation editOwnUserInfo]"},
	{"channel admin", "conversation", "[sendMessage sendMediaMessage leaveConversation addParticipant addNonChatParticipant " +
		"removeParticipant editConversationAttributes editConversationName deleteConversation editAnyMessage " +
		"editAnyMessageAttributes deleteAnyMessage editAnyParticipantAttributes editNotificationLevel]"},
	{"channel user", "conversation", "[sendMessage sendMediaMessage leaveConversation editOwnMessage editOwnMessageAttributes " +
		"deleteOwnMessage editOwnParticipantAttributes editNotificationLevel]"},
}

func newService(t *testing.T, api *conv.ApiService, name string) string {
	t.Helper()
	svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr(name)})
	if err != nil {
		t.Fatal(err)
	}
	return *svc.Sid
}

func TestRolesDefaults(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		roles, err := api.ListRole(nil)
		if err != nil {
			t.Fatal(err)
		}
		svc := newService(t, api, "second")
		scoped, err := api.ListServiceRole(svc, &conv.ListServiceRoleParams{PageSize: ptr(2)})
		if err != nil {
			t.Fatal(err)
		}
		if len(roles) != len(defaultRoles) || len(scoped) != len(defaultRoles) {
			t.Fatalf("got %d default and %d service roles, want %d each", len(roles), len(scoped), len(defaultRoles))
		}
		for i, want := range defaultRoles {
			got := fmt.Sprintf("%s|%s|%v", *roles[i].FriendlyName, *roles[i].Type, *roles[i].Permissions)
			if w := want.name + "|" + want.typ + "|" + want.perms; got != w {
				t.Errorf("default role %d = %s, want %s", i, got, w)
			}
			got = fmt.Sprintf("%s|%s|%v", *scoped[i].FriendlyName, *scoped[i].Type, *scoped[i].Permissions)
			if w := want.name + "|" + want.typ + "|" + want.perms; got != w {
				t.Errorf("service role %d = %s, want %s", i, got, w)
			}
			if *scoped[i].ChatServiceSid != svc {
				t.Errorf("service role %d belongs to %s, want %s", i, *scoped[i].ChatServiceSid, svc)
			}
		}
		cfg, err := api.FetchServiceConfiguration(svc)
		if err != nil {
			t.Fatal(err)
		}
		if *cfg.DefaultChatServiceRoleSid != *scoped[1].Sid || *cfg.DefaultConversationCreatorRoleSid != *scoped[2].Sid ||
			*cfg.DefaultConversationRoleSid != *scoped[3].Sid {
			t.Errorf("configuration defaults %s/%s/%s do not name service user, channel admin, channel user",
				*cfg.DefaultChatServiceRoleSid, *cfg.DefaultConversationCreatorRoleSid, *cfg.DefaultConversationRoleSid)
		}
	})
}

func TestRolesCRUD(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1

		// Default service, short routes.
		r, err := api.CreateRole(&conv.CreateRoleParams{FriendlyName: ptr("moderator"), Type: ptr("conversation"),
			Permission: &[]string{"sendMessage", "deleteAnyMessage", "sendMessage"}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(*r.Permissions), "[sendMessage deleteAnyMessage]"; got != want {
			t.Errorf("created permissions = %s, want %s", got, want)
		}
		if !strings.HasSuffix(*r.Url, "/v1/Roles/"+*r.Sid) {
			t.Errorf("url = %s", *r.Url)
		}
		r, err = api.UpdateRole(*r.Sid, &conv.UpdateRoleParams{Permission: &[]string{"leaveConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		fetched, err := api.FetchRole(*r.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(*fetched.Permissions), "[leaveConversation]"; got != want {
			t.Errorf("permissions after update = %s, want %s (the update replaces the list)", got, want)
		}
		if all, err := api.ListRole(nil); err != nil || len(all) != 5 {
			t.Errorf("list = %d roles, %v; want 5", len(all), err)
		}
		if err := api.DeleteRole(*r.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchRole(*r.Sid)
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("fetch after delete: %d/%d, want 404/20404", status, code)
		}

		// A second service, service-scoped routes.
		svc := newService(t, api, "second")
		sr, err := api.CreateServiceRole(svc, &conv.CreateServiceRoleParams{FriendlyName: ptr("auditor"), Type: ptr("service"),
			Permission: &[]string{"joinConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(*sr.Url, "/v1/Services/"+svc+"/Roles/"+*sr.Sid) {
			t.Errorf("url = %s", *sr.Url)
		}
		sr, err = api.UpdateServiceRole(svc, *sr.Sid, &conv.UpdateServiceRoleParams{Permission: &[]string{"editOwnUserInfo", "createConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		fs, err := api.FetchServiceRole(svc, *sr.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(*fs.Permissions), "[editOwnUserInfo createConversation]"; got != want {
			t.Errorf("service role permissions = %s, want %s", got, want)
		}
		// Roles are scoped to their service.
		_, err = api.FetchRole(*sr.Sid)
		if status, _ := twilioCode(t, err); status != 404 {
			t.Errorf("service role fetched through the default service: %d, want 404", status)
		}
		if err := api.DeleteServiceRole(svc, *sr.Sid); err != nil {
			t.Fatal(err)
		}
		if all, err := api.ListServiceRole(svc, nil); err != nil || len(all) != 4 {
			t.Errorf("list after delete = %d roles, %v; want 4", len(all), err)
		}
	})
}

func TestRolesBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		cases := []struct {
			name   string
			params url.Values
			code   int
		}{
			{"unknown permission", url.Values{"FriendlyName": {"x"}, "Type": {"conversation"}, "Permission": {"sendMessage", "flyToTheMoon"}}, 50104},
			{"service permission on a conversation role", url.Values{"FriendlyName": {"x"}, "Type": {"conversation"}, "Permission": {"createConversation"}}, 50104},
			{"no permission", url.Values{"FriendlyName": {"x"}, "Type": {"service"}}, 20001},
			{"bad type", url.Values{"FriendlyName": {"x"}, "Type": {"deployment"}, "Permission": {"joinConversation"}}, 20001},
			{"no name", url.Values{"Type": {"service"}, "Permission": {"joinConversation"}}, 20001},
			{"long name", url.Values{"FriendlyName": {strings.Repeat("n", 65)}, "Type": {"service"}, "Permission": {"joinConversation"}}, 20001},
		}
		for _, c := range cases {
			resp := env.Do("POST", "/v1/Roles", c.params)
			if resp.Status != 400 || !strings.Contains(string(resp.Body), fmt.Sprintf(`"code":%d`, c.code)) {
				t.Errorf("%s: %s, want 400 with code %d", c.name, resp, c.code)
			}
		}
		if all, err := api.ListRole(nil); err != nil || len(all) != 4 {
			t.Errorf("after bad creates: %d roles, %v; want the 4 defaults", len(all), err)
		}

		roles, _ := api.ListRole(nil)
		_, err := api.UpdateRole(*roles[3].Sid, &conv.UpdateRoleParams{Permission: &[]string{"sendMessage", "bogus"}})
		if status, code := twilioCode(t, err); status != 400 || code != 50104 {
			t.Errorf("update with unknown permission: %d/%d, want 400/50104", status, code)
		}
		after, err := api.FetchRole(*roles[3].Sid)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(*after.Permissions), defaultRoles[3].perms; got != want {
			t.Errorf("permissions after refused update = %s, want %s", got, want)
		}
		_, err = api.FetchRole("RL00000000000000000000000000000000")
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("unknown role: %d/%d, want 404/20404", status, code)
		}
	})
}

func TestRolesInUseCannotBeDeleted(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		convRole, err := api.CreateRole(&conv.CreateRoleParams{FriendlyName: ptr("guest"), Type: ptr("conversation"),
			Permission: &[]string{"sendMessage"}})
		if err != nil {
			t.Fatal(err)
		}
		svcRole, err := api.CreateRole(&conv.CreateRoleParams{FriendlyName: ptr("agent"), Type: ptr("service"),
			Permission: &[]string{"joinConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("alice"), RoleSid: convRole.Sid})
		if err != nil {
			t.Fatal(err)
		}
		u, err := api.CreateUser(&conv.CreateUserParams{Identity: ptr("bob"), RoleSid: svcRole.Sid})
		if err != nil {
			t.Fatal(err)
		}
		defaults, err := api.ListRole(nil)
		if err != nil {
			t.Fatal(err)
		}
		// channel user is the service's default conversation role, held by nobody yet.
		for _, sid := range []string{*convRole.Sid, *svcRole.Sid, *defaults[3].Sid} {
			err := api.DeleteRole(sid)
			if status, code := twilioCode(t, err); status != 400 || code != 20001 {
				t.Errorf("delete role in use %s: %d/%d, want 400/20001", sid, status, code)
			}
			if _, err := api.FetchRole(sid); err != nil {
				t.Errorf("role %s gone after a refused delete: %v", sid, err)
			}
		}
		if all, err := api.ListRole(nil); err != nil || len(all) != 6 {
			t.Errorf("after refused deletes: %d roles, %v; want 6", len(all), err)
		}

		// Once no one holds them, they go.
		if err := api.DeleteConversationParticipant(*c.Sid, *p.Sid, nil); err != nil {
			t.Fatal(err)
		}
		if err := api.DeleteUser(*u.Sid, nil); err != nil {
			t.Fatal(err)
		}
		for _, sid := range []string{*convRole.Sid, *svcRole.Sid} {
			if err := api.DeleteRole(sid); err != nil {
				t.Errorf("delete role %s no longer in use: %v", sid, err)
			}
		}
	})
}
