package chat_test

import (
	"net/http"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

const hooksOn = "true"

// chatHooks sets a Chat service's webhooks through the Chat API.
func chatHooks(t *testing.T, env *apitest.Env, svc string, p *chat.UpdateServiceParams) {
	t.Helper()
	if _, err := env.Twilio().ChatV2.UpdateService(svc, p); err != nil {
		t.Fatal(err)
	}
}

// wantParams checks a webhook call's parameters: every name in want has
// that value ("" = absent).
func wantParams(t *testing.T, c apitest.HookCall, want map[string]string) {
	t.Helper()
	for name, v := range want {
		got, sent := c.Params[name]
		switch {
		case v == "" && sent:
			t.Errorf("%s: %s = %q, want it absent", c.Params.Get("EventType"), name, got)
		case v != "" && c.Params.Get(name) != v:
			t.Errorf("%s: %s = %q, want %q", c.Params.Get("EventType"), name, c.Params.Get(name), v)
		}
	}
}

// TestChatWebhookDialect: an action through /v2 fires Chat's events with
// Chat's parameters; the same service driven through /v1 fires the
// Conversations ones. Both select by the service's one set of filters.
func TestChatWebhookDialect(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		rc := apitest.NewReceiver(t, nil)
		chatHooks(t, env, svc, (&chat.UpdateServiceParams{}).SetPostWebhookUrl(rc.URL+"/post").
			SetWebhookFilters([]string{"onChannelAdded", "onMemberAdded", "onMessageSent", "onMemberUpdated", "onUserAdded", "onUserUpdated"}))

		u, err := cv2.CreateUser(svc, (&chat.CreateUserParams{}).SetIdentity("carol").SetFriendlyName("Carol").
			SetXTwilioWebhookEnabled(hooksOn))
		if err != nil {
			t.Fatal(err)
		}
		wantParams(t, rc.Next(), map[string]string{"EventType": "onUserAdded", "InstanceSid": svc, "UserSid": *u.Sid,
			"Identity": "carol", "FriendlyName": "Carol", "RoleSid": *u.RoleSid, "ChatServiceSid": ""})
		if _, err := cv2.UpdateUser(svc, *u.Sid, (&chat.UpdateUserParams{}).SetFriendlyName("C").
			SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		wantParams(t, rc.Next(), map[string]string{"EventType": "onUserUpdated", "UserSid": *u.Sid, "FriendlyName": "C"})

		ch, err := cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("private").SetFriendlyName("ops").
			SetUniqueName("ops").SetXTwilioWebhookEnabled(hooksOn))
		if err != nil {
			t.Fatal(err)
		}
		c := rc.Next()
		apitest.VerifySignature(t, env.AuthToken, c)
		wantParams(t, c, map[string]string{"EventType": "onChannelAdded", "AccountSid": env.AccountSID, "InstanceSid": svc,
			"ChannelSid": *ch.Sid, "ChannelType": "private", "FriendlyName": "ops", "UniqueName": "ops", "CreatedBy": "system",
			"Attributes": "{}", "Source": "API", "RetryCount": "0", "DateCreated": c.Params.Get("DateCreated"),
			"ConversationSid": "", "ChatServiceSid": "", "State": "", "ClientIdentity": "", "WebhookSid": ""})
		if c.Params.Get("DateCreated") == "" {
			t.Error("onChannelAdded without DateCreated")
		}

		m, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("alice").SetXTwilioWebhookEnabled(hooksOn))
		if err != nil {
			t.Fatal(err)
		}
		wantParams(t, rc.Next(), map[string]string{"EventType": "onMemberAdded", "ChannelSid": *ch.Sid, "MemberSid": *m.Sid,
			"Identity": "alice", "RoleSid": *m.RoleSid, "Reason": "ADDED", "ParticipantSid": ""})

		msg, err := cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetFrom("alice").SetBody("hello").
			SetXTwilioWebhookEnabled(hooksOn))
		if err != nil {
			t.Fatal(err)
		}
		c = rc.Next()
		apitest.VerifySignature(t, env.AuthToken, c)
		wantParams(t, c, map[string]string{"EventType": "onMessageSent", "InstanceSid": svc, "ChannelSid": *ch.Sid,
			"MessageSid": *msg.Sid, "Index": "0", "From": "alice", "Body": "hello", "Attributes": "{}", "RetryCount": "0",
			"Author": "", "ConversationSid": ""})

		if _, err := cv2.UpdateMember(svc, *ch.Sid, *m.Sid, (&chat.UpdateMemberParams{}).SetLastConsumedMessageIndex(0).
			SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		wantParams(t, rc.Next(), map[string]string{"EventType": "onMemberUpdated", "MemberSid": *m.Sid,
			"LastConsumedMessageIndex": "0", "Reason": ""})

		// Not in the filters: no call.
		if _, err := cv2.UpdateChannel(svc, *ch.Sid, (&chat.UpdateChannelParams{}).SetFriendlyName("ops2").
			SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		rc.None()

		// The same channel through /v1: Conversations names and parameters.
		api := env.Twilio().ConversationsV1
		if _, err := api.CreateServiceConversationMessage(svc, *ch.Sid, (&conv.CreateServiceConversationMessageParams{}).
			SetAuthor("alice").SetBody("again").SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		c = rc.Next()
		apitest.VerifySignature(t, env.AuthToken, c)
		wantParams(t, c, map[string]string{"EventType": "onMessageAdded", "ConversationSid": *ch.Sid, "ChatServiceSid": svc,
			"Author": "alice", "Body": "again", "Index": "1", "ChannelSid": "", "InstanceSid": "", "From": ""})

		// Without the header, REST actions fire nothing, in either dialect.
		if _, err := cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetBody("quiet")); err != nil {
			t.Fatal(err)
		}
		rc.None()
	})
}

