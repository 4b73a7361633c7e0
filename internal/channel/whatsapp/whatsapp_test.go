package whatsapp_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/server"
)

const (
	business      = "whatsapp:+15017122661"
	customer      = "whatsapp:+15558675310"
	phoneNumberID = "106540352242922"
	token         = "EAAG-test-token"
	appSecret     = "app-secret"
	verifyToken   = "verify-me"
)

// sendBody is what Parley posts to the messages endpoint.
type sendBody struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Text             struct {
		Body string `json:"body"`
	} `json:"text"`
	Image, Audio, Video, Document *struct {
		Link    string `json:"link"`
		Caption string `json:"caption"`
	}
	Template     json.RawMessage `json:"template"`
	CallbackData string          `json:"biz_opaque_callback_data"`
}

// fakeCloudAPI is a local WhatsApp Cloud API messages endpoint: it checks
// the bearer token and keeps each message.
type fakeCloudAPI struct {
	*httptest.Server
	mu   sync.Mutex
	sent []sendBody
}

func newFakeCloudAPI(t *testing.T) *fakeCloudAPI {
	f := &fakeCloudAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var b sendBody
		switch {
		case r.Header.Get("Authorization") != "Bearer "+token:
			w.WriteHeader(401)
			io.WriteString(w, `{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}`)
			return
		case r.Method != "POST" || r.URL.Path != "/v21.0/"+phoneNumberID+"/messages" || json.NewDecoder(r.Body).Decode(&b) != nil:
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"message":"bad request","code":100}}`)
			return
		}
		f.mu.Lock()
		f.sent = append(f.sent, b)
		id := fmt.Sprintf("wamid.HBgL%d", len(f.sent))
		f.mu.Unlock()
		fmt.Fprintf(w, `{"messaging_product":"whatsapp","contacts":[{"input":%q,"wa_id":%q}],"messages":[{"id":%q}]}`, b.To, b.To, id)
	}))
	t.Cleanup(f.Close)
	return f
}

// next waits for the nth message sent (1-based).
func (f *fakeCloudAPI) next(t *testing.T, n int) sendBody {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		f.mu.Lock()
		if len(f.sent) >= n {
			defer f.mu.Unlock()
			return f.sent[n-1]
		}
		f.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("the fake Cloud API got no message")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// notify posts a webhook notification of the business number with value
// (its statuses or messages) through client, signed with secret.
func notify(t *testing.T, client *http.Client, rawURL, secret string, value map[string]any) int {
	t.Helper()
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]string{"display_phone_number": "15017122661", "phone_number_id": phoneNumberID}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": "102290129340398", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	req, _ := http.NewRequest("POST", rawURL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func statusOf(t *testing.T, env *apitest.Env, ch, msg string) (status, channelSID string, code int) {
	t.Helper()
	list, err := env.Twilio().ConversationsV1.ListConversationMessageReceipt(ch, msg, nil)
	if err != nil || len(list) > 1 {
		t.Fatalf("receipts = %v, %v", list, err)
	}
	if len(list) == 0 {
		return "none", "", 0
	}
	if list[0].ChannelMessageSid != nil { // none when the delivery never reached Meta
		channelSID = *list[0].ChannelMessageSid
	}
	return *list[0].Status, channelSID, list[0].ErrorCode
}

func waitStatus(t *testing.T, env *apitest.Env, ch, msg, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if got, _, _ := statusOf(t, env, ch, msg); got == want {
			return
		}
		if time.Now().After(deadline) {
			got, _, _ := statusOf(t, env, ch, msg)
			t.Fatalf("receipt of %s = %s, want %s", msg, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWhatsAppCloudChannel: Meta's verification handshake; a chat user's
// message goes out through the messages endpoint with the bearer token;
// signed status notifications move the receipt to read, a badly signed one
// is refused 403 and changes nothing; an inbound message notification lands
// in the conversation.
func TestWhatsAppCloudChannel(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeCloudAPI(t)
		env := apitest.Start(t, engine, func(c *server.Config) {
			c.ChannelWhatsApp = server.ChannelWhatsAppCloud
			c.WhatsApp = whatsapp.Config{Token: token, PhoneNumberID: phoneNumberID, AppSecret: appSecret,
				VerifyToken: verifyToken, APIBase: fake.URL}
		})
		hook := env.URL + whatsapp.WebhookPath
		checked := &http.Client{Transport: env.Checking(nil)}

		// The handshake: the challenge for the right token, 403 otherwise.
		for _, tc := range []struct {
			token string
			want  int
		}{{verifyToken, 200}, {"wrong", 403}} {
			q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {tc.token}, "hub.challenge": {"1158201444"}}
			client := http.DefaultClient // the challenge is text/plain
			if tc.want != 200 {
				client = checked
			}
			resp, err := client.Get(hook + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want || (tc.want == 200 && string(body) != "1158201444") {
				t.Errorf("handshake with %q = %d %s, want %d", tc.token, resp.StatusCode, body, tc.want)
			}
		}

		api := env.Twilio().ConversationsV1
		_, ch := env.MessagingConversation(t, "wa")
		p, err := api.CreateConversationParticipant(ch, (&conv.CreateConversationParticipantParams{}).
			SetMessagingBindingAddress(customer).SetMessagingBindingProxyAddress(business))
		if err != nil {
			t.Fatal(err)
		}
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hello"))
		if err != nil {
			t.Fatal(err)
		}
		sent := fake.next(t, 1)
		if sent.MessagingProduct != "whatsapp" || sent.To != "15558675310" || sent.Type != "text" || sent.Text.Body != "hello" ||
			!strings.Contains(sent.CallbackData, *m.Sid+"/"+*p.Sid) {
			t.Fatalf("sent = %+v", sent)
		}
		waitStatus(t, env, ch, *m.Sid, "sent")
		if _, sid, _ := statusOf(t, env, ch, *m.Sid); sid != whatsapp.ChannelMessageSID("wamid.HBgL1") {
			t.Errorf("channel_message_sid = %s", sid)
		}

		statuses := func(status string) map[string]any {
			return map[string]any{"statuses": []any{map[string]any{"id": "wamid.HBgL1", "status": status, "timestamp": "1700000000",
				"recipient_id": "15558675310", "biz_opaque_callback_data": sent.CallbackData}}}
		}
		if code := notify(t, checked, hook, appSecret, map[string]any{"statuses": []any{map[string]any{"id": "wamid.other",
			"status": "delivered", "recipient_id": "15558675310"}}}); code != 204 {
			t.Fatalf("status of a message Parley did not send = %d, want 204 (ignored)", code)
		}
		if code := notify(t, checked, hook, "not the secret", statuses("read")); code != 403 {
			t.Fatalf("badly signed notification = %d, want 403", code)
		}
		if got, _, _ := statusOf(t, env, ch, *m.Sid); got != "sent" {
			t.Fatalf("after a bad signature the receipt is %s", got)
		}
		for _, s := range []string{"delivered", "read"} {
			if code := notify(t, checked, hook, appSecret, statuses(s)); code != 204 {
				t.Fatalf("%s notification = %d", s, code)
			}
		}
		waitStatus(t, env, ch, *m.Sid, "read")

		// A failed status carries Meta's error code, as Twilio names it.
		m2, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("again"))
		if err != nil {
			t.Fatal(err)
		}
		sent2 := fake.next(t, 2)
		waitStatus(t, env, ch, *m2.Sid, "sent")
		failed := map[string]any{"statuses": []any{map[string]any{"id": "wamid.HBgL2", "status": "failed", "recipient_id": "15558675310",
			"biz_opaque_callback_data": sent2.CallbackData, "errors": []any{map[string]any{"code": 131047, "title": "Re-engagement message"}}}}}
		if code := notify(t, checked, hook, appSecret, failed); code != 204 {
			t.Fatalf("failed notification = %d", code)
		}
		waitStatus(t, env, ch, *m2.Sid, "failed")
		if _, _, code := statusOf(t, env, ch, *m2.Sid); code != 63016 {
			t.Errorf("failed receipt's error_code = %d, want 63016, Twilio's for Meta's 131047 (the 24-hour window)", code)
		}

		// Inbound: the customer writes to the business number.
		inbound := map[string]any{
			"contacts": []any{map[string]any{"profile": map[string]string{"name": "Kerry"}, "wa_id": "15558675310"}},
			"messages": []any{map[string]any{"from": "15558675310", "id": "wamid.IN1", "timestamp": "1700000001",
				"type": "text", "text": map[string]string{"body": "thanks"}},
				map[string]any{"from": "15558675310", "id": "wamid.IN2", "timestamp": "1700000002", "type": "image",
					"image": map[string]string{"id": "1479537139650973", "mime_type": "image/jpeg", "caption": "the receipt"}}}}
		if code := notify(t, checked, hook, "not the secret", inbound); code != 403 {
			t.Fatalf("badly signed inbound = %d, want 403", code)
		}
		for range 2 { // Meta delivering a notification again adds its message once
			if code := notify(t, checked, hook, appSecret, inbound); code != 204 {
				t.Fatalf("inbound notification = %d", code)
			}
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 4 {
			t.Fatalf("messages = %d, %v, want 4 (the bad signature and the repeat added none)", len(msgs), err)
		}
		if in := msgs[2]; *in.Author != customer || *in.Body != "thanks" || *in.ParticipantSid != *p.Sid {
			t.Errorf("inbound message = %s %s %s", *in.Author, *in.Body, *in.ParticipantSid)
		}
		if *msgs[3].Body != "the receipt" {
			t.Errorf("an image's message body = %q, want its caption", *msgs[3].Body)
		}
	})
}
