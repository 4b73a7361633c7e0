package twilio_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestTwilioMediaAndTemplates: a message with media and a body is one
// Messages API create with Body and MediaUrl (an MMS), whose link Twilio
// can fetch without credentials; a message with ContentSid passes
// ContentSid and ContentVariables as they are, and neither Body nor media;
// a body over the channel's limit fails with 21617 without a send.
func TestTwilioMediaAndTemplates(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeTwilio(t)
		env := apitest.Start(t, engine, fake.sms)
		api := env.Twilio().ConversationsV1
		_, ch := env.MessagingConversation(t, "mms")
		env.AddPhone(t, ch, customer, proxy)
		photo := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 100)
		me := env.UploadMedia(t, ch, "image/jpeg", photo)
		if _, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").
			SetBody("the photo").SetMediaSid(me)); err != nil {
			t.Fatal(err)
		}
		sent := fake.next(t, 1)
		if sent.Get("Body") != "the photo" || len(sent["MediaUrl"]) != 1 {
			t.Fatalf("sent = %v, want Body and one MediaUrl", sent)
		}
		resp, err := http.Get(sent.Get("MediaUrl"))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.Equal(got, photo) {
			t.Errorf("MediaUrl answers %d with %d bytes", resp.StatusCode, len(got))
		}

		const content = "HXb5b62575e6e4ff6129ad7c8efe1f983e"
		if _, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").
			SetBody("ignored").SetContentSid(content).SetContentVariables(`{"1":"Kerry","2":"12/1"}`)); err != nil {
			t.Fatal(err)
		}
		sent = fake.next(t, 2)
		if sent.Get("ContentSid") != content || sent.Get("ContentVariables") != `{"1":"Kerry","2":"12/1"}` ||
			sent.Has("Body") || sent.Has("MediaUrl") {
			t.Errorf("template send = %v", sent)
		}

		bad := env.Do("POST", "/v1/Conversations/"+ch+"/Messages", map[string][]string{"ContentSid": {content}, "ContentVariables": {"[1]"}})
		if bad.Status != 400 || !bytes.Contains(bad.Body, []byte(`"code":21656`)) {
			t.Errorf("ContentVariables not an object = %s", bad)
		}
	})
}
