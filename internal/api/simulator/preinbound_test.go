package simulator_test

import (
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestInboundPreEventWebhook: a phone's message into an existing
// conversation goes through the onMessageAdd pre-event webhook like any
// other message add, with the channel as Source: a refusal drops it (the
// simulator's answer says why, nothing is stored), and a body the webhook
// answers replaces the phone's.
func TestInboundPreEventWebhook(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		rc := apitest.NewReceiver(t, func(_ int, c apitest.HookCall) (int, string) {
			switch {
			case strings.Contains(c.Params.Get("Body"), "spam"):
				return 403, ""
			case c.Params.Get("Body") == "hello":
				return 200, `{"body":"hello (checked)"}`
			}
			return 200, ""
		})
		api := env.Twilio().ConversationsV1
		if _, err := api.UpdateConfigurationWebhook((&conv.UpdateConfigurationWebhookParams{}).SetMethod("POST").
			SetPreWebhookUrl(rc.URL + "/pre").SetFilters([]string{"onMessageAdd"})); err != nil {
			t.Fatal(err)
		}
		_, ch := smsConversation(t, env)
		addPhone(t, env, ch, customer, proxy)

		var dropped simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"cheap spam"}}, 201, &dropped)
		if call := rc.Next(); call.Params.Get("EventType") != "onMessageAdd" || call.Params.Get("Source") != "SMS" ||
			call.Params.Get("Author") != customer || call.Params.Get("ConversationSid") != ch {
			t.Errorf("pre-event call: %v", call.Params)
		}
		if dropped.ConversationSID != nil || dropped.Reason == nil || !strings.Contains(*dropped.Reason, "pre-event webhook") {
			t.Errorf("refused message: %+v", dropped)
		}
		var kept simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"hello"}}, 201, &kept)
		rc.Next()
		if kept.ConversationSID == nil || *kept.ConversationSID != ch {
			t.Fatalf("kept message: %+v", kept)
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || *msgs[0].Body != "hello (checked)" || *msgs[0].Author != customer {
			t.Errorf("conversation holds %d messages, first %+v", len(msgs), msgs)
		}
	})
}
