package chat_test

import (
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChannelWebhooks: Chat channel webhooks are the conversation's scoped
// webhooks under Chat's event names; create, fetch, list, update, delete,
// the limit of five and bad input.
func TestChannelWebhooks(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("private"))
		if err != nil {
			t.Fatal(err)
		}
		h, err := cv2.CreateChannelWebhook(svc, *ch.Sid, (&chat.CreateChannelWebhookParams{}).SetType("webhook").
			SetConfigurationUrl("https://hooks.example.com/chat").SetConfigurationMethod("GET").
			SetConfigurationFilters([]string{"onMessageSent", "onMemberAdded"}))
		if err != nil {
			t.Fatal(err)
		}
		cfg := (*h.Configuration).(map[string]any)
		if filters := cfg["filters"].([]any); len(filters) != 2 || filters[0] != "onMessageSent" || cfg["method"] != "GET" {
			t.Errorf("configuration = %v", cfg)
		}
		// The same row through Conversations, under its event names.
		scoped, err := env.Twilio().ConversationsV1.FetchServiceConversationScopedWebhook(svc, *ch.Sid, *h.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if f := (*scoped.Configuration).(map[string]any)["filters"].([]any); f[0] != "onMessageAdded" || f[1] != "onParticipantAdded" {
			t.Errorf("conversations filters = %v", f)
		}
		up, err := cv2.UpdateChannelWebhook(svc, *ch.Sid, *h.Sid, (&chat.UpdateChannelWebhookParams{}).
			SetConfigurationFilters([]string{"onChannelDestroyed"}))
		if err != nil {
			t.Fatal(err)
		}
		if f := (*up.Configuration).(map[string]any)["filters"].([]any); len(f) != 1 || f[0] != "onChannelDestroyed" {
			t.Errorf("updated filters = %v", f)
		}
		// The retry count (0 to 3) is kept; filters stay as they were.
		up, err = cv2.UpdateChannelWebhook(svc, *ch.Sid, *h.Sid, (&chat.UpdateChannelWebhookParams{}).SetConfigurationRetryCount(3))
		if err != nil {
			t.Fatal(err)
		}
		if cfg := (*up.Configuration).(map[string]any); cfg["retry_count"] != float64(3) || len(cfg["filters"].([]any)) != 1 {
			t.Errorf("configuration after retry count update = %v", cfg)
		}
		got, err := cv2.FetchChannelWebhook(svc, *ch.Sid, *h.Sid)
		if err != nil || *got.Type != "webhook" {
			t.Fatalf("fetch = %v, %v", got, err)
		}
		for i := 0; i < 4; i++ {
			if _, err := cv2.CreateChannelWebhook(svc, *ch.Sid, (&chat.CreateChannelWebhookParams{}).SetType("trigger").
				SetConfigurationUrl("https://hooks.example.com/t").SetConfigurationTriggers([]string{"help"})); err != nil {
				t.Fatal(err)
			}
		}
		list, err := cv2.ListChannelWebhook(svc, *ch.Sid, &chat.ListChannelWebhookParams{})
		if err != nil || len(list) != 5 {
			t.Fatalf("webhooks = %d, %v", len(list), err)
		}
		_, err = cv2.CreateChannelWebhook(svc, *ch.Sid, (&chat.CreateChannelWebhookParams{}).SetType("webhook").
			SetConfigurationUrl("https://hooks.example.com/6"))
		wantCode(t, err, 400, 50361)
		if err := cv2.DeleteChannelWebhook(svc, *ch.Sid, *h.Sid); err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]*chat.CreateChannelWebhookParams{
			"conversations event": (&chat.CreateChannelWebhookParams{}).SetType("webhook").
				SetConfigurationUrl("https://x.example.com").SetConfigurationFilters([]string{"onMessageAdded"}),
			"no url":   (&chat.CreateChannelWebhookParams{}).SetType("webhook"),
			"bad type": (&chat.CreateChannelWebhookParams{}).SetType("pigeon"),
		} {
			if _, err := cv2.CreateChannelWebhook(svc, *ch.Sid, p); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
		_, err = cv2.CreateChannelWebhook(svc, *ch.Sid, (&chat.CreateChannelWebhookParams{}).SetType("webhook").
			SetConfigurationUrl("https://x.example.com").SetConfigurationRetryCount(7))
		wantCode(t, err, 400, 50065)
		if list, _ := cv2.ListChannelWebhook(svc, *ch.Sid, &chat.ListChannelWebhookParams{}); len(list) != 4 {
			t.Errorf("refused creates changed the list: %d webhooks", len(list))
		}
	})
}
