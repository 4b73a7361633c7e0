package media_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	twjwt "github.com/twilio/twilio-go/client/jwt"
	twapi "github.com/twilio/twilio-go/rest/api/v2010"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// mediaEnv is a server on the virtual clock with an API key that signs
// the test's access tokens.
type mediaEnv struct {
	*apitest.Env
	t              *testing.T
	keySID, secret string
	service        string
	client         *http.Client // validates every JSON answer
}

func start(t *testing.T, engine string) *mediaEnv {
	env := apitest.Start(t, engine, apitest.VirtualClock)
	name := "media tests"
	k, err := env.Twilio().Api.CreateNewKey(&twapi.CreateNewKeyParams{FriendlyName: &name})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := env.Twilio().ConversationsV1.FetchConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	return &mediaEnv{Env: env, t: t, keySID: *k.Sid, secret: *k.Secret, service: *cfg.DefaultChatServiceSid,
		client: &http.Client{Transport: env.Transport()}}
}

func (e *mediaEnv) token(identity string) string {
	tok := twjwt.CreateAccessToken(twjwt.AccessTokenParams{AccountSid: e.AccountSID, SigningKeySid: e.keySID,
		Secret: e.secret, Identity: identity})
	tok.AddGrant(&twjwt.ChatGrant{ServiceSid: e.service})
	s, err := tok.ToJwt()
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// do sends a request to the media service as identity ("" = account
// credentials) through the validating client.
func (e *mediaEnv) do(client *http.Client, method, rawURL, identity, contentType string, body io.Reader) (*http.Response, []byte) {
	e.t.Helper()
	if !strings.HasPrefix(rawURL, "http") {
		rawURL = e.URL + rawURL
	}
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		e.t.Fatal(err)
	}
	switch identity {
	case "":
		req.SetBasicAuth(e.AccountSID, e.AuthToken)
	case "-": // no credentials
	default:
		req.Header.Set("X-Twilio-Token", e.token(identity))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

type record struct {
	SID         string  `json:"sid"`
	ChannelSID  *string `json:"channel_sid"`
	MessageSID  *string `json:"message_sid"`
	Size        int64   `json:"size"`
	ContentType string  `json:"content_type"`
	Filename    *string `json:"filename"`
	Author      string  `json:"author"`
	Links       struct {
		Content                string `json:"content"`
		ContentDirectTemporary string `json:"content_direct_temporary"`
	} `json:"links"`
}

func (e *mediaEnv) upload(identity, contentType, filename string, content []byte) record {
	e.t.Helper()
	resp, body := e.do(e.client, "POST", "/mcs/v1/Services/"+e.service+"/Media?Filename="+url.QueryEscape(filename),
		identity, contentType, bytes.NewReader(content))
	if resp.StatusCode != http.StatusCreated {
		e.t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		e.t.Errorf("upload: Access-Control-Allow-Origin %q", got)
	}
	var r record
	if err := json.Unmarshal(body, &r); err != nil {
		e.t.Fatal(err)
	}
	return r
}

func errorCode(t *testing.T, body []byte) int {
	var e struct{ Code int }
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return e.Code
}

// TestMediaRoundTrip: a user uploads with its access token; a message
// created with twilio-go carries the media on Conversations and Chat;
// the content downloads with the token and through the signed link,
// which expires on the virtual clock; deleting the message removes the
// file.
func TestMediaRoundTrip(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := start(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("pics")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("alice")}); err != nil {
			t.Fatal(err)
		}
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 5000)...)
		up := e.upload("alice", "image/png", "cat picture.png", png)
		if up.Size != int64(len(png)) || up.ContentType != "image/png" || up.Author != "alice" || up.MessageSID != nil ||
			up.Filename == nil || *up.Filename != "cat picture.png" {
			t.Fatalf("upload record %+v", up)
		}

		m, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str("alice"), MediaSid: &up.SID})
		if err != nil {
			t.Fatal(err)
		}
		media, _ := json.Marshal(m.Media)
		want := `[{"category":"media","content_type":"image/png","filename":"cat picture.png","sid":"` + up.SID + `","size":5008}]`
		if string(media) != want {
			t.Errorf("message media %s, want %s", media, want)
		}
		r := e.Do("GET", "/v2/Services/"+e.service+"/Channels/"+*c.Sid+"/Messages/"+*m.Sid, nil)
		var chat struct {
			Type  string         `json:"type"`
			Media map[string]any `json:"media"`
		}
		json.Unmarshal(r.Body, &chat)
		if chat.Type != "media" || chat.Media["sid"] != up.SID || chat.Media["content_type"] != "image/png" {
			t.Errorf("Chat message: %s", r.Body)
		}
		// The same upload cannot go on a second message.
		_, err = api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str("alice"), MediaSid: &up.SID})
		if !strings.Contains(fmt1(err), "50510") {
			t.Errorf("second message with the same media: %v, want 50510", err)
		}

		// The record now names its message; alice and the account see it,
		// a user outside the conversation does not.
		resp, body := e.do(e.client, "GET", "/mcs/v1/Services/"+e.service+"/Media/"+up.SID, "alice", "", nil)
		var fetched record
		json.Unmarshal(body, &fetched)
		if resp.StatusCode != 200 || fetched.MessageSID == nil || *fetched.MessageSID != *m.Sid || *fetched.ChannelSID != *c.Sid {
			t.Fatalf("fetch: %d %s", resp.StatusCode, body)
		}
		if resp, body := e.do(e.client, "GET", "/mcs/v1/Services/"+e.service+"/Media/"+up.SID, "mallory", "", nil); resp.StatusCode != 404 {
			t.Errorf("outsider fetch: %d %s", resp.StatusCode, body)
		}
		resp, body = e.do(e.client, "POST", "/mcs/v1/Services/"+e.service+"/MediaSet", "", "application/json",
			strings.NewReader(`{"command":"get","list":[{"media_sid":"`+up.SID+`"},{"media_sid":"ME00000000000000000000000000000000"}]}`))
		var set []struct {
			Code        int    `json:"code"`
			MediaRecord record `json:"media_record"`
		}
		json.Unmarshal(body, &set)
		if resp.StatusCode != 200 || len(set) != 2 || set[0].Code != 200 || set[0].MediaRecord.SID != up.SID || set[1].Code != 404 {
			t.Errorf("media set: %d %s", resp.StatusCode, body)
		}

		// Content: with the token, and through the signed link with no
		// credentials until it expires.
		plain := http.DefaultClient
		if resp, body := e.do(plain, "GET", fetched.Links.Content, "alice", "", nil); resp.StatusCode != 200 || !bytes.Equal(body, png) ||
			resp.Header.Get("Content-Type") != "image/png" {
			t.Errorf("content: %d, %d bytes, %s", resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
		}
		if resp, body := e.do(plain, "GET", fetched.Links.ContentDirectTemporary, "-", "", nil); resp.StatusCode != 200 || !bytes.Equal(body, png) {
			t.Errorf("temporary link: %d, %d bytes", resp.StatusCode, len(body))
		}
		if r := e.Do("POST", "/parley/v1/Clock", url.Values{"Advance": {"PT5M"}}); r.Status != 200 {
			t.Fatalf("clock: %d %s", r.Status, r.Body)
		}
		if resp, body := e.do(e.client, "GET", fetched.Links.ContentDirectTemporary, "-", "", nil); resp.StatusCode != 401 || errorCode(t, body) != 20003 {
			t.Errorf("expired link: %d %s", resp.StatusCode, body)
		}
		forged := strings.Replace(fetched.Links.ContentDirectTemporary, "Expires=", "Expires=9", 1)
		if resp, _ := e.do(e.client, "GET", forged, "-", "", nil); resp.StatusCode != 401 {
			t.Errorf("forged link: %d", resp.StatusCode)
		}

		// Deleting the message removes the record and, by a job, the file.
		file := filepath.Join(e.Config().DataDir, "media", up.SID[len(up.SID)-2:], up.SID)
		if _, err := os.Stat(file); err != nil {
			t.Fatalf("the file is not where the docs say: %v", err)
		}
		if err := api.DeleteConversationMessage(*c.Sid, *m.Sid, nil); err != nil {
			t.Fatal(err)
		}
		if resp, _ := e.do(e.client, "GET", "/mcs/v1/Services/"+e.service+"/Media/"+up.SID, "", "", nil); resp.StatusCode != 404 {
			t.Errorf("fetch after delete: %d", resp.StatusCode)
		}
		waitGone(t, file)
	})
}

