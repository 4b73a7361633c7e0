package simulator_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/server"
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

// TestInboundMedia: a phone's MMS arrives with media URLs; Parley fetches
// each file into its own media store, and the message carries it as a
// posted one does (REST `media`), downloadable through the media service
// with the same bytes. A URL that cannot be fetched refuses the message.
func TestInboundMedia(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		picture := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 300)
		files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/mms/cat.png" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "image/png")
			w.Write(picture)
		}))
		defer files.Close()
		env := apitest.Start(t, engine)
		_, ch := smsConversation(t, env)
		addPhone(t, env, ch, customer, proxy)
		var got simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"look"},
			"MediaUrl": {files.URL + "/mms/cat.png"}}, 201, &got)
		if got.ConversationSID == nil {
			t.Fatalf("dropped: %+v", got)
		}
		msgs, err := env.Twilio().ConversationsV1.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 1 || msgs[0].Media == nil {
			t.Fatalf("messages: %v %+v", err, msgs)
		}
		media := (*msgs[0].Media)[0].(map[string]any)
		if media["content_type"] != "image/png" || media["filename"] != "cat.png" || media["size"] != float64(len(picture)) {
			t.Errorf("media = %v", media)
		}
		c, err := env.Twilio().ConversationsV1.FetchConversation(ch)
		if err != nil {
			t.Fatal(err)
		}
		svc := *c.ChatServiceSid
		req, _ := http.NewRequest("GET", env.URL+"/mcs/v1/Services/"+svc+"/Media/"+media["sid"].(string)+"/Content", nil)
		req.SetBasicAuth(env.AccountSID, env.AuthToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(body, picture) {
			t.Errorf("download: %d, %d bytes", resp.StatusCode, len(body))
		}
		resp2 := env.Do("POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy},
			"Body": {"broken"}, "MediaUrl": {files.URL + "/mms/gone.png"}})
		if resp2.Status != 400 {
			t.Errorf("unfetchable media: %s", resp2)
		}
		if msgs, _ := env.Twilio().ConversationsV1.ListConversationMessage(ch, nil); len(msgs) != 1 {
			t.Errorf("%d messages after the refused one", len(msgs))
		}
	})
}

// TestInboundMediaDenyPrivate: with --webhook-deny-private, Parley does not
// fetch a phone's media from a private or loopback address either (the
// URL is the sender's to choose).
func TestInboundMediaDenyPrivate(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("x")) }))
	defer files.Close()
	env := apitest.Start(t, "sqlite", func(c *server.Config) { c.WebhookDenyPrivate = true })
	_, ch := smsConversation(t, env)
	addPhone(t, env, ch, customer, proxy)
	r := env.Do("POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"look"},
		"MediaUrl": {files.URL + "/a.png"}})
	if r.Status != 400 || !strings.Contains(string(r.Body), "denied") {
		t.Errorf("media from loopback with deny-private: %s", r)
	}
}

// TestAutoCreationPreEventWebhook: a phone's message that would auto-create
// its conversation goes through onConversationAdd, with the message's body
// and number pair and the channel as Source, and through no onMessageAdd:
// a refusal drops it and creates nothing; a friendly_name the webhook
// answers names the new conversation.
func TestAutoCreationPreEventWebhook(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		rc := apitest.NewReceiver(t, func(_ int, c apitest.HookCall) (int, string) {
			if strings.Contains(c.Params.Get("MessageBody"), "spam") {
				return 403, ""
			}
			return 200, `{"friendly_name":"SMS from ` + c.Params.Get("MessagingBinding.Address") + `"}`
		})
		api := env.Twilio().ConversationsV1
		if _, err := api.UpdateConfigurationWebhook((&conv.UpdateConfigurationWebhookParams{}).SetMethod("POST").
			SetPreWebhookUrl(rc.URL + "/pre").SetFilters([]string{"onConversationAdd", "onMessageAdd", "onParticipantAdd"})); err != nil {
			t.Fatal(err)
		}
		mg, _ := smsConversation(t, env)
		do(t, env, "POST", "/v1/Configuration", url.Values{"DefaultMessagingServiceSid": {mg}}, 200, nil)
		do(t, env, "POST", "/v1/Configuration/Addresses", url.Values{"Type": {"sms"}, "Address": {proxy},
			"AutoCreation.Enabled": {"true"}, "AutoCreation.Type": {"default"}}, 201, nil)
		before, err := api.ListConversation(nil)
		if err != nil {
			t.Fatal(err)
		}

		var dropped simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"cheap spam"}}, 201, &dropped)
		call := rc.Next()
		apitest.VerifySignature(t, env.AuthToken, call)
		p := call.Params
		if p.Get("EventType") != "onConversationAdd" || p.Get("Source") != "SMS" || p.Get("MessageBody") != "cheap spam" ||
			p.Get("MessagingBinding.Address") != customer || p.Get("MessagingBinding.ProxyAddress") != proxy ||
			p.Get("MessagingServiceSid") != mg || p.Get("ConversationSid") != "" {
			t.Errorf("pre-event call: %v", p)
		}
		if dropped.ConversationSID != nil || dropped.Reason == nil || !strings.Contains(*dropped.Reason, "onConversationAdd") {
			t.Errorf("refused message: %+v", dropped)
		}
		if after, _ := api.ListConversation(nil); len(after) != len(before) {
			t.Errorf("a refused auto-creation left %d conversations, want %d", len(after), len(before))
		}

		var kept simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"hello"}}, 201, &kept)
		if call := rc.Next(); call.Params.Get("EventType") != "onConversationAdd" {
			t.Errorf("pre-event call: %v", call.Params)
		}
		rc.None() // no onParticipantAdd, no onMessageAdd
		if kept.ConversationSID == nil {
			t.Fatalf("kept message: %+v", kept)
		}
		c, err := api.FetchConversation(*kept.ConversationSID)
		if err != nil || c.FriendlyName == nil || *c.FriendlyName != "SMS from "+customer {
			t.Errorf("auto-created conversation: %v %+v", err, c)
		}
	})
}