// TestChatChannelWebhookDelivery: a channel webhook with Chat filters gets
// the Chat events it selects, naming itself with WebhookSid/WebhookType;
// the service's webhook still gets its own copy.
func TestChatChannelWebhookDelivery(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		service, hook := apitest.NewReceiver(t, nil), apitest.NewReceiver(t, nil)
		chatHooks(t, env, svc, (&chat.UpdateServiceParams{}).SetPostWebhookUrl(service.URL+"/post").
			SetWebhookFilters([]string{"onMessageSent"}))
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		h, err := cv2.CreateChannelWebhook(svc, *ch.Sid, (&chat.CreateChannelWebhookParams{}).SetType("webhook").
			SetConfigurationUrl(hook.URL+"/channel?x=1").SetConfigurationFilters([]string{"onMessageSent", "onMessageRemoved"}))
		if err != nil {
			t.Fatal(err)
		}
		msg, err := cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetBody("hi").SetXTwilioWebhookEnabled(hooksOn))
		if err != nil {
			t.Fatal(err)
		}
		c := hook.Next()
		apitest.VerifySignature(t, env.AuthToken, c)
		wantParams(t, c, map[string]string{"EventType": "onMessageSent", "WebhookSid": *h.Sid, "WebhookType": "webhook",
			"ChannelSid": *ch.Sid, "MessageSid": *msg.Sid, "From": "system", "Body": "hi"})
		wantParams(t, service.Next(), map[string]string{"EventType": "onMessageSent", "WebhookSid": "", "WebhookType": ""})

		if _, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("bob").SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		if err := cv2.DeleteMessage(svc, *ch.Sid, *msg.Sid, (&chat.DeleteMessageParams{}).SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		wantParams(t, hook.Next(), map[string]string{"EventType": "onMessageRemoved", "MessageSid": *msg.Sid, "WebhookSid": *h.Sid})
		hook.None()
		service.None()
	})
}

// TestChatWebhookRetries: Chat-dialect deliveries are retried, up to the
// configured count, only after a timeout or a 429/503/504 answer.
func TestChatWebhookRetries(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.FastRetries)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		unavailable := apitest.NewReceiver(t, func(int, apitest.HookCall) (int, string) { return http.StatusServiceUnavailable, "" })
		broken := apitest.NewReceiver(t, func(int, apitest.HookCall) (int, string) { return http.StatusInternalServerError, "" })
		for _, rc := range []*apitest.Receiver{unavailable, broken} {
			h, err := cv2.CreateChannelWebhook(svc, *ch.Sid, (&chat.CreateChannelWebhookParams{}).SetType("webhook").
				SetConfigurationUrl(rc.URL+"/hook").SetConfigurationFilters([]string{"onMessageSent"}).SetConfigurationRetryCount(2))
			if err != nil {
				t.Fatal(err)
			}
			if n := (*h.Configuration).(map[string]any)["retry_count"]; n != float64(2) {
				t.Errorf("retry_count = %v, want 2", n)
			}
		}
		// The service's own retry count governs its post-event URL.
		gateway := apitest.NewReceiver(t, func(int, apitest.HookCall) (int, string) { return http.StatusGatewayTimeout, "" })
		chatHooks(t, env, svc, (&chat.UpdateServiceParams{}).SetPostWebhookUrl(gateway.URL+"/post").
			SetWebhookFilters([]string{"onMessageSent"}).SetPostWebhookRetryCount(1))

		if _, err := cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetBody("x").SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"0", "1", "2"} {
			if c := unavailable.Next(); c.Params.Get("RetryCount") != want {
				t.Errorf("503 attempt %d: RetryCount = %q, want %s", i+1, c.Params.Get("RetryCount"), want)
			}
		}
		broken.Next()
		for _, want := range []string{"0", "1"} {
			if c := gateway.Next(); c.Params.Get("RetryCount") != want {
				t.Errorf("504 attempt: RetryCount = %q, want %s", c.Params.Get("RetryCount"), want)
			}
		}
		unavailable.None() // 3 attempts: the first and 2 retries
		broken.None()      // 500 is not retried
		gateway.None()
	})
}

