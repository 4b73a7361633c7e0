package simulator_test

import (
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestEmailThroughSimulator: with the default adapter, an email
// participant's inbox gets the conversation's messages from its
// Bindings.Email.Address; a mail from that inbox lands in the conversation
// as the address's message, Source EMAIL; an email Address Configuration
// auto-creates a conversation whose sender is the address written to.
func TestEmailThroughSimulator(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		mg, ch := smsConversation(t, env)
		if _, err := api.UpdateConversation(ch, (&conv.UpdateConversationParams{}).SetBindingsEmailAddress("support@parley.test")); err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateConversationParticipant(ch, (&conv.CreateConversationParticipantParams{}).SetMessagingBindingAddress("kim@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hello by mail"))
		if err != nil {
			t.Fatal(err)
		}
		if got := receipts(t, env, ch, *m.Sid, 1); strings.Join(got, " ") != "delivered/0/EM" {
			t.Errorf("receipts = %v", got)
		}
		if in := inbox(t, env, "kim@example.com"); len(in) != 1 || in[0].From != "support@parley.test" || in[0].Body != "hello by mail" {
			t.Errorf("inbox = %+v", in)
		}

		var got simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {"kim@example.com"}, "To": {"+15017122661"}, "Body": {"x"}}, 400, nil)
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {"kim@example.com"}, "To": {"support@parley.test"},
			"Body": {"thanks"}}, 201, &got)
		if got.ConversationSID == nil || *got.ConversationSID != ch || !strings.HasPrefix(got.SID, "EM") {
			t.Fatalf("inbound = %+v", got)
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 2 || *msgs[1].Author != "kim@example.com" || *msgs[1].ParticipantSid != *p.Sid {
			t.Fatalf("messages = %v, %v", msgs, err)
		}

		// Auto-creation from mail to an email Address Configuration.
		do(t, env, "POST", "/v1/Configuration", url.Values{"DefaultMessagingServiceSid": {mg}}, 200, nil)
		do(t, env, "POST", "/v1/Configuration/Addresses", url.Values{"Type": {"email"}, "Address": {"sales@parley.test"},
			"AutoCreation.Enabled": {"true"}, "AutoCreation.Type": {"default"}}, 201, nil)
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {"lee@example.com"}, "To": {"sales@parley.test"},
			"Body": {"a quote, please"}}, 201, &got)
		if got.ConversationSID == nil || *got.ConversationSID == ch {
			t.Fatalf("auto-created inbound = %+v", got)
		}
		c, err := api.FetchConversation(*got.ConversationSID)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := (*c.Bindings).(map[string]any)["email"].(map[string]any); b["projected_address"] != "sales@parley.test" {
			t.Errorf("auto-created conversation's bindings = %v", *c.Bindings)
		}
		m2, err := api.CreateConversationMessage(*got.ConversationSID, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("here it is"))
		if err != nil {
			t.Fatal(err)
		}
		receipts(t, env, *got.ConversationSID, *m2.Sid, 1)
		if in := inbox(t, env, "lee@example.com"); len(in) != 1 || in[0].From != "sales@parley.test" {
			t.Errorf("lee's inbox = %+v", in)
		}
	})
}
