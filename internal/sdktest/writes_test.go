package sdktest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// sdkMessage is a message as the SDK's getMessages returned it.
type sdkMessage struct {
	Index      int64          `json:"index"`
	Body       string         `json:"body"`
	Author     string         `json:"author"`
	Attributes map[string]any `json:"attributes"`
}

type writesResult struct {
	SID        string       `json:"sid"`
	FirstIndex int64        `json:"firstIndex"`
	Unread     int64        `json:"unread"`
	Messages   []sdkMessage `json:"messages"`
}

// TestSDKWrites: the unmodified SDK writes as its token's identity; each
// write is checked by what the SDK's promise resolved with and over REST
// with twilio-go, and the webhooks it fired carry Source SDK and the
// identity.
func TestSDKWrites(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		hook := apitest.NewReceiver(t, nil)
		method, filters := "POST", []string{"onConversationAdd", "onConversationAdded", "onParticipantAdded", "onMessageUpdated"}
		p := &conv.UpdateConfigurationWebhookParams{Method: &method, Filters: &filters}
		p.SetPreWebhookUrl(hook.URL + "/pre").SetPostWebhookUrl(hook.URL + "/post")
		if _, err := api.UpdateConfigurationWebhook(p); err != nil {
			t.Fatal(err)
		}

		cfg := e.config("alice")
		cfg["other"], cfg["uniqueName"] = "bob", "demo"
		var got writesResult
		runSDK(t, "writes", cfg, &got)

		// What the promises resolved with.
		if got.FirstIndex != 0 || got.Unread != 14 {
			t.Errorf("sendMessage resolved %d, updateLastReadMessageIndex(10) %d; want 0 and 14", got.FirstIndex, got.Unread)
		}
		if len(got.Messages) != 25 {
			t.Fatalf("getMessages paged back through %d messages, want 25", len(got.Messages))
		}
		for i, m := range got.Messages {
			if m.Index != int64(i) || m.Author != "alice" || (i > 0 && (m.Body != fmt.Sprint("m", i) || m.Attributes["n"] != float64(i))) {
				t.Errorf("message %d = %+v", i, m)
			}
		}
		if m := got.Messages[0]; m.Body != "hello" || m.Attributes["mood"] != "happy" {
			t.Errorf("first message = %+v", m)
		}

		// What REST sees.
		c, err := api.FetchConversation(got.SID)
		if err != nil {
			t.Fatal(err)
		}
		if *c.FriendlyName != "Demo 2" || *c.UniqueName != "demo" || attrs(t, c.Attributes)["topic"] != "y" {
			t.Errorf("conversation = %s %s %s", *c.FriendlyName, *c.UniqueName, *c.Attributes)
		}
		msgs, err := api.ListConversationMessage(got.SID, &conv.ListConversationMessageParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 24 || *msgs[0].Body != "hello, edited" || attrs(t, msgs[0].Attributes)["mood"] != "calm" ||
			*msgs[0].Author != "alice" || msgs[1].Index != 2 {
			t.Errorf("REST messages: %d, first %v %v %v, second index %v", len(msgs), *msgs[0].Body, *msgs[0].Attributes, *msgs[0].Author, msgs[1].Index)
		}
		parts, err := api.ListConversationParticipant(got.SID, &conv.ListConversationParticipantParams{})
		if err != nil {
			t.Fatal(err)
		}
		var identities []string
		for _, p := range parts {
			identities = append(identities, *p.Identity)
			if *p.Identity == "bob" && attrs(t, p.Attributes)["nick"] != "b" {
				t.Errorf("bob's attributes = %s", *p.Attributes)
			}
		}
		if slices.Sort(identities); !slices.Equal(identities, []string{"alice", "bob"}) {
			t.Errorf("participants = %v", identities)
		}
		u, err := api.FetchUser("alice")
		if err != nil {
			t.Fatal(err)
		}
		if *u.FriendlyName != "Alice A." || attrs(t, u.Attributes)["team"] != "red" {
			t.Errorf("user alice = %v %v", *u.FriendlyName, *u.Attributes)
		}
		uc, err := api.FetchUserConversation(*u.Sid, got.SID)
		if err != nil {
			t.Fatal(err)
		}
		if *uc.NotificationLevel != "muted" || *uc.LastReadMessageIndex != 10 {
			t.Errorf("alice's user conversation: level %v, read horizon %v", *uc.NotificationLevel, *uc.LastReadMessageIndex)
		}

		// The webhooks: pre and post, Source SDK, the identity as
		// ClientIdentity and as the author; the creator joined with the
		// service's conversation creator role.
		conf, err := api.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		svc, err := api.FetchServiceConfiguration(*conf.DefaultChatServiceSid)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for range 6 {
			call := hook.Next()
			ev := call.Params.Get("EventType")
			seen[ev]++
			if call.Params.Get("Source") != "SDK" || call.Params.Get("ClientIdentity") != "alice" {
				t.Errorf("%s: Source %q, ClientIdentity %q", ev, call.Params.Get("Source"), call.Params.Get("ClientIdentity"))
			}
			switch {
			case ev == "onMessageUpdated" && call.Params.Get("Author") != "alice":
				t.Errorf("onMessageUpdated Author = %q", call.Params.Get("Author"))
			case ev == "onParticipantAdded" && call.Params.Get("Identity") == "alice" && call.Params.Get("RoleSid") != *svc.DefaultConversationCreatorRoleSid:
				t.Errorf("alice joined with role %s, want the creator role %s", call.Params.Get("RoleSid"), *svc.DefaultConversationCreatorRoleSid)
			case ev == "onParticipantAdded" && call.Params.Get("Identity") == "bob" && call.Params.Get("RoleSid") != *svc.DefaultConversationRoleSid:
				t.Errorf("bob was added with role %s, want %s", call.Params.Get("RoleSid"), *svc.DefaultConversationRoleSid)
			}
		}
		if want := map[string]int{"onConversationAdd": 1, "onConversationAdded": 1, "onParticipantAdded": 2, "onMessageUpdated": 2}; !maps.Equal(seen, want) {
			t.Errorf("webhooks = %v, want %v", seen, want)
		}

		// Leaving, from a fresh login that sees the conversation joined.
		var left struct {
			StatusBefore string `json:"statusBefore"`
		}
		cfg["sid"] = got.SID
		runSDK(t, "leave", cfg, &left)
		if left.StatusBefore != "joined" {
			t.Errorf("status before leave = %q", left.StatusBefore)
		}
		parts, err = api.ListConversationParticipant(got.SID, &conv.ListConversationParticipantParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) != 1 || *parts[0].Identity != "bob" {
			t.Errorf("after leave: %d participants", len(parts))
		}
	})
}

