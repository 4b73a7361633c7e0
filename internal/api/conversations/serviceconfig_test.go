package conversations_test

import (
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestServiceConfiguration(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		acct, err := api.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		def, err := api.FetchServiceConfiguration(*acct.DefaultChatServiceSid)
		if err != nil {
			t.Fatal(err)
		}
		if *def.ReachabilityEnabled || !strings.HasSuffix(*def.Url, "/v1/Services/"+*acct.DefaultChatServiceSid+"/Configuration") {
			t.Errorf("default service configuration: reachability %v, url %s", *def.ReachabilityEnabled, *def.Url)
		}

		svc := newService(t, api, "second")
		guest, err := api.CreateServiceRole(svc, &conv.CreateServiceRoleParams{FriendlyName: ptr("guest"), Type: ptr("conversation"),
			Permission: &[]string{"sendMessage"}})
		if err != nil {
			t.Fatal(err)
		}
		agent, err := api.CreateServiceRole(svc, &conv.CreateServiceRoleParams{FriendlyName: ptr("agent"), Type: ptr("service"),
			Permission: &[]string{"joinConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := api.UpdateServiceConfiguration(svc, &conv.UpdateServiceConfigurationParams{
			DefaultConversationRoleSid: guest.Sid, DefaultConversationCreatorRoleSid: guest.Sid,
			DefaultChatServiceRoleSid: agent.Sid, ReachabilityEnabled: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if *cfg.DefaultConversationRoleSid != *guest.Sid || *cfg.DefaultConversationCreatorRoleSid != *guest.Sid ||
			*cfg.DefaultChatServiceRoleSid != *agent.Sid || !*cfg.ReachabilityEnabled {
			t.Errorf("configuration after update = %+v", cfg)
		}

		// New participants and users get the new defaults.
		c, err := api.CreateServiceConversation(svc, &conv.CreateServiceConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateServiceConversationParticipant(svc, *c.Sid, &conv.CreateServiceConversationParticipantParams{Identity: ptr("alice")})
		if err != nil {
			t.Fatal(err)
		}
		if *p.RoleSid != *guest.Sid {
			t.Errorf("participant role = %s, want the new default %s", *p.RoleSid, *guest.Sid)
		}
		u, err := api.FetchServiceUser(svc, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if *u.RoleSid != *agent.Sid {
			t.Errorf("user role = %s, want the new default %s", *u.RoleSid, *agent.Sid)
		}
		// Reachability on does not invent presence: is_online stays null until a client connects.
		if u.IsOnline != nil || u.IsNotifiable != nil {
			t.Errorf("is_online %v, is_notifiable %v; want null", u.IsOnline, u.IsNotifiable)
		}
	})
}

func TestServiceConfigurationBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc := newService(t, api, "second")
		before, err := api.FetchServiceConfiguration(svc)
		if err != nil {
			t.Fatal(err)
		}
		roles, err := api.ListServiceRole(svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		other, err := api.ListRole(nil) // the default service's roles
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name   string
			params url.Values
			status int
			code   string
		}{
			{"service role as conversation default", url.Values{"DefaultConversationRoleSid": {*roles[1].Sid}}, 400, `"code":20001`},
			{"conversation role as service default", url.Values{"DefaultChatServiceRoleSid": {*roles[3].Sid}}, 400, `"code":20001`},
			{"role of another service", url.Values{"DefaultConversationCreatorRoleSid": {*other[2].Sid}}, 404, `"code":20404`},
			{"not a role SID", url.Values{"DefaultChatServiceRoleSid": {"admin"}}, 400, `"code":20001`},
			{"not a boolean", url.Values{"ReachabilityEnabled": {"maybe"}}, 400, `"code":20001`},
			// A valid change in the same request as an invalid one is not applied either.
			{"mixed", url.Values{"ReachabilityEnabled": {"true"}, "DefaultConversationRoleSid": {*roles[0].Sid}}, 400, `"code":20001`},
		}
		for _, c := range cases {
			resp := env.Do("POST", "/v1/Services/"+svc+"/Configuration", c.params)
			if resp.Status != c.status || !strings.Contains(string(resp.Body), c.code) {
				t.Errorf("%s: %s, want %d %s", c.name, resp, c.status, c.code)
			}
		}
		after, err := api.FetchServiceConfiguration(svc)
		if err != nil {
			t.Fatal(err)
		}
		if *after.DefaultConversationRoleSid != *before.DefaultConversationRoleSid ||
			*after.DefaultChatServiceRoleSid != *before.DefaultChatServiceRoleSid ||
			*after.DefaultConversationCreatorRoleSid != *before.DefaultConversationCreatorRoleSid || *after.ReachabilityEnabled {
			t.Errorf("configuration changed by refused updates: %+v", after)
		}
		_, err = api.FetchServiceConfiguration("IS00000000000000000000000000000000")
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("unknown service: %d/%d, want 404/20404", status, code)
		}
	})
}
