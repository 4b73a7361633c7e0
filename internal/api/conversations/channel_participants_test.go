package conversations_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// withMessagingService creates a Messaging Service and a conversation that
// uses it, returning the conversation's SID.
func withMessagingService(t *testing.T, env *apitest.Env) string {
	t.Helper()
	mg, err := env.Twilio().MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("sms"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := env.Twilio().ConversationsV1.CreateConversation((&conv.CreateConversationParams{}).SetMessagingServiceSid(*mg.Sid))
	if err != nil {
		t.Fatal(err)
	}
	return *c.Sid
}

func addBinding(env *apitest.Env, convSID, address, proxy string) apitest.Response {
	return env.Do("POST", "/v1/Conversations/"+convSID+"/Participants",
		url.Values{"MessagingBinding.Address": {address}, "MessagingBinding.ProxyAddress": {proxy}})
}

func TestChannelParticipants(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		cid := withMessagingService(t, env)
		sms, err := api.CreateConversationParticipant(cid, (&conv.CreateConversationParticipantParams{}).
			SetMessagingBindingAddress("+15558675310").SetMessagingBindingProxyAddress("+15017122661"))
		if err != nil {
			t.Fatal(err)
		}
		if sms.Identity != nil {
			t.Errorf("sms participant identity = %v, want null", *sms.Identity)
		}
		raw, _ := json.Marshal(sms.MessagingBinding)
		var b map[string]any
		json.Unmarshal(raw, &b)
		if b["type"] != "sms" || b["address"] != "+15558675310" || b["proxy_address"] != "+15017122661" {
			t.Errorf("messaging_binding = %s", raw)
		}
		wa, err := api.CreateConversationParticipant(cid, (&conv.CreateConversationParticipantParams{}).
			SetMessagingBindingAddress("whatsapp:+15558675310").SetMessagingBindingProxyAddress("whatsapp:+15017122661"))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ = json.Marshal(wa.MessagingBinding)
		json.Unmarshal(raw, &b)
		if b["type"] != "whatsapp" {
			t.Errorf("whatsapp messaging_binding = %s", raw)
		}
		// A chat participant beside them.
		if _, err := api.CreateConversationParticipant(cid, (&conv.CreateConversationParticipantParams{}).SetIdentity("agent")); err != nil {
			t.Fatal(err)
		}
		list, err := api.ListConversationParticipant(cid, nil)
		if err != nil || len(list) != 3 {
			t.Fatalf("list: %d %v", len(list), err)
		}
		got, err := api.FetchConversationParticipant(cid, *sms.Sid)
		if err != nil || got.MessagingBinding == nil {
			t.Fatalf("fetch: %+v %v", got, err)
		}

		// Refusals, each with Twilio's code, changing nothing.
		other := withMessagingService(t, env)
		plain, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name, conv, address, proxy string
			status, code               int
		}{
			{"no messaging service", *plain.Sid, "+15558675311", "+15017122661", 400, 50340},
			{"pair in use elsewhere", other, "+15558675310", "+15017122661", 409, 50416},
			{"pair twice in one conversation", cid, "+15558675310", "+15017122661", 409, 50416},
			{"address is proxy", other, "+15017122661", "+15017122661", 400, 50409},
			{"bad address", other, "12345", "+15017122661", 400, 50407},
			{"empty proxy", other, "+15558675312", "", 400, 50412},
			{"proxy of another channel", other, "whatsapp:+15558675312", "+15017122661", 400, 50408},
		} {
			if r := addBinding(env, c.conv, c.address, c.proxy); r.Status != c.status || errorCode(t, r) != c.code {
				t.Errorf("%s: %s, want %d/%d", c.name, r, c.status, c.code)
			}
		}
		if r := env.Do("POST", "/v1/Conversations/"+other+"/Participants", url.Values{"Identity": {"x"},
			"MessagingBinding.Address": {"+15558675313"}, "MessagingBinding.ProxyAddress": {"+15017122661"}}); r.Status != 400 {
			t.Errorf("identity and address: %s", r)
		}
		if ps, err := api.ListConversationParticipant(other, nil); err != nil || len(ps) != 0 {
			t.Errorf("refusals added participants: %d %v", len(ps), err)
		}

		// Closing the conversation frees its pairs; removing a participant too.
		if _, err := api.UpdateConversation(cid, (&conv.UpdateConversationParams{}).SetState("closed")); err != nil {
			t.Fatal(err)
		}
		if r := addBinding(env, other, "+15558675310", "+15017122661"); r.Status != 201 {
			t.Errorf("pair after its conversation closed: %s", r)
		}
		moved := addBinding(env, withMessagingService(t, env), "+15558675314", "+15017122661")
		var p struct {
			SID             string `json:"sid"`
			ConversationSID string `json:"conversation_sid"`
		}
		json.Unmarshal(moved.Body, &p)
		if err := api.DeleteConversationParticipant(p.ConversationSID, p.SID, nil); err != nil {
			t.Fatal(err)
		}
		if r := addBinding(env, other, "+15558675314", "+15017122661"); r.Status != 201 {
			t.Errorf("pair after its participant left: %s", r)
		}
	})
}

