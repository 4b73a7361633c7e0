package conversations_test

import (
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

const flowSID = "FW0123456789abcdef0123456789abcdef"

// scopedWebhookAPI is one route family of conversation-scoped webhooks: the
// short /v1/Conversations routes or the /v1/Services/{IS}/... twins.
type scopedWebhookAPI struct {
	create func(p *conv.CreateConversationScopedWebhookParams) (sid, target string, cfg map[string]any, err error)
	fetch  func(sid string) (map[string]any, error)
	list   func() (int, error)
	update func(sid string, p *conv.UpdateConversationScopedWebhookParams) (map[string]any, error)
	delete func(sid string) error
}

func webhookConfigOf(v *interface{}) map[string]any {
	if v == nil {
		return nil
	}
	m, _ := (*v).(map[string]any)
	return m
}

func defaultScopedAPI(api *conv.ApiService, ch string) scopedWebhookAPI {
	return scopedWebhookAPI{
		create: func(p *conv.CreateConversationScopedWebhookParams) (string, string, map[string]any, error) {
			w, err := api.CreateConversationScopedWebhook(ch, p)
			if err != nil {
				return "", "", nil, err
			}
			return *w.Sid, *w.Target, webhookConfigOf(w.Configuration), nil
		},
		fetch: func(sid string) (map[string]any, error) {
			w, err := api.FetchConversationScopedWebhook(ch, sid)
			if err != nil {
				return nil, err
			}
			return webhookConfigOf(w.Configuration), nil
		},
		list: func() (int, error) {
			ws, err := api.ListConversationScopedWebhook(ch, &conv.ListConversationScopedWebhookParams{PageSize: ptr(2)})
			return len(ws), err
		},
		update: func(sid string, p *conv.UpdateConversationScopedWebhookParams) (map[string]any, error) {
			w, err := api.UpdateConversationScopedWebhook(ch, sid, p)
			if err != nil {
				return nil, err
			}
			return webhookConfigOf(w.Configuration), nil
		},
		delete: func(sid string) error { return api.DeleteConversationScopedWebhook(ch, sid) },
	}
}

func serviceScopedAPI(api *conv.ApiService, is, ch string) scopedWebhookAPI {
	return scopedWebhookAPI{
		create: func(p *conv.CreateConversationScopedWebhookParams) (string, string, map[string]any, error) {
			w, err := api.CreateServiceConversationScopedWebhook(is, ch, &conv.CreateServiceConversationScopedWebhookParams{
				Target: p.Target, ConfigurationUrl: p.ConfigurationUrl, ConfigurationMethod: p.ConfigurationMethod,
				ConfigurationFilters: p.ConfigurationFilters, ConfigurationTriggers: p.ConfigurationTriggers,
				ConfigurationFlowSid: p.ConfigurationFlowSid, ConfigurationReplayAfter: p.ConfigurationReplayAfter})
			if err != nil {
				return "", "", nil, err
			}
			if *w.ChatServiceSid != is {
				return "", "", nil, failf("chat_service_sid = %s, want %s", *w.ChatServiceSid, is)
			}
			return *w.Sid, *w.Target, webhookConfigOf(w.Configuration), nil
		},
		fetch: func(sid string) (map[string]any, error) {
			w, err := api.FetchServiceConversationScopedWebhook(is, ch, sid)
			if err != nil {
				return nil, err
			}
			return webhookConfigOf(w.Configuration), nil
		},
		list: func() (int, error) {
			ws, err := api.ListServiceConversationScopedWebhook(is, ch, &conv.ListServiceConversationScopedWebhookParams{PageSize: ptr(2)})
			return len(ws), err
		},
		update: func(sid string, p *conv.UpdateConversationScopedWebhookParams) (map[string]any, error) {
			w, err := api.UpdateServiceConversationScopedWebhook(is, ch, sid, &conv.UpdateServiceConversationScopedWebhookParams{
				ConfigurationUrl: p.ConfigurationUrl, ConfigurationMethod: p.ConfigurationMethod,
				ConfigurationFilters: p.ConfigurationFilters, ConfigurationTriggers: p.ConfigurationTriggers,
				ConfigurationFlowSid: p.ConfigurationFlowSid})
			if err != nil {
				return nil, err
			}
			return webhookConfigOf(w.Configuration), nil
		},
		delete: func(sid string) error { return api.DeleteServiceConversationScopedWebhook(is, ch, sid) },
	}
}

func TestConversationScopedWebhooks(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		t.Run("default service", func(t *testing.T) {
			c, err := api.CreateConversation(&conv.CreateConversationParams{})
			if err != nil {
				t.Fatal(err)
			}
			exerciseScopedWebhooks(t, env, defaultScopedAPI(api, *c.Sid), "/v1/Conversations/"+*c.Sid, *c.Sid)
		})
		t.Run("service scoped", func(t *testing.T) {
			svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("bots")})
			if err != nil {
				t.Fatal(err)
			}
			c, err := api.CreateServiceConversation(*svc.Sid, &conv.CreateServiceConversationParams{})
			if err != nil {
				t.Fatal(err)
			}
			exerciseScopedWebhooks(t, env, serviceScopedAPI(api, *svc.Sid, *c.Sid),
				"/v1/Services/"+*svc.Sid+"/Conversations/"+*c.Sid, *c.Sid)
		})
	})
}

