package simulator_test

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

const (
	proxy    = "+15017122661"
	waProxy  = "whatsapp:+15017122661"
	customer = "+15558675310"
)

type simMessage struct {
	SID             string   `json:"sid"`
	Direction       string   `json:"direction"`
	From            string   `json:"from"`
	To              string   `json:"to"`
	Recipients      []string `json:"recipients"`
	Body            string   `json:"body"`
	Status          string   `json:"status"`
	ErrorCode       *int     `json:"error_code"`
	ConversationSID *string  `json:"conversation_sid"`
	Reason          *string  `json:"reason"`
}

type simList struct {
	Messages []simMessage `json:"messages"`
}

// smsConversation creates a Messaging Service and a conversation through
// it, and returns both SIDs.
func smsConversation(t testing.TB, env *apitest.Env) (mg, ch string) {
	t.Helper()
	return env.MessagingConversation(t, "sms")
}

func addPhone(t testing.TB, env *apitest.Env, ch, address, proxyAddress string) string {
	t.Helper()
	return env.AddPhone(t, ch, address, proxyAddress)
}

func do(t testing.TB, env *apitest.Env, method, path string, params url.Values, want int, out any) {
	t.Helper()
	resp := env.Do(method, path, params)
	if resp.Status != want {
		t.Fatalf("%s %s = %s, want %d", method, path, resp, want)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			t.Fatal(err)
		}
	}
}

func inbox(t testing.TB, env *apitest.Env, address string) []simMessage {
	t.Helper()
	var l simList
	do(t, env, "GET", "/parley/v1/Simulator/Phones/"+url.PathEscape(address)+"/Messages", nil, 200, &l)
	return l.Messages
}

// receipts waits until a message has n receipts that reached a final
// status, and returns them as "status/error/channel SID prefix" sorted.
func receipts(t *testing.T, env *apitest.Env, ch, msg string, n int) []string {
	t.Helper()
	var got []string
	for _, r := range final(env.WaitReceipts(t, ch, msg, func(list []apitest.Receipt) bool { return len(final(list)) == n })) {
		got = append(got, *r.Status+"/"+itoa(r.ErrorCode)+"/"+(*r.ChannelMessageSid)[:2])
	}
	sort.Strings(got)
	return got
}

// final are the receipts past sent.
func final(list []apitest.Receipt) []apitest.Receipt {
	var out []apitest.Receipt
	for _, r := range list {
		if *r.Status != "sent" {
			out = append(out, r)
		}
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestDeliveryThroughSimulator: a chat user posts; the SMS and WhatsApp
// phones receive it from their proxy addresses; receipts reach their
// outcomes (delivered, read, failed with the phone's error); the message's
// delivery aggregate and onDeliveryUpdated follow.
func TestDeliveryThroughSimulator(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		if _, err := api.UpdateConfigurationWebhook((&conv.UpdateConfigurationWebhookParams{}).SetMethod("POST").
			SetPostWebhookUrl(rc.URL + "/post").SetFilters([]string{"onDeliveryUpdated"})); err != nil {
			t.Fatal(err)
		}
		_, ch := smsConversation(t, env)
		sms := addPhone(t, env, ch, customer, proxy)
		addPhone(t, env, ch, "whatsapp:+15558675311", waProxy)
		failing := addPhone(t, env, ch, "+15558675312", proxy)
		if _, err := api.CreateConversationParticipant(ch, (&conv.CreateConversationParticipantParams{}).SetIdentity("agent")); err != nil {
			t.Fatal(err)
		}
		var phone map[string]any
		do(t, env, "POST", "/parley/v1/Simulator/Phones/whatsapp:+15558675311", url.Values{"Outcome": {"read"}}, 200, &phone)
		do(t, env, "POST", "/parley/v1/Simulator/Phones/+15558675312", url.Values{"Outcome": {"failed"}, "ErrorCode": {"30006"}}, 200, &phone)
		if phone["outcome"] != "failed" || phone["error_code"] != 30006.0 {
			t.Errorf("phone = %v", phone)
		}
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hello"))
		if err != nil {
			t.Fatal(err)
		}
		got := receipts(t, env, ch, *m.Sid, 3)
		if want := []string{"delivered/0/SM", "failed/30006/SM", "read/0/WA"}; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("receipts = %v, want %v", got, want)
		}
		in := inbox(t, env, customer)
		if len(in) != 1 || in[0].From != proxy || in[0].Body != "hello" || in[0].Status != "delivered" || *in[0].ConversationSID != ch {
			t.Errorf("inbox of %s = %+v", customer, in)
		}
		if wa := inbox(t, env, "whatsapp:+15558675311"); len(wa) != 1 || wa[0].From != waProxy || !strings.HasPrefix(wa[0].SID, "WA") {
			t.Errorf("WhatsApp inbox = %+v", wa)
		}
		fetched, err := api.FetchConversationMessage(ch, *m.Sid)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(fetched.Delivery)
		if want := `{"delivered":"some","failed":"some","read":"some","sent":"some","total":3,"undelivered":"none"}`; string(raw) != want {
			t.Errorf("delivery = %s, want %s", raw, want)
		}

		// onDeliveryUpdated: sent then the outcome; a failed message was
		// never sent.
		statuses := map[string][]string{}
		for range 5 {
			c := rc.Next()
			apitest.VerifySignature(t, env.AuthToken, c)
			p := c.Params
			if p.Get("EventType") != "onDeliveryUpdated" || p.Get("MessageSid") != *m.Sid || p.Get("ConversationSid") != ch ||
				!strings.HasPrefix(p.Get("DeliveryReceiptSid"), "DY") {
				t.Errorf("webhook params = %v", p)
			}
			statuses[p.Get("ParticipantSid")] = append(statuses[p.Get("ParticipantSid")], p.Get("Status")+"/"+p.Get("ErrorCode"))
		}
		// Webhook jobs run concurrently: Twilio promises no order either.
		sort.Strings(statuses[sms])
		if got := strings.Join(statuses[sms], " "); got != "delivered/0 sent/0" {
			t.Errorf("onDeliveryUpdated of the SMS phone = %s", got)
		}
		if got := strings.Join(statuses[failing], " "); got != "failed/30006" {
			t.Errorf("onDeliveryUpdated of the failing phone = %s", got)
		}
		rc.None()
	})
}

