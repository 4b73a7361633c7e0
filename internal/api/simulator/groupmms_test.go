package simulator_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	twclient "github.com/twilio/twilio-go/client"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/core"
)

// groupNumber is the Messaging Service number the group's chat user is
// projected as.
const groupNumber = "+15017122661"

var groupPhones = []string{"+15558675310", "+15558675311", "+15558675312"}

// groupConversation creates a group MMS conversation through mg: the
// chat user "agent" projected as groupNumber, and the phones.
func groupConversation(t *testing.T, env *apitest.Env, mg string, phones []string) string {
	t.Helper()
	return env.GroupConversation(t, mg, "agent", groupNumber, phones)
}

// TestGroupMMS: a chat user projected as a service number posts to three
// phones, which each receive one group message from that number listing
// all of them; a phone's reply to the group lands in the conversation as
// its own, and is not sent on to the others (the carrier's group did).
func TestGroupMMS(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		ch := groupConversation(t, env, env.GroupMessagingService(t, groupNumber), groupPhones)
		agent, err := api.FetchConversationParticipant(ch, "agent")
		if err != nil {
			t.Fatal(err)
		}
		if raw, _ := json.Marshal(agent.MessagingBinding); string(raw) != `{"projected_address":"+15017122661","type":"sms"}` {
			t.Errorf("agent's messaging_binding = %s", raw)
		}
		do(t, env, "POST", "/parley/v1/Simulator/Phones/"+groupPhones[2], url.Values{"Outcome": {"undelivered"}}, 200, nil)

		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hello group"))
		if err != nil {
			t.Fatal(err)
		}
		got := receipts(t, env, ch, *m.Sid, 3)
		if want := []string{"delivered/0/SM", "delivered/0/SM", "undelivered/30003/SM"}; !slices.Equal(got, want) {
			t.Errorf("receipts = %v, want %v", got, want)
		}
		for _, phone := range groupPhones {
			in := inbox(t, env, phone)
			if len(in) != 1 || in[0].From != groupNumber || in[0].Body != "hello group" || !slices.Equal(in[0].Recipients, groupPhones) {
				t.Errorf("inbox of %s = %+v", phone, in)
			}
		}

		// The job run again, as after a crash before its end: nobody gets
		// the message twice.
		replayGroupDelivery(t, env, ch, *m.Sid)
		time.Sleep(time.Second) // more than the job poll interval (250 ms)
		waitCarried(t, env, len(groupPhones))

		// A message posted for a phone goes to the others only.
		m, err = api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor(groupPhones[0]).SetBody("relayed"))
		if err != nil {
			t.Fatal(err)
		}
		receipts(t, env, ch, *m.Sid, 2)
		for i, want := range []int{1, 2, 2} {
			if in := inbox(t, env, groupPhones[i]); len(in) != want || in[len(in)-1].From != groupNumber {
				t.Errorf("inbox of %s = %+v, want %d messages", groupPhones[i], in, want)
			}
		}

		var reply simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {groupPhones[1]},
			"To": {groupPhones[2], groupNumber, groupPhones[0]}, "Body": {"hi all"}}, 201, &reply)
		if reply.ConversationSID == nil || *reply.ConversationSID != ch || len(reply.Recipients) != 3 {
			t.Fatalf("reply = %+v", reply)
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 3 || *msgs[2].Author != groupPhones[1] || *msgs[2].Body != "hi all" {
			t.Fatalf("messages: %+v %v", msgs, err)
		}
		for _, phone := range []string{groupPhones[0], groupPhones[2]} {
			if in := inbox(t, env, phone); len(in) > 2 {
				t.Errorf("a phone's reply was sent on to %s: %+v", phone, in)
			}
		}
		// A phone's group message to another set of members matches no group.
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {groupPhones[1]},
			"To": {groupNumber, groupPhones[0]}, "Body": {"just us"}}, 201, &reply)
		if reply.ConversationSID != nil || reply.Reason == nil {
			t.Errorf("group message to another set = %+v", reply)
		}
	})
}