type deniedAttempt struct {
	Rejected bool   `json:"rejected"`
	Status   *int   `json:"status"`
	Code     *int   `json:"code"`
	Message  string `json:"message"`
}

// TestSDKRolePermissions: a participant whose roles lack a permission gets
// Twilio's 50107 (403) as a rejected promise, and nothing changes.
func TestSDKRolePermissions(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		reader, err := api.CreateRole(&conv.CreateRoleParams{FriendlyName: str("reader"), Type: str("conversation"),
			Permission: &[]string{"leaveConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		restricted, err := api.CreateRole(&conv.CreateRoleParams{FriendlyName: str("restricted"), Type: str("service"),
			Permission: &[]string{"joinConversation"}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("Locked"), Attributes: str(`{"topic":"locked"}`)})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []*conv.CreateConversationParticipantParams{{Identity: str("carol"), RoleSid: reader.Sid}, {Identity: str("dave")}} {
			if _, err := api.CreateConversationParticipant(*c.Sid, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := api.UpdateUser("carol", &conv.UpdateUserParams{RoleSid: restricted.Sid}); err != nil {
			t.Fatal(err)
		}
		before, err := api.ListConversation(&conv.ListConversationParams{})
		if err != nil {
			t.Fatal(err)
		}

		cfg := e.config("carol")
		cfg["sid"], cfg["other"] = *c.Sid, "dave"
		var got map[string]deniedAttempt
		runSDK(t, "denied", cfg, &got)
		for _, action := range []string{"send", "updateAttributes", "removeOther", "create"} {
			a := got[action]
			if !a.Rejected || a.Status == nil || *a.Status != 403 || a.Code == nil || *a.Code != 50107 {
				t.Errorf("%s: %+v, want a rejection with status 403, code 50107", action, a)
			}
		}

		msgs, err := api.ListConversationMessage(*c.Sid, &conv.ListConversationMessageParams{})
		if err != nil {
			t.Fatal(err)
		}
		after, err := api.FetchConversation(*c.Sid)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := api.ListConversationParticipant(*c.Sid, &conv.ListConversationParticipantParams{})
		if err != nil {
			t.Fatal(err)
		}
		all, err := api.ListConversation(&conv.ListConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 0 || *after.Attributes != `{"topic":"locked"}` || len(parts) != 2 || len(all) != len(before) {
			t.Errorf("something changed: %d messages, attributes %s, %d participants, %d conversations (was %d)",
				len(msgs), *after.Attributes, len(parts), len(all), len(before))
		}
	})
}

func attrs(t *testing.T, s *string) map[string]any {
	t.Helper()
	var m map[string]any
	if s == nil || json.Unmarshal([]byte(*s), &m) != nil {
		t.Errorf("attributes %v are not a JSON object", s)
	}
	return m
}