// TestChatPreWebhook: as for Conversations, a REST action with
// X-Twilio-Webhook-Enabled calls the pre-event webhook (Twilio's Chat calls
// it for SDK actions only): onMessageSend with Chat's parameters, whose
// rejection stops the message and whose answer may change it; the
// service's pre-event retry count repeats a 503.
func TestChatPreWebhook(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		answers := []int{http.StatusForbidden, http.StatusServiceUnavailable, http.StatusOK}
		rc := apitest.NewReceiver(t, func(n int, _ apitest.HookCall) (int, string) {
			if n < len(answers) {
				return answers[n], ""
			}
			return http.StatusOK, `{"body":"***","from":"moderator"}`
		})
		chatHooks(t, env, svc, (&chat.UpdateServiceParams{}).SetPreWebhookUrl(rc.URL+"/pre").
			SetWebhookFilters([]string{"onMessageSend"}).SetPreWebhookRetryCount(1))

		send := func(body string) (*chat.ChatV2Message, error) {
			return cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetFrom("alice").SetBody(body).
				SetXTwilioWebhookEnabled(hooksOn))
		}
		_, err = send("spam")
		wantCode(t, err, 400, 50313)
		c := rc.Next()
		apitest.VerifySignature(t, env.AuthToken, c)
		wantParams(t, c, map[string]string{"EventType": "onMessageSend", "InstanceSid": svc, "ChannelSid": *ch.Sid,
			"Body": "spam", "From": "alice", "RetryCount": "0", "MessageSid": "", "Index": ""})
		if _, messages := channelCounts(t, env, svc, *ch.Sid); messages != 0 {
			t.Errorf("rejected message was stored: %d messages", messages)
		}

		// 503, then 200 on the one retry: the message goes through.
		if _, err := send("ok"); err != nil {
			t.Fatal(err)
		}
		if c := rc.Next(); c.Params.Get("RetryCount") != "0" {
			t.Errorf("first attempt RetryCount = %q", c.Params.Get("RetryCount"))
		}
		if c := rc.Next(); c.Params.Get("RetryCount") != "1" {
			t.Errorf("retry RetryCount = %q", c.Params.Get("RetryCount"))
		}

		// Chat's From is the author a pre-event answer may change.
		m, err := send("rude")
		if err != nil {
			t.Fatal(err)
		}
		rc.Next()
		if *m.Body != "***" || *m.From != "moderator" {
			t.Errorf("overridden message = %q from %q", *m.Body, *m.From)
		}
	})
}

// Leaving a channel through the user's channel list is a member removal:
// it fires onMemberRemoved like DELETE on the member does.
func TestChatUserChannelLeaveFiresMemberRemoved(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		rc := apitest.NewReceiver(t, nil)
		chatHooks(t, env, svc, (&chat.UpdateServiceParams{}).SetPostWebhookUrl(rc.URL+"/post").
			SetWebhookFilters([]string{"onMemberRemoved"}))
		ch, err := cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("private"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("dave"))
		if err != nil {
			t.Fatal(err)
		}
		if err := cv2.DeleteUserChannel(svc, "dave", *ch.Sid, (&chat.DeleteUserChannelParams{}).SetXTwilioWebhookEnabled(hooksOn)); err != nil {
			t.Fatal(err)
		}
		wantParams(t, rc.Next(), map[string]string{"EventType": "onMemberRemoved", "InstanceSid": svc,
			"ChannelSid": *ch.Sid, "MemberSid": *m.Sid, "Identity": "dave"})
		rc.None()
	})
}