// TestGroupMMSRefusals: each way out of group MMS's rules gets Twilio's
// error and changes nothing.
func TestGroupMMSRefusals(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		mg := env.GroupMessagingService(t, groupNumber)
		ch := groupConversation(t, env, mg, groupPhones)
		oneToOne, err := api.CreateConversation((&conv.CreateConversationParams{}).SetMessagingServiceSid(mg))
		if err != nil {
			t.Fatal(err)
		}
		env.AddPhone(t, *oneToOne.Sid, "+15558675399", groupNumber)
		bare, err := api.CreateConversation((&conv.CreateConversationParams{}).SetMessagingServiceSid(mg))
		if err != nil {
			t.Fatal(err)
		}
		participants := "/v1/Conversations/" + ch + "/Participants"
		for _, c := range []struct {
			name, path   string
			params       url.Values
			status, code int
		}{
			{"chat participant without projected address", participants, url.Values{"Identity": {"bob"}}, 400, 50434},
			{"one-to-one phone in a group", participants, url.Values{"MessagingBinding.Address": {"+15558675320"},
				"MessagingBinding.ProxyAddress": {groupNumber}}, 400, 50435},
			{"group phone beside one-to-one ones", "/v1/Conversations/" + *oneToOne.Sid + "/Participants",
				url.Values{"MessagingBinding.Address": {"+15558675320"}}, 400, 50435},
			{"number outside +1", participants, url.Values{"MessagingBinding.Address": {"+447700900123"}}, 400, 50435},
			{"phone twice", participants, url.Values{"MessagingBinding.Address": {groupPhones[0]}}, 409, 50437},
			{"projected address twice", participants, url.Values{"Identity": {"bob"},
				"MessagingBinding.ProjectedAddress": {groupNumber}}, 409, 50437},
			{"projected address not the service's", "/v1/Conversations/" + *bare.Sid + "/Participants",
				url.Values{"Identity": {"bob"}, "MessagingBinding.ProjectedAddress": {"+15005550006"}}, 400, 50439},
			{"projected address with an address", participants, url.Values{"MessagingBinding.Address": {"+15558675320"},
				"MessagingBinding.ProjectedAddress": {groupNumber}}, 400, 50443},
			{"author outside the group", "/v1/Conversations/" + ch + "/Messages",
				url.Values{"Author": {"stranger"}, "Body": {"hi"}}, 400, 50513},
		} {
			if r := env.Do("POST", c.path, c.params); r.Status != c.status || errorCode(t, r) != c.code {
				t.Errorf("%s: %s, want %d/%d", c.name, r, c.status, c.code)
			}
		}
		if ps, err := api.ListConversationParticipant(ch, nil); err != nil || len(ps) != 4 {
			t.Errorf("participants after refusals: %d %v", len(ps), err)
		}
		if ms, err := api.ListConversationMessage(ch, nil); err != nil || len(ms) != 0 {
			t.Errorf("messages after refusals: %d %v", len(ms), err)
		}

		// Another open group with the same members: 50438, as the last of
		// them joins.
		_, err = api.CreateConversationParticipant(groupConversation(t, env, mg, groupPhones[:2]),
			(&conv.CreateConversationParticipantParams{}).SetMessagingBindingAddress(groupPhones[2]))
		wantCode(t, err, 409, 50438)
	})
}

// TestGroupMMSLimit: a group MMS conversation has at most ten members,
// the projected address among them (50436).
func TestGroupMMSLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		var phones []string
		for i := range 9 {
			phones = append(phones, "+1555867540"+strconv.Itoa(i))
		}
		ch := groupConversation(t, env, env.GroupMessagingService(t, groupNumber), phones)
		_, err := env.Twilio().ConversationsV1.CreateConversationParticipant(ch,
			(&conv.CreateConversationParticipantParams{}).SetMessagingBindingAddress("+15558675499"))
		wantCode(t, err, 400, 50436)
	})
}

// replayGroupDelivery enqueues again, under a fresh key, the group
// delivery job of a message to the conversation's phones.
func replayGroupDelivery(t *testing.T, env *apitest.Env, ch, msg string) {
	t.Helper()
	parts, err := env.Twilio().ConversationsV1.ListConversationParticipant(ch, nil)
	if err != nil {
		t.Fatal(err)
	}
	var phones []string
	for _, p := range parts {
		if p.Identity == nil {
			phones = append(phones, *p.Sid)
		}
	}
	payload, _ := json.Marshal(map[string]any{"account_sid": env.AccountSID, "conversation_sid": ch,
		"message_sid": msg, "from": groupNumber, "recipients": phones})
	err = env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
		return tx.EnqueueJob(&parley.Job{Kind: core.ChannelDeliveryJobKind, Key: "replay/" + msg, Payload: payload, RunAt: tx.Now()})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// errorCode is the Twilio error code of a response.
func errorCode(t *testing.T, r apitest.Response) int {
	t.Helper()
	var e struct {
		Code int `json:"code"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("error body %s: %v", r.Body, err)
	}
	return e.Code
}

// wantCode checks a twilio-go error's status and code.
func wantCode(t *testing.T, err error, status, code int) {
	t.Helper()
	re, ok := err.(*twclient.TwilioRestError)
	if !ok || re.Status != status || re.Code != code {
		t.Errorf("got %v, want %d/%d", err, status, code)
	}
}

// TestGroupMMSInCWP: ConversationWithParticipants makes a group MMS
// conversation in one request; a second with the same members is 50438.
func TestGroupMMSInCWP(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		mg := env.GroupMessagingService(t, groupNumber)
		members := []string{`{"identity":"agent","messaging_binding":{"projected_address":"` + groupNumber + `"}}`}
		for _, phone := range groupPhones {
			members = append(members, `{"messaging_binding":{"address":"`+phone+`"}}`)
		}
		params := &conv.CreateConversationWithParticipantsParams{MessagingServiceSid: &mg, Participant: &members}
		c, err := env.Twilio().ConversationsV1.CreateConversationWithParticipants(params)
		if err != nil {
			t.Fatal(err)
		}
		if ps, err := env.Twilio().ConversationsV1.ListConversationParticipant(*c.Sid, nil); err != nil || len(ps) != 4 {
			t.Fatalf("participants: %d %v", len(ps), err)
		}
		_, err = env.Twilio().ConversationsV1.CreateConversationWithParticipants(params)
		wantCode(t, err, 409, 50438)
	})
}
