package simulator_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"testing"

	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// groupNumber is the Messaging Service number the group's chat user is
// projected as.
const groupNumber = "+15017122661"

var groupPhones = []string{"+15558675310", "+15558675311", "+15558675312"}

// groupService provisions number in a new Messaging Service's sender pool
// and returns the service's SID.
func groupService(t *testing.T, env *apitest.Env, number string) string {
	t.Helper()
	tw := env.Twilio()
	n, err := tw.Api.CreateIncomingPhoneNumber((&api.CreateIncomingPhoneNumberParams{}).SetPhoneNumber(number))
	if err != nil {
		t.Fatal(err)
	}
	mg, err := tw.MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("group"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tw.MessagingV1.CreatePhoneNumber(*mg.Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid(*n.Sid)); err != nil {
		t.Fatal(err)
	}
	return *mg.Sid
}

// groupConversation creates a conversation through mg with the chat user
// "agent" projected as groupNumber and the given phones, added with only
// their address.
func groupConversation(t *testing.T, env *apitest.Env, mg string, phones []string) string {
	t.Helper()
	api := env.Twilio().ConversationsV1
	c, err := api.CreateConversation((&conv.CreateConversationParams{}).SetMessagingServiceSid(mg))
	if err != nil {
		t.Fatal(err)
	}
	agent, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).
		SetIdentity("agent").SetMessagingBindingProjectedAddress(groupNumber))
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := json.Marshal(agent.MessagingBinding); string(raw) != `{"projected_address":"+15017122661","type":"sms"}` {
		t.Errorf("agent's messaging_binding = %s", raw)
	}
	for _, phone := range phones {
		if _, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).
			SetMessagingBindingAddress(phone)); err != nil {
			t.Fatal(err)
		}
	}
	return *c.Sid
}

// TestGroupMMS: a chat user projected as a service number posts to three
// phones, which each receive one group message from that number listing
// all of them; a phone's reply to the group lands in the conversation as
// its own, and is not sent on to the others (the carrier's group did).
func TestGroupMMS(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		ch := groupConversation(t, env, groupService(t, env, groupNumber), groupPhones)
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

		var reply simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {groupPhones[1]},
			"To": {groupPhones[2], groupNumber, groupPhones[0]}, "Body": {"hi all"}}, 201, &reply)
		if reply.ConversationSID == nil || *reply.ConversationSID != ch || len(reply.Recipients) != 3 {
			t.Fatalf("reply = %+v", reply)
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 2 || *msgs[1].Author != groupPhones[1] || *msgs[1].Body != "hi all" {
			t.Fatalf("messages: %+v %v", msgs, err)
		}
		for _, phone := range []string{groupPhones[0], groupPhones[2]} {
			if in := inbox(t, env, phone); len(in) != 1 {
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
		mg := groupService(t, env, groupNumber)
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
		ch := groupConversation(t, env, groupService(t, env, groupNumber), phones)
		_, err := env.Twilio().ConversationsV1.CreateConversationParticipant(ch,
			(&conv.CreateConversationParticipantParams{}).SetMessagingBindingAddress("+15558675499"))
		wantCode(t, err, 400, 50436)
	})
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
