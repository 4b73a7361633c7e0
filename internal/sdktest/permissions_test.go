package sdktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// clientError is the code of a Twilio error body (other bodies leave it 0).
type clientError struct {
	Code int `json:"code"`
}

// TestClientAPIPermissionMatrix: "Own" permissions cover the caller's own
// message, participant and user, "Any" permissions everyone's; a refusal is
// 403 with 50107 and leaves everything as it was. Driven over twilsock by a
// Go client, as the SDK sends them.
func TestClientAPIPermissionMatrix(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("Matrix")})
		if err != nil {
			t.Fatal(err)
		}
		var parts = map[string]string{}
		for _, id := range []string{"dave", "erin"} {
			p, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str(id)})
			if err != nil {
				t.Fatal(err)
			}
			parts[id] = *p.Sid
		}
		post := func(author string) string {
			m, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Author: str(author), Body: str("by " + author)})
			if err != nil {
				t.Fatal(err)
			}
			return *m.Sid
		}
		davesMsg, erinsMsg := post("dave"), post("erin")
		dave := e.dial(t, "dave")
		base := "/Client/v2/Conversations/" + *c.Sid
		cases := []struct {
			name, method, path, body string
			want                     int
		}{
			{"edit own message", "POST", base + "/Messages/" + davesMsg, `{"body":"edited"}`, 200},
			{"edit own message's attributes", "POST", base + "/Messages/" + davesMsg, `{"attributes":"{\"a\":1}"}`, 200},
			{"edit another's message", "POST", base + "/Messages/" + erinsMsg, `{"body":"hijacked"}`, 403},
			{"edit another's message's attributes", "POST", base + "/Messages/" + erinsMsg, `{"attributes":"{}"}`, 403},
			{"delete another's message", "DELETE", base + "/Messages/" + erinsMsg, ``, 403},
			{"own participant's attributes", "POST", base + "/Participants/" + parts["dave"], `{"attributes":"{\"x\":1}"}`, 200},
			{"another participant's attributes", "POST", base + "/Participants/" + parts["erin"], `{"attributes":"{}"}`, 403},
			{"remove another participant", "DELETE", base + "/Participants/erin", ``, 403},
			{"add a participant", "POST", base + "/Participants", `{"identity":"frank"}`, 403},
			{"rename the conversation", "POST", base, `{"friendly_name":"Mine"}`, 403},
			{"delete the conversation", "DELETE", base, ``, 403},
			{"another user's info", "POST", "/Client/v2/Users/erin", `{"friendly_name":"E"}`, 403},
			{"own user info", "POST", "/Client/v2/Users/dave", `{"friendly_name":"Dave D."}`, 200},
			{"notification level", "POST", "/Client/v2/Me/Conversations/" + *c.Sid, `{"notification_level":"muted"}`, 200},
			{"body that is not JSON", "POST", base + "/Messages", `{"body":`, 400},
			{"delete own message", "DELETE", base + "/Messages/" + davesMsg, ``, 200},
		}
		for _, tc := range cases {
			var body clientError
			got := dave.call(tc.method, tc.path, tc.body, &body)
			if got != tc.want {
				t.Errorf("%s: status %d (code %d), want %d", tc.name, got, body.Code, tc.want)
			}
			if tc.want == 403 && body.Code != 50107 {
				t.Errorf("%s: code %d, want 50107", tc.name, body.Code)
			}
		}
		m, err := api.FetchConversationMessage(*c.Sid, erinsMsg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := api.FetchConversation(*c.Sid)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := api.ListConversationParticipant(*c.Sid, &conv.ListConversationParticipantParams{})
		if err != nil {
			t.Fatal(err)
		}
		if *m.Body != "by erin" || *got.FriendlyName != "Matrix" || len(ps) != 2 {
			t.Errorf("a refused write changed something: erin's message %q, name %q, %d participants", *m.Body, *got.FriendlyName, len(ps))
		}
	})
}

