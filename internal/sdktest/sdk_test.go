package sdktest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	twapi "github.com/twilio/twilio-go/rest/api/v2010"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// sdkEnv is a running Parley with an API key the SDK's tokens are signed
// with.
type sdkEnv struct {
	*apitest.Env
	keySID, secret string
}

func startSDK(t *testing.T, engine string, opts ...apitest.Option) *sdkEnv {
	requireSDK(t)
	return startServer(t, engine, opts...)
}

// startServer is startSDK without Node.js, for the Go-only clients. The
// API key that signs the tests' tokens is made over REST, as a developer
// makes one.
func startServer(t testing.TB, engine string, opts ...apitest.Option) *sdkEnv {
	env := apitest.Start(t, engine, opts...)
	name := "sdk tests"
	k, err := env.Twilio().Api.CreateNewKey(&twapi.CreateNewKeyParams{FriendlyName: &name})
	if err != nil {
		t.Fatal(err)
	}
	return &sdkEnv{Env: env, keySID: *k.Sid, secret: *k.Secret}
}

// config is what node/sdk.mjs needs to mint a token and connect.
func (e *sdkEnv) config(identity string) map[string]any {
	return map[string]any{"wsURL": "ws" + strings.TrimPrefix(e.URL, "http") + "/v3/wsconnect",
		"accountSid": e.AccountSID, "keySid": e.keySID, "keySecret": e.secret, "identity": identity}
}

type loginResult struct {
	Timings struct {
		InitMS        int `json:"initMs"`
		ListAndReadMS int `json:"listAndReadMs"`
	} `json:"timings"`
	Identity     string `json:"identity"`
	ByUniqueName string `json:"byUniqueName"`
	BySID        string `json:"bySid"`
	UpdatedToken bool   `json:"updatedToken"`
	OtherUser    struct {
		Identity     string         `json:"identity"`
		FriendlyName string         `json:"friendlyName"`
		Attributes   map[string]any `json:"attributes"`
	} `json:"otherUser"`
	Conversations []struct {
		SID              string         `json:"sid"`
		FriendlyName     *string        `json:"friendlyName"`
		UniqueName       *string        `json:"uniqueName"`
		Attributes       map[string]any `json:"attributes"`
		LastMessageIndex *int64         `json:"lastMessageIndex"`
		Participants     []string       `json:"participants"`
		Messages         []sdkMessage   `json:"messages"`
	} `json:"conversations"`
}