// TestInboundFromPhone: a phone's reply lands in the conversation of its
// pair as the phone's message and goes on to the other phones, not back;
// an unknown pair is dropped with a reason; an Address Configuration with
// auto-creation makes a conversation for an unknown phone.
func TestInboundFromPhone(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		mg, ch := smsConversation(t, env)
		sms := addPhone(t, env, ch, customer, proxy)
		addPhone(t, env, ch, "+15558675312", proxy)

		var got simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {"hi there"}}, 201, &got)
		if got.ConversationSID == nil || *got.ConversationSID != ch || got.Direction != "from_phone" || got.Reason != nil {
			t.Fatalf("inbound = %+v", got)
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("messages = %v, %v", msgs, err)
		}
		if *msgs[0].Author != customer || *msgs[0].ParticipantSid != sms || *msgs[0].Body != "hi there" {
			t.Errorf("message = author %s participant %s body %s", *msgs[0].Author, *msgs[0].ParticipantSid, *msgs[0].Body)
		}
		receipts(t, env, ch, *msgs[0].Sid, 1)
		if n := len(inbox(t, env, "+15558675312")); n != 1 {
			t.Errorf("the other phone got %d messages, want 1", n)
		}
		if n := len(inbox(t, env, customer)); n != 0 {
			t.Errorf("the author got %d messages back, want 0", n)
		}

		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {"+15550000000"}, "To": {proxy}, "Body": {"who?"}}, 201, &got)
		if got.ConversationSID != nil || got.Reason == nil || *got.Reason == "" {
			t.Errorf("unrouted inbound = %+v, want dropped with a reason", got)
		}

		// Auto-creation through the number's Address Configuration.
		do(t, env, "POST", "/v1/Configuration", url.Values{"DefaultMessagingServiceSid": {mg}}, 200, nil)
		do(t, env, "POST", "/v1/Configuration/Addresses", url.Values{"Type": {"sms"}, "Address": {"+15017122662"},
			"AutoCreation.Enabled": {"true"}, "AutoCreation.Type": {"default"}}, 201, nil)
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {"+15559990000"}, "To": {"+15017122662"}, "Body": {"new here"}}, 201, &got)
		if got.ConversationSID == nil || *got.ConversationSID == ch {
			t.Fatalf("auto-created inbound = %+v", got)
		}
		parts, err := api.ListConversationParticipant(*got.ConversationSID, nil)
		if err != nil || len(parts) != 1 {
			t.Fatalf("participants = %v, %v", parts, err)
		}
		raw, _ := json.Marshal(parts[0].MessagingBinding)
		if !strings.Contains(string(raw), `"address":"+15559990000"`) || !strings.Contains(string(raw), `"proxy_address":"+15017122662"`) {
			t.Errorf("auto-created participant binding = %s", raw)
		}
		// The phone's next message joins the conversation it started.
		var again simMessage
		do(t, env, "POST", "/parley/v1/Simulator/Messages", url.Values{"From": {"+15559990000"}, "To": {"+15017122662"}, "Body": {"me again"}}, 201, &again)
		if again.ConversationSID == nil || *again.ConversationSID != *got.ConversationSID {
			t.Errorf("second inbound went to %v, want %s", again.ConversationSID, *got.ConversationSID)
		}
	})
}

func TestSimulatorRefusals(t *testing.T) {
	env := apitest.Start(t, "sqlite")
	for _, c := range []struct {
		path   string
		params url.Values
	}{
		{"/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}}},
		{"/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {waProxy}, "Body": {"x"}}},
		{"/parley/v1/Simulator/Messages", url.Values{"From": {customer}, "To": {proxy}, "Body": {strings.Repeat("x", 1601)}}},
		{"/parley/v1/Simulator/Phones/" + customer, url.Values{"Outcome": {"lost"}}},
		{"/parley/v1/Simulator/Phones/" + customer, url.Values{"Outcome": {"delivered"}, "ErrorCode": {"30003"}}},
		{"/parley/v1/Simulator/Phones/" + customer, url.Values{"Outcome": {"failed"}, "ErrorCode": {"12"}}},
	} {
		resp := env.Do("POST", c.path, c.params)
		if resp.Status != 400 || !strings.Contains(string(resp.Body), `"code":20001`) {
			t.Errorf("POST %s %v = %s, want 400/20001", c.path, c.params, resp)
		}
	}
	if resp := env.Do("GET", "/parley/v1/Simulator/Messages?Direction=sideways", nil); resp.Status != 400 {
		t.Errorf("bad Direction = %s", resp)
	}
	if resp := env.DoAs(env.AccountSID, "wrong", "GET", "/parley/v1/Simulator/Messages", nil); resp.Status != 401 {
		t.Errorf("bad credentials = %s", resp)
	}
}
