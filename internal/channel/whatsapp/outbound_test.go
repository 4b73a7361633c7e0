package whatsapp_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/server"
)

const orderTemplate = "HXb5b62575e6e4ff6129ad7c8efe1f983e"

// TestWhatsAppCloudMediaAndTemplates: an image with a body goes out as one
// image message captioned with the body, by a link Meta can fetch; audio
// takes no caption, so its body goes first as text; a message with a
// configured ContentSid is a template message with its ContentVariables as
// body parameters; an unknown ContentSid fails with 21655 without a send.
func TestWhatsAppCloudMediaAndTemplates(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeCloudAPI(t)
		env := apitest.Start(t, engine, func(c *server.Config) {
			c.ChannelWhatsApp = server.ChannelWhatsAppCloud
			c.WhatsApp = whatsapp.Config{Token: token, PhoneNumberID: phoneNumberID, AppSecret: appSecret,
				VerifyToken: verifyToken, APIBase: fake.URL, Templates: orderTemplate + "=order_update:en_US"}
		})
		api := env.Twilio().ConversationsV1
		_, ch := env.MessagingConversation(t, "wa")
		env.AddPhone(t, ch, customer, business)
		photo := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 100)
		post := func(p *conv.CreateConversationMessageParams) string {
			t.Helper()
			m, err := api.CreateConversationMessage(ch, p.SetAuthor("agent"))
			if err != nil {
				t.Fatal(err)
			}
			return *m.Sid
		}

		post((&conv.CreateConversationMessageParams{}).SetBody("your receipt").SetMediaSid(env.UploadMedia(t, ch, "image/png", photo)))
		sent := fake.next(t, 1)
		if sent.Type != "image" || sent.Image == nil || sent.Image.Caption != "your receipt" {
			t.Fatalf("sent = %+v, want an image captioned with the body", sent)
		}
		resp, err := http.Get(sent.Image.Link)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, photo) {
			t.Errorf("image link answers %d with %d bytes", resp.StatusCode, len(got))
		}

		post((&conv.CreateConversationMessageParams{}).SetBody("listen").SetMediaSid(env.UploadMedia(t, ch, "audio/ogg", []byte("OggS"))))
		if text, audio := fake.next(t, 2), fake.next(t, 3); text.Type != "text" || text.Text.Body != "listen" ||
			audio.Type != "audio" || audio.Audio == nil || audio.Audio.Caption != "" || audio.CallbackData != text.CallbackData {
			t.Errorf("audio with a body = %+v then %+v", text, audio)
		}

		msg := post((&conv.CreateConversationMessageParams{}).SetContentSid(orderTemplate).SetContentVariables(`{"2":"12/1","1":"Kerry"}`))
		tpl := fake.next(t, 4)
		want := `{"name":"order_update","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Kerry"},{"type":"text","text":"12/1"}]}]}`
		if tpl.Type != "template" || string(tpl.Template) != want {
			t.Errorf("template message = %s %s, want %s", tpl.Type, tpl.Template, want)
		}
		waitStatus(t, env, ch, msg, "sent")

		unknown := post((&conv.CreateConversationMessageParams{}).SetContentSid("HX00000000000000000000000000000000"))
		waitStatus(t, env, ch, unknown, "failed")
		if _, _, code := statusOf(t, env, ch, unknown); code != 21655 {
			t.Errorf("unknown ContentSid's receipt error_code = %d, want 21655", code)
		}
		fake.mu.Lock()
		defer fake.mu.Unlock()
		if len(fake.sent) != 4 {
			t.Errorf("the Cloud API got %d messages, want 4", len(fake.sent))
		}
	})
}