// TestClientAPIConcurrentSends: many identities sending at once over
// their own sockets get distinct, contiguous indexes, each message
// authored by its sender.
func TestClientAPIConcurrentSends(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("Busy")})
		if err != nil {
			t.Fatal(err)
		}
		const clients, each = 12, 5
		socks := make([]*sock, clients)
		for i := range socks {
			id := fmt.Sprint("user", i)
			if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str(id)}); err != nil {
				t.Fatal(err)
			}
			socks[i] = e.dial(t, id)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var indexes []int64
		for i, s := range socks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range each {
					var m struct {
						Index  int64  `json:"index"`
						Author string `json:"author"`
					}
					if status := s.call("POST", "/Client/v2/Conversations/"+*c.Sid+"/Messages", fmt.Sprintf(`{"body":"%d-%d"}`, i, n), &m); status != 201 {
						t.Errorf("user%d send %d: status %d", i, n, status)
						return
					}
					if m.Author != fmt.Sprint("user", i) {
						t.Errorf("author %q, want user%d", m.Author, i)
					}
					mu.Lock()
					indexes = append(indexes, m.Index)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		slices.Sort(indexes)
		for i, idx := range indexes {
			if idx != int64(i) {
				t.Fatalf("indexes %v are not 0..%d", indexes, clients*each-1)
			}
		}
		msgs, err := api.ListConversationMessage(*c.Sid, &conv.ListConversationMessageParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != clients*each {
			t.Errorf("REST lists %d messages, want %d", len(msgs), clients*each)
		}
	})
}

// TestClientAPISendMediaPermission: a message with the SDK's media_sids
// needs sendMediaMessage, not only sendMessage: a participant whose role
// lacks it may send text but not the picture it uploaded, and the refusal
// leaves the media unattached for a participant who may.
func TestClientAPISendMediaPermission(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		role, err := api.CreateRole(&conv.CreateRoleParams{FriendlyName: str("text only"), Type: str("conversation"),
			Permission: &[]string{"sendMessage"}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("Pictures")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("dave"), RoleSid: role.Sid}); err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("erin")}); err != nil {
			t.Fatal(err)
		}
		media := e.upload(t, "dave", []byte("\x89PNG\r\n\x1a\npicture"))
		dave, erin := e.dial(t, "dave"), e.dial(t, "erin")
		path := "/Client/v2/Conversations/" + *c.Sid + "/Messages"
		var body clientError
		if got := dave.call("POST", path, `{"media_sids":["`+media+`"]}`, &body); got != 403 || body.Code != 50107 {
			t.Errorf("dave sends media: %d (code %d), want 403 with 50107", got, body.Code)
		}
		if got := dave.call("POST", path, `{"body":"text is fine"}`, &body); got != 201 {
			t.Errorf("dave sends text: %d (code %d), want 201", got, body.Code)
		}
		if got := erin.call("POST", path, `{"media_sids":["`+e.upload(t, "erin", []byte("GIF89a"))+`"]}`, &body); got != 201 {
			t.Errorf("erin (channel user) sends media: %d (code %d), want 201", got, body.Code)
		}
		msgs, err := api.ListConversationMessage(*c.Sid, &conv.ListConversationMessageParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].Media != nil || msgs[1].Media == nil {
			t.Errorf("REST lists %d messages; want dave's text and erin's picture", len(msgs))
		}
	})
}

// upload stores content as identity's media through the media service
// (as the SDK's media client does) and returns its SID.
func (e *sdkEnv) upload(t *testing.T, identity string, content []byte) string {
	t.Helper()
	cfg, err := e.Twilio().ConversationsV1.FetchConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := e.mint(identity)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", e.URL+"/mcs/v1/Services/"+*cfg.DefaultChatServiceSid+"/Media?Filename=x", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "image/png")
	req.Header.Set("X-Twilio-Token", tok)
	resp, err := (&http.Client{Transport: e.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		SID string `json:"sid"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 201 {
		t.Fatalf("upload as %s: %d, %v", identity, resp.StatusCode, err)
	}
	return m.SID
}
