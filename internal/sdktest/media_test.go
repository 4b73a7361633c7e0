package sdktest

import (
	"bytes"
	"encoding/base64"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestSDKMedia: the SDK's media client uploads a file with the user's
// token; a message made over REST with twilio-go carries it; the SDK
// reads the message, asks for the temporary URL and downloads the bytes.
func TestSDKMedia(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		cfg, err := api.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("pics")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("alice")}); err != nil {
			t.Fatal(err)
		}
		content := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("pixels"), 1000)...)
		config := e.config("alice")
		config["serviceSid"] = *cfg.DefaultChatServiceSid
		config["mediaURL"] = e.URL + "/mcs/v1/Services/" + *cfg.DefaultChatServiceSid + "/Media"
		config["mediaSetURL"] = e.URL + "/mcs/v1/Services/" + *cfg.DefaultChatServiceSid + "/MediaSet"
		config["content"] = base64.StdEncoding.EncodeToString(content)
		var up struct {
			SID         string `json:"sid"`
			Size        int    `json:"size"`
			ContentType string `json:"contentType"`
			Filename    string `json:"filename"`
		}
		runSDK(t, "mediaUpload", config, &up)
		if up.Size != len(content) || up.ContentType != "image/png" || up.Filename != "cat.png" {
			t.Fatalf("uploaded %+v", up)
		}
		if _, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str("alice"), MediaSid: &up.SID}); err != nil {
			t.Fatal(err)
		}
		config["sid"] = *c.Sid
		var got struct {
			Type, SID, Filename, ContentType, Content string
			Size, Status, SetURLs                     int
		}
		runSDK(t, "mediaRead", config, &got)
		if got.Type != "media" || got.SID != up.SID || got.Filename != "cat.png" || got.Size != len(content) || got.Status != 200 ||
			got.Content != config["content"] || got.SetURLs != 1 {
			t.Errorf("SDK read %+v", got)
		}
	})
}