func fmt1(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// waitGone waits for a job to remove file (jobs run right after the
// commit that enqueued them).
func waitGone(t *testing.T, file string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(file); os.IsNotExist(err) {
			return
		}
	}
	t.Errorf("%s still exists", file)
}

// TestMediaLimitsAndCORS: the preflight answers without credentials; an
// upload over the size limit, a malformed type, an unknown MediaSid and
// a token for another service are refused with Twilio's codes.
func TestMediaLimitsAndCORS(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := start(t, engine)
		req, _ := http.NewRequest("OPTIONS", e.URL+"/mcs/v1/Services/"+e.service+"/Media", nil)
		req.Header.Set("Origin", "https://app.example")
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "x-twilio-token, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 204 || h.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(h.Get("Access-Control-Allow-Headers"), "X-Twilio-Token") ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
			t.Errorf("preflight: %d %v", resp.StatusCode, h)
		}

		big := io.LimitReader(zeros{}, parley.MaxMediaBytes+1)
		resp, body := e.do(e.client, "POST", "/mcs/v1/Services/"+e.service+"/Media", "alice", "video/mp4", big)
		if resp.StatusCode != 400 || errorCode(t, body) != parley.CodeMediaTooLarge {
			t.Errorf("oversized upload: %d %s", resp.StatusCode, body)
		}
		resp, body = e.do(e.client, "POST", "/mcs/v1/Services/"+e.service+"/Media", "alice", "not a type", strings.NewReader("x"))
		if resp.StatusCode != 400 || errorCode(t, body) != parley.CodeMediaContentType {
			t.Errorf("bad type: %d %s", resp.StatusCode, body)
		}
		otherName := "other"
		other, err := e.Twilio().ConversationsV1.CreateService(&conv.CreateServiceParams{FriendlyName: &otherName})
		if err != nil {
			t.Fatal(err)
		}
		resp, body = e.do(e.client, "POST", "/mcs/v1/Services/"+*other.Sid+"/Media", "alice", "text/plain", strings.NewReader("x"))
		if resp.StatusCode != 404 {
			t.Errorf("token for another service: %d %s", resp.StatusCode, body)
		}
		resp, body = e.do(e.client, "GET", "/mcs/v1/Services/"+e.service+"/Media/ME00000000000000000000000000000000", "-", "", nil)
		if resp.StatusCode != 401 {
			t.Errorf("no credentials: %d %s", resp.StatusCode, body)
		}
		// Account credentials upload too ("system" author); media of one
		// service cannot go on a message of another.
		up := e.upload("", "text/plain", "notes.txt", []byte("hello"))
		if up.Author != "system" {
			t.Errorf("author %q", up.Author)
		}
		c, err := e.Twilio().ConversationsV1.CreateServiceConversation(*other.Sid, &conv.CreateServiceConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		r := e.Do("POST", "/v1/Services/"+*other.Sid+"/Conversations/"+*c.Sid+"/Messages", url.Values{"MediaSid": {up.SID}})
		if r.Status != 400 || errorCode(t, r.Body) != parley.CodeMediaNotFound {
			t.Errorf("media of another service: %d %s", r.Status, r.Body)
		}
		// Deleting a service removes its media files, and only its.
		kept := filepath.Join(e.Config().DataDir, "media", up.SID[len(up.SID)-2:], up.SID)
		resp, body = e.do(e.client, "POST", "/mcs/v1/Services/"+*other.Sid+"/Media", "", "text/plain", strings.NewReader("other"))
		var gone record
		if err := json.Unmarshal(body, &gone); err != nil || resp.StatusCode != 201 {
			t.Fatalf("upload to the other service: %d %s", resp.StatusCode, body)
		}
		if err := e.Twilio().ConversationsV1.DeleteService(*other.Sid); err != nil {
			t.Fatal(err)
		}
		waitGone(t, filepath.Join(e.Config().DataDir, "media", gone.SID[len(gone.SID)-2:], gone.SID))
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("a file of the default service went with the other service: %v", err)
		}
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
