package conversations_test

import (
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestAccountWebhookConfiguration(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1

		// Before any update, the defaults of a fresh account.
		c, err := api.FetchConfigurationWebhook()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := spaced(*c.Method, *c.Target, *c.Filters, c.PreWebhookUrl, c.PostWebhookUrl), "POST webhook [] <nil> <nil>"; got != want {
			t.Errorf("defaults = %s, want %s", got, want)
		}

		c, err = api.UpdateConfigurationWebhook(&conv.UpdateConfigurationWebhookParams{
			Method: ptr("GET"), Filters: &[]string{"onMessageAdd", "onMessageAdded", "onConversationStateUpdated"},
			PreWebhookUrl: ptr("https://example.com/pre"), PostWebhookUrl: ptr("https://example.com/post"), Target: ptr("flex")})
		if err != nil {
			t.Fatal(err)
		}
		want := "GET flex [onMessageAdd onMessageAdded onConversationStateUpdated] https://example.com/pre https://example.com/post"
		if got := spaced(*c.Method, *c.Target, *c.Filters, *c.PreWebhookUrl, *c.PostWebhookUrl); got != want {
			t.Errorf("after update = %s, want %s", got, want)
		}

		// Bad input is rejected and changes nothing.
		for name, params := range map[string][]string{
			"unknown event": {"Filters", "onMessageAdded", "Filters", "onMessageSent"},
			"bad target":    {"Target", "studio"},
			"bad method":    {"Method", "PUT"},
			"relative url":  {"PostWebhookUrl", "/hook"},
			"ftp url":       {"PreWebhookUrl", "ftp://example.com/x"},
		} {
			t.Run(name, func(t *testing.T) {
				expectError(t, env.Do("POST", "/v1/Configuration/Webhooks", formOf(params...)), 400, 20001)
			})
		}
		c, err = api.FetchConfigurationWebhook()
		if err != nil {
			t.Fatal(err)
		}
		if got := spaced(*c.Method, *c.Target, *c.Filters, *c.PreWebhookUrl, *c.PostWebhookUrl); got != want {
			t.Errorf("after rejected updates = %s, want %s", got, want)
		}

		// An empty value clears a URL; parameters not sent are kept.
		resp := env.Do("POST", "/v1/Configuration/Webhooks", formOf("PreWebhookUrl", ""))
		expectStatus(t, resp, 200)
		if body := bodyOf(t, resp); body["pre_webhook_url"] != nil || body["post_webhook_url"] != "https://example.com/post" {
			t.Errorf("after clearing the pre-event URL: %s", resp.Body)
		}
	})
}

func TestServiceWebhookConfiguration(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("second")})
		if err != nil {
			t.Fatal(err)
		}

		c, err := api.FetchServiceWebhookConfiguration(*svc.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := spaced(*c.ChatServiceSid, *c.Method, *c.Filters, c.PreWebhookUrl), *svc.Sid+" POST [] <nil>"; got != want {
			t.Errorf("defaults = %s, want %s", got, want)
		}
		c, err = api.UpdateServiceWebhookConfiguration(*svc.Sid, &conv.UpdateServiceWebhookConfigurationParams{
			PreWebhookUrl: ptr("https://example.com/pre"), PostWebhookUrl: ptr("http://example.com/post"),
			Filters: &[]string{"onParticipantAdd", "onUserAdded"}, Method: ptr("get")})
		if err != nil {
			t.Fatal(err)
		}
		want := "GET [onParticipantAdd onUserAdded] https://example.com/pre http://example.com/post"
		if got := spaced(*c.Method, *c.Filters, *c.PreWebhookUrl, *c.PostWebhookUrl); got != want {
			t.Errorf("after update = %s, want %s", got, want)
		}

		// The service's configuration is its own: the account's is untouched.
		acct, err := api.FetchConfigurationWebhook()
		if err != nil {
			t.Fatal(err)
		}
		if len(*acct.Filters) != 0 || acct.PostWebhookUrl != nil {
			t.Errorf("account configuration changed with the service's: %+v", acct)
		}

		path := "/v1/Services/" + *svc.Sid + "/Configuration/Webhooks"
		expectError(t, env.Do("POST", path, formOf("Filters", "onMessageAdded", "Filters", "onEverything")), 400, 20001)
		expectError(t, env.Do("POST", path, formOf("Method", "DELETE")), 400, 20001)
		again, err := api.FetchServiceWebhookConfiguration(*svc.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if got := spaced(*again.Method, *again.Filters, *again.PreWebhookUrl, *again.PostWebhookUrl); got != want {
			t.Errorf("after rejected updates = %s, want %s", got, want)
		}

		expectError(t, env.Do("GET", "/v1/Services/IS00000000000000000000000000000000/Configuration/Webhooks", nil), 404, 20404)

		// Deleting the service deletes its configuration.
		if err := api.DeleteService(*svc.Sid); err != nil {
			t.Fatal(err)
		}
		if n := storedRows(t, env, "webhook_configs", "scope_sid", *svc.Sid); n != 0 {
			t.Errorf("%d configuration rows outlive their service", n)
		}
	})
}
