package conversations_test

import (
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// setHooks points the account's webhook configuration at pre and post
// (either may be "") for the given events.
func setHooks(t *testing.T, api *conv.ApiService, method, pre, post string, filters ...string) {
	t.Helper()
	p := &conv.UpdateConfigurationWebhookParams{Method: &method, Filters: &filters}
	p.SetPreWebhookUrl(pre).SetPostWebhookUrl(post)
	if _, err := api.UpdateConfigurationWebhook(p); err != nil {
		t.Fatal(err)
	}
}

// postWithHooks posts a message over REST with X-Twilio-Webhook-Enabled.
func postWithHooks(api *conv.ApiService, conversation, body string) (*conv.ConversationsV1ConversationMessage, error) {
	p := &conv.CreateConversationMessageParams{}
	p.SetBody(body).SetAuthor("alice").SetXTwilioWebhookEnabled("true")
	return api.CreateConversationMessage(conversation, p)
}

func newConv(t *testing.T, api *conv.ApiService) string {
	t.Helper()
	c, err := api.CreateConversation(&conv.CreateConversationParams{})
	if err != nil {
		t.Fatal(err)
	}
	return *c.Sid
}

func messageCount(t *testing.T, env *apitest.Env, conversation string) int {
	t.Helper()
	ms, err := env.Twilio().ConversationsV1.ListConversationMessage(conversation, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

func confParams(method, post string, filters []string) *conv.UpdateConfigurationWebhookParams {
	return &conv.UpdateConfigurationWebhookParams{Method: &method, PostWebhookUrl: &post, Filters: &filters}
}
