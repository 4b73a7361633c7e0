package sdktest

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
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

// TestSDKSendMedia: a client sends a picture with sendMessage, which
// uploads it with the SDK's media client and posts the message with its
// media; the other client receives messageAdded with the media and
// downloads the same bytes; REST shows the message's media, and its
// content over REST is the same bytes too.
func TestSDKSendMedia(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("pics")})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"alice", "bob"} {
			if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str(who)}); err != nil {
				t.Fatal(err)
			}
		}
		content := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("pixels"), 2000)...)
		config := e.config("alice")
		config["sid"] = *c.Sid
		config["content"] = base64.StdEncoding.EncodeToString(content)
		var got struct {
			Index    int64 `json:"index"`
			Received struct {
				Index                                    int64
				Author, Type, SID, Filename, ContentType string
				Size                                     int
			} `json:"received"`
			Status  int    `json:"status"`
			Content string `json:"content"`
		}
		runSDK(t, "mediaSend", config, &got)
		r := got.Received
		if r.Index != got.Index || r.Author != "alice" || r.Type != "media" || r.Filename != "cat.png" || r.ContentType != "image/png" ||
			r.Size != len(content) {
			t.Errorf("bob received %+v for message %d", r, got.Index)
		}
		if got.Status != 200 || got.Content != config["content"] {
			t.Errorf("bob's download: status %d, %d base64 characters, want 200 and the bytes sent", got.Status, len(got.Content))
		}

		messages, err := api.ListConversationMessage(*c.Sid, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(messages) != 1 || messages[0].Media == nil || len(*messages[0].Media) != 1 {
			t.Fatalf("REST lists %d messages, want 1 with one media", len(messages))
		}
		m := messages[0]
		restMedia, _ := (*m.Media)[0].(map[string]any)
		if m.Index != int(got.Index) || *m.Author != "alice" || m.Body != nil || restMedia["sid"] != r.SID ||
			restMedia["filename"] != "cat.png" || restMedia["content_type"] != "image/png" || restMedia["size"] != float64(len(content)) {
			t.Errorf("REST message: index %d, author %s, media %v", m.Index, *m.Author, restMedia)
		}
		cfg, err := api.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequest("GET", e.URL+"/mcs/v1/Services/"+*cfg.DefaultChatServiceSid+"/Media/"+r.SID+"/Content", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(e.AccountSID, e.AuthToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Equal(body, content) {
			t.Errorf("REST download: %d, %d bytes, want 200 and the %d bytes sent", resp.StatusCode, len(body), len(content))
		}
	})
}