// exerciseScopedWebhooks runs every operation and rule through one route
// family; base is the conversation's path on that family.
func exerciseScopedWebhooks(t *testing.T, env *apitest.Env, api scopedWebhookAPI, base, ch string) {
	sid, target, cfg, err := api.create(&conv.CreateConversationScopedWebhookParams{Target: ptr("webhook"),
		ConfigurationUrl: ptr("https://bot.example.com/hook"), ConfigurationMethod: ptr("GET"),
		ConfigurationFilters: &[]string{"onMessageAdded", "onParticipantAdded"}, ConfigurationReplayAfter: ptr(0)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := spaced(target, compactJSON(t, cfg)),
		`webhook {"filters":["onMessageAdded","onParticipantAdded"],"method":"get","replay_after":0,"url":"https://bot.example.com/hook"}`; got != want {
		t.Errorf("created = %s, want %s", got, want)
	}
	cfg, err = api.update(sid, &conv.UpdateConversationScopedWebhookParams{ConfigurationUrl: ptr("https://bot.example.com/v2"),
		ConfigurationFilters: &[]string{"onMessageRemoved"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := compactJSON(t, cfg), `{"filters":["onMessageRemoved"],"method":"get","replay_after":0,"url":"https://bot.example.com/v2"}`; got != want {
		t.Errorf("updated = %s, want %s", got, want)
	}
	if cfg, err = api.fetch(sid); err != nil || cfg["url"] != "https://bot.example.com/v2" {
		t.Errorf("fetch = %v, %v", cfg, err)
	}

	_, _, cfg, err = api.create(&conv.CreateConversationScopedWebhookParams{Target: ptr("studio"), ConfigurationFlowSid: ptr(flowSID)})
	if err != nil || compactJSON(t, cfg) != `{"flow_sid":"`+flowSID+`"}` {
		t.Errorf("studio webhook = %v, %v", cfg, err)
	}
	trigger, _, cfg, err := api.create(&conv.CreateConversationScopedWebhookParams{Target: ptr("trigger"),
		ConfigurationUrl: ptr("https://bot.example.com/t"), ConfigurationTriggers: &[]string{"help", "agent"}})
	if err != nil || compactJSON(t, cfg) != `{"method":"post","triggers":["help","agent"],"url":"https://bot.example.com/t"}` {
		t.Errorf("trigger webhook = %v, %v", cfg, err)
	}

	rejectBadScopedWebhooks(t, env, base, trigger)
	if n, err := api.list(); err != nil || n != 3 {
		t.Fatalf("after rejected creates: %d webhooks, %v; want 3", n, err)
	}

	// Five per conversation, and no more. Create and fetch render alike.
	for i := 0; i < 2; i++ {
		sid, _, created, err := api.create(&conv.CreateConversationScopedWebhookParams{Target: ptr("webhook"),
			ConfigurationUrl: ptr("https://x.example.com")})
		if err != nil {
			t.Fatal(err)
		}
		fetched, err := api.fetch(sid)
		if want := `{"filters":[],"method":"post","url":"https://x.example.com"}`; err != nil || compactJSON(t, created) != want || compactJSON(t, fetched) != want {
			t.Errorf("created %s, fetched %s (%v); want %s", compactJSON(t, created), compactJSON(t, fetched), err, want)
		}
	}
	_, _, _, err = api.create(&conv.CreateConversationScopedWebhookParams{Target: ptr("studio"), ConfigurationFlowSid: ptr(flowSID)})
	if status, code := twilioCode(t, err); status != 400 || code != 50361 {
		t.Errorf("sixth webhook: %d/%d, want 400/50361", status, code)
	}
	if n, err := api.list(); err != nil || n != 5 {
		t.Errorf("list (paged by 2) = %d, %v; want 5", n, err)
	}

	if err := api.delete(sid); err != nil {
		t.Fatal(err)
	}
	if _, err := api.fetch(sid); err == nil {
		t.Error("fetch after delete succeeded")
	}
	expectError(t, env.Do("DELETE", base+"/Webhooks/"+sid, nil), 404, 20404)

	// The webhooks go with their conversation.
	expectStatus(t, env.Do("DELETE", base, nil), 204)
	if n := storedRows(t, env, "scoped_webhooks", "conversation_sid", ch); n != 0 {
		t.Errorf("%d webhooks outlive their conversation", n)
	}
}

// rejectBadScopedWebhooks sends bad creates and updates; each must fail.
func rejectBadScopedWebhooks(t *testing.T, env *apitest.Env, base, trigger string) {
	for name, params := range map[string][]string{
		"no target":                {"Configuration.Url", "https://x.example.com"},
		"unknown target":           {"Target", "flex", "Configuration.Url", "https://x.example.com"},
		"webhook without url":      {"Target", "webhook", "Configuration.Filters", "onMessageAdded"},
		"studio without flow":      {"Target", "studio"},
		"studio bad flow":          {"Target", "studio", "Configuration.FlowSid", "XX0123456789abcdef0123456789abcdef"},
		"trigger without keywords": {"Target", "trigger", "Configuration.Url", "https://x.example.com"},
		"trigger without url":      {"Target", "trigger", "Configuration.Triggers", "help"},
		"pre-event filter":         {"Target", "webhook", "Configuration.Url", "https://x.example.com", "Configuration.Filters", "onMessageAdd"},
		"unknown filter":           {"Target", "webhook", "Configuration.Url", "https://x.example.com", "Configuration.Filters", "onNothing"},
		"bad method":               {"Target", "webhook", "Configuration.Url", "https://x.example.com", "Configuration.Method", "put"},
		"negative replay":          {"Target", "webhook", "Configuration.Url", "https://x.example.com", "Configuration.ReplayAfter", "-1"},
	} {
		t.Run(name, func(t *testing.T) { expectError(t, env.Do("POST", base+"/Webhooks", formOf(params...)), 400, 20001) })
	}
	six := formOf("Target", "trigger", "Configuration.Url", "https://x.example.com")
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		six.Add("Configuration.Triggers", k)
	}
	expectError(t, env.Do("POST", base+"/Webhooks", six), 400, 50362)
	expectError(t, env.Do("POST", base+"/Webhooks/"+trigger, formOf("Configuration.Triggers", "")), 400, 20001)
}
