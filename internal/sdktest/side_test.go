package sdktest

import (
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestSideEndpoints: the SDK's receipts, channel metadata, message
// recipients and content templates answer as the SDK reads them, for
// members only.
func TestSideEndpoints(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("side")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("alice")}); err != nil {
			t.Fatal(err)
		}
		m, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str("alice"), Body: str("hi")})
		if err != nil {
			t.Fatal(err)
		}
		alice := e.dial(t, "alice")
		var templates struct {
			Templates []any `json:"templates"`
			Meta      struct {
				NextToken *string `json:"next_token"`
			} `json:"meta"`
		}
		if code := alice.call("GET", "/Client/v2/ContentTemplates?PageSize=100", "", &templates); code != 200 ||
			templates.Templates == nil || len(templates.Templates) != 0 || templates.Meta.NextToken != nil {
			t.Errorf("ContentTemplates: %d %+v", code, templates)
		}
		base := "/Client/v2/Conversations/" + *c.Sid
		var receipts struct {
			DeliveryReceipts []any          `json:"delivery_receipts"`
			Meta             map[string]any `json:"meta"`
		}
		if code := alice.call("GET", base+"/Messages/"+*m.Sid+"/Receipts?PageSize=50", "", &receipts); code != 200 ||
			receipts.DeliveryReceipts == nil || receipts.Meta == nil {
			t.Errorf("Receipts: %d %+v", code, receipts)
		}
		var notFound struct {
			Status int `json:"status"`
			Code   int `json:"code"`
		}
		if code := alice.call("GET", base+"/Messages/"+*m.Sid+"/ChannelMetadata", "", &notFound); code != 404 ||
			notFound.Code != 50530 || notFound.Status != 404 {
			t.Errorf("ChannelMetadata: %d %+v", code, notFound)
		}
		var recipients struct {
			MessageRecipients []any `json:"message_recipients"`
		}
		if code := alice.call("GET", base+"/MessageRecipients?MessageSid="+*m.Sid, "", &recipients); code != 200 || recipients.MessageRecipients == nil {
			t.Errorf("MessageRecipients: %d %+v", code, recipients)
		}
		// Someone outside the conversation sees none of it.
		bob := e.dial(t, "bob")
		for _, path := range []string{base + "/Messages/" + *m.Sid + "/Receipts", base + "/Messages/" + *m.Sid + "/ChannelMetadata", base + "/MessageRecipients"} {
			if code := bob.call("GET", path, "", &notFound); code != 404 || notFound.Code != 20404 {
				t.Errorf("outsider %s: %d %+v", path, code, notFound)
			}
		}
	})
}

// TestPushRegistrations: the SDK's push registrations become Bindings of
// the service, visible over REST on Conversations and Chat; registering
// again changes nothing, and both ways of unregistering remove them.
func TestPushRegistrations(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		alice := e.dial(t, "alice")
		cfg, err := e.Twilio().ConversationsV1.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		service := *cfg.DefaultChatServiceSid
		body := `{"endpoint_platform":"android","channel_type":"fcm","version":"3","message_types":["twilio.conversations.new_message"],"data":{"registration_id":"device-token-1"}}`
		var first, again struct {
			ID string `json:"id"`
		}
		if code := alice.call("POST", "/v1/registrations?productId=ip_messaging", body, &first); code != 200 || first.ID == "" {
			t.Fatalf("register: %d %+v", code, first)
		}
		if code := alice.call("POST", "/v1/registrations?productId=ip_messaging", body, &again); code != 200 || again.ID != first.ID {
			t.Fatalf("register again: %d %+v, want %s", code, again, first.ID)
		}
		list := func() []string {
			bs, err := e.Twilio().ConversationsV1.ListServiceBinding(service, nil)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, b := range bs {
				out = append(out, *b.Sid+" "+*b.BindingType+" "+*b.Identity+" "+*b.Endpoint)
			}
			return out
		}
		if got := list(); len(got) != 1 || got[0] != first.ID+" fcm alice device-token-1" {
			t.Fatalf("bindings: %q", got)
		}
		if r := e.Do("GET", "/v2/Services/"+service+"/Bindings/"+first.ID, nil); r.Status != 200 {
			t.Errorf("Chat binding: %d %s", r.Status, r.Body)
		}
		// Another user cannot remove it.
		bob := e.dial(t, "bob")
		if code := bob.call("DELETE", "/v1/registrations/"+first.ID+"?productId=ip_messaging", "{}", nil); code != 404 {
			t.Errorf("bob's unregister: %d", code)
		}
		if code := alice.call("DELETE", "/v1/registrations/"+first.ID+"?productId=ip_messaging", "{}", nil); code != 204 {
			t.Errorf("unregister: %d", code)
		}
		if got := list(); len(got) != 0 {
			t.Errorf("bindings after unregister: %q", got)
		}
		alice.call("POST", "/v1/registrations?productId=ip_messaging", body, &first)
		if code := alice.call("DELETE", "/v1/registrations?productId=ip_messaging", `{"binding_type":"fcm","address":"device-token-1"}`, nil); code != 204 {
			t.Errorf("unregister the device: %d", code)
		}
		if got := list(); len(got) != 0 {
			t.Errorf("bindings after unregistering the device: %q", got)
		}
		var bad struct {
			Code int `json:"code"`
		}
		if code := alice.call("POST", "/v1/registrations", `{"channel_type":"carrier-pigeon","data":{"registration_id":"x"}}`, &bad); code != 400 || bad.Code != 20001 {
			t.Errorf("bad channel type: %d %+v", code, bad)
		}
	})
}