// TestSDKLoginAndListing: conversations, participants and messages made
// over REST are what the unmodified SDK lists and reads after logging in,
// paging back through 25 messages.
func TestSDKLoginAndListing(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		create := func(name string, members ...string) string {
			c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str(name), UniqueName: str(strings.ToLower(name)),
				Attributes: str(`{"topic":"` + name + `"}`)})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range members {
				if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str(m)}); err != nil {
					t.Fatal(err)
				}
			}
			return *c.Sid
		}
		post := func(sid, author, body string) {
			if _, err := api.CreateConversationMessage(sid, &conv.CreateConversationMessageParams{Author: str(author), Body: str(body),
				Attributes: str(`{"n":"` + body + `"}`)}); err != nil {
				t.Fatal(err)
			}
		}
		alpha := create("Alpha", "alice", "bob")
		for i := range 25 {
			post(alpha, "bob", fmt.Sprint("m", i))
		}
		beta := create("Beta", "alice")
		post(beta, "alice", "hello")
		create("Gamma", "bob") // alice is not in it
		if _, err := api.UpdateUser("bob", &conv.UpdateUserParams{FriendlyName: str("Bob B."), Attributes: str(`{"team":"blue"}`)}); err != nil {
			t.Fatal(err)
		}

		var got loginResult
		cfg := e.config("alice")
		cfg["pageSize"], cfg["uniqueName"], cfg["otherUser"], cfg["sid"] = 10, "beta", "bob", alpha
		runSDK(t, "login", cfg, &got)
		t.Logf("SDK login until initialized: %d ms; listing both conversations and reading every message page: %d ms",
			got.Timings.InitMS, got.Timings.ListAndReadMS)
		if got.Identity != "alice" {
			t.Errorf("identity = %q", got.Identity)
		}
		if got.ByUniqueName != beta {
			t.Errorf("getConversationByUniqueName(beta) = %q, want %s", got.ByUniqueName, beta)
		}
		if got.BySID != "Alpha" {
			t.Errorf("getConversationBySid(alpha).friendlyName = %q", got.BySID)
		}
		if u := got.OtherUser; u.Identity != "bob" || u.FriendlyName != "Bob B." || u.Attributes["team"] != "blue" {
			t.Errorf("getUser(bob) = %+v", u)
		}
		if !got.UpdatedToken {
			t.Error("updateToken did not complete")
		}
		want := []string{alpha, beta}
		slices.Sort(want)
		var sids []string
		for _, c := range got.Conversations {
			sids = append(sids, c.SID)
		}
		if !slices.Equal(sids, want) {
			t.Fatalf("subscribed conversations = %v, want %v (Alpha, Beta; not Gamma)", sids, want)
		}
		for _, c := range got.Conversations {
			wantMsgs, wantMembers := 25, []string{"alice", "bob"}
			if c.SID == beta {
				wantMsgs, wantMembers = 1, []string{"alice"}
			}
			if len(c.Messages) != wantMsgs {
				t.Errorf("%s: %d messages, want %d", *c.FriendlyName, len(c.Messages), wantMsgs)
				continue
			}
			for i, m := range c.Messages {
				if m.Index != int64(i) || m.Attributes["n"] != m.Body {
					t.Errorf("%s: message %d = %+v", *c.FriendlyName, i, m)
				}
			}
			if last := c.Messages[len(c.Messages)-1]; c.LastMessageIndex == nil || *c.LastMessageIndex != last.Index {
				t.Errorf("%s: lastMessage.index = %v, want %d", *c.FriendlyName, c.LastMessageIndex, last.Index)
			}
			if c.Attributes["topic"] != *c.FriendlyName || c.UniqueName == nil || *c.UniqueName != strings.ToLower(*c.FriendlyName) {
				t.Errorf("%s: attributes %v, unique name %v", *c.FriendlyName, c.Attributes, c.UniqueName)
			}
			if !slices.Equal(c.Participants, wantMembers) {
				t.Errorf("%s: participants %v, want %v", *c.FriendlyName, c.Participants, wantMembers)
			}
		}
		if m := got.Conversations[slices.Index(sids, alpha)].Messages; len(m) == 25 && (m[24].Body != "m24" || m[0].Author != "bob") {
			t.Errorf("Alpha messages: first %+v, last %+v", m[0], m[24])
		}
	})
}

type refusedResult struct {
	Initialized    bool   `json:"initialized"`
	ErrorCode      *int   `json:"errorCode"`
	HTTPStatusCode *int   `json:"httpStatusCode"`
	State          string `json:"state"`
	Terminal       *bool  `json:"terminal"`
}

// TestSDKRefusedTokens: the SDK reports initFailed with the access-token
// error code (Twilio's 2010x table, as the verifier answers it) and ends in
// the denied state.
func TestSDKRefusedTokens(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		tw := e.Twilio()
		deleted, err := tw.Api.CreateNewKey(&twapi.CreateNewKeyParams{})
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.Api.DeleteKey(*deleted.Sid, nil); err != nil {
			t.Fatal(err)
		}
		sub, err := tw.Api.CreateAccount(&twapi.CreateAccountParams{})
		if err != nil {
			t.Fatal(err)
		}
		subKey, err := e.TwilioAs(*sub.Sid, *sub.AuthToken).Api.CreateNewKey(&twapi.CreateNewKeyParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name      string
			overrides map[string]any
			code      int
		}{
			{"garbage", nil, 20101},
			{"wrong secret", map[string]any{"keySecret": "wrong"}, 20107},
			{"expired", map[string]any{"ttl": -60}, 20104},
			{"deleted key", map[string]any{"keySid": *deleted.Sid, "keySecret": *deleted.Secret}, 20103},
			{"key of another account", map[string]any{"keySid": *subKey.Sid, "keySecret": *subKey.Secret}, 20103},
			{"unknown service", map[string]any{"serviceSid": "IS00000000000000000000000000000000"}, 20106},
		} {
			t.Run(tc.name, func(t *testing.T) {
				cfg := e.config("alice")
				if tc.overrides == nil {
					cfg["rawToken"] = "not-a-token"
				}
				cfg["overrides"] = tc.overrides
				var got refusedResult
				runSDK(t, "refused", cfg, &got)
				if got.Initialized || got.ErrorCode == nil || *got.ErrorCode != tc.code || got.HTTPStatusCode == nil || *got.HTTPStatusCode != 401 || got.State != "denied" {
					t.Errorf("initialized %v, state %q, code %v, status %v; want initFailed with errorCode %d, status 401, state denied",
						got.Initialized, got.State, deref(got.ErrorCode), deref(got.HTTPStatusCode), tc.code)
				}
			})
		}
	})
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