// TestChannelParticipantLimit: 50 non-chat participants per conversation.
func TestChannelParticipantLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cid := withMessagingService(t, env)
		for i := range 50 {
			if r := addBinding(env, cid, "+1555000"+strconv.Itoa(1000+i), "+15017122661"); r.Status != 201 {
				t.Fatalf("participant %d: %s", i, r)
			}
		}
		if r := addBinding(env, cid, "+15550009999", "+15017122661"); r.Status != 400 || errorCode(t, r) != 50418 {
			t.Errorf("51st: %s", r)
		}
		// Chat participants are not counted against it.
		if r := env.Do("POST", "/v1/Conversations/"+cid+"/Participants", url.Values{"Identity": {"agent"}}); r.Status != 201 {
			t.Errorf("chat participant: %s", r)
		}
	})
}

// TestChannelParticipantsInCWP: ConversationWithParticipants adds non-chat
// participants through the request's messaging service, with 50425 for a
// pair in use.
func TestChannelParticipantsInCWP(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		mg, err := env.Twilio().MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("sms"))
		if err != nil {
			t.Fatal(err)
		}
		phone := `{"messaging_binding":{"address":"+15558675310","proxy_address":"+15017122661"}}`
		c, err := env.Twilio().ConversationsV1.CreateConversationWithParticipants(&conv.CreateConversationWithParticipantsParams{
			MessagingServiceSid: mg.Sid, Participant: &[]string{`{"identity":"agent"}`, phone}})
		if err != nil {
			t.Fatal(err)
		}
		ps, err := env.Twilio().ConversationsV1.ListConversationParticipant(*c.Sid, nil)
		if err != nil || len(ps) != 2 {
			t.Fatalf("participants: %d %v", len(ps), err)
		}
		r := env.Do("POST", "/v1/ConversationWithParticipants", url.Values{"MessagingServiceSid": {*mg.Sid},
			"UniqueName": {"second"}, "Participant": {`{"identity":"agent"}`, phone}})
		if r.Status != 409 || errorCode(t, r) != 50425 {
			t.Errorf("pair in use: %s", r)
		}
		if r := env.Do("GET", "/v1/Conversations/second", nil); r.Status != 404 {
			t.Errorf("refused request left a conversation: %s", r)
		}
	})
}

// TestConcurrentChannelPairs: the same (address, proxy) pair added to many
// conversations at once is bound in exactly one.
func TestConcurrentChannelPairs(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const n = 8
		convs := make([]string, n)
		for i := range convs {
			convs[i] = withMessagingService(t, env)
		}
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for _, cid := range convs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- addBinding(env, cid, "+15558675310", "+15017122661").Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[201] != 1 || count[409] != n-1 {
			t.Errorf("statuses %v, want one 201 and %d 409", count, n-1)
		}
	})
}

// TestChannelParticipantIdentity: a participant is a chat identity or a
// channel address, never both, on create (50211) and on update (50444).
func TestChannelParticipantIdentity(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cid := withMessagingService(t, env)
		resp := env.Do("POST", "/v1/Conversations/"+cid+"/Participants", url.Values{"Identity": {"alice"},
			"MessagingBinding.Address": {"+15558675310"}, "MessagingBinding.ProxyAddress": {"+15017122661"}})
		if resp.Status != 400 || !strings.Contains(string(resp.Body), `"code":50211`) {
			t.Errorf("create with both = %s, want 400/50211", resp)
		}
		resp = addBinding(env, cid, "+15558675310", "+15017122661")
		var p struct {
			SID string `json:"sid"`
		}
		json.Unmarshal(resp.Body, &p)
		resp = env.Do("POST", "/v1/Conversations/"+cid+"/Participants/"+p.SID, url.Values{"Identity": {"alice"}})
		if resp.Status != 400 || !strings.Contains(string(resp.Body), `"code":50444`) {
			t.Errorf("update sms participant's identity = %s, want 400/50444", resp)
		}
		got, err := env.Twilio().ConversationsV1.FetchConversationParticipant(cid, p.SID)
		if err != nil || got.Identity != nil {
			t.Errorf("after the refusal: identity %v, err %v", got.Identity, err)
		}
	})
}
