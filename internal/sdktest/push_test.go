package sdktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client/jwt"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/push/pushtest"
	"github.com/parley-dev/parley/internal/server"
)

// pushDelivery is a record of /parley/v1/PushDeliveries.
type pushDelivery struct {
	Kind      string  `json:"kind"`
	Identity  string  `json:"identity"`
	Endpoint  string  `json:"endpoint"`
	Transport string  `json:"transport"`
	Attempts  int     `json:"attempts"`
	Status    *int    `json:"last_status"`
	Outcome   string  `json:"outcome"`
	Detail    *string `json:"detail"`
	Body      string  `json:"body"`
	Request   *string `json:"request"`
}

// TestPushNotifications: devices registered by SDK clients (their tokens
// naming a push credential) are notified through FCM and APNs, each a
// local server speaking the real protocol: a message to a conversation of
// six users pushes to everyone's devices but the author's and the muted
// user's, with the service's template, sound and badge; an unregistered
// FCM token removes its binding; a 503 is retried; a device without a
// credential goes to the simulator; the official SDK's
// parsePushNotification reads both payloads.
func TestPushNotifications(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fcm := pushtest.NewFCM(t, func(token string, attempt int) (int, string) {
			switch {
			case token == "fcm-dave":
				return 404, "UNREGISTERED"
			case token == "fcm-erin" && attempt == 1:
				return 503, "UNAVAILABLE"
			}
			return 0, ""
		})
		apns := pushtest.NewAPNs(t, nil)
		e := startServer(t, engine, func(c *server.Config) {
			c.PushFCMURL, c.PushAPNsSandboxURL, c.PushCAFile = fcm.Server.URL, apns.Server.URL, apns.CAFile
			c.WebhookBackoff = 10 * time.Millisecond // the job runner's retry backoff
		})
		api := e.Twilio().ConversationsV1
		certPEM, keyPEM := pushtest.APNsCertificate(t, "com.example.chat")
		apnCred, err := api.CreateCredential((&conv.CreateCredentialParams{}).SetType("apn").
			SetCertificate(certPEM).SetPrivateKey(keyPEM).SetSandbox(true))
		if err != nil {
			t.Fatal(err)
		}
		fcmCred, err := api.CreateCredential((&conv.CreateCredentialParams{}).SetType("fcm").SetSecret(fcm.ServiceAccount()))
		if err != nil {
			t.Fatal(err)
		}
		service := defaultService(t, e)

		// Each device registers over twilsock as the SDK does, with a token
		// whose chat grant names the credential.
		register := func(identity, credential, channel, device string) {
			tok := jwt.CreateAccessToken(jwt.AccessTokenParams{AccountSid: e.AccountSID, SigningKeySid: e.keySID,
				Secret: e.secret, Identity: identity})
			tok.AddGrant(&jwt.ChatGrant{PushCredentialSid: credential})
			signed, err := tok.ToJwt()
			if err != nil {
				t.Fatal(err)
			}
			s, err := e.tryDialToken(identity, signed)
			if err != nil {
				t.Fatal(err)
			}
			s.t = t
			registerDevice(s, channel, device, "twilio.conversations.new_message", "twilio.conversations.added_to_conversation")
		}
		register("alice", *fcmCred.Sid, "fcm", "fcm-alice")
		register("bob", *apnCred.Sid, "apn", "apns-bob")
		register("bob", *fcmCred.Sid, "fcm", "fcm-bob")
		register("carol", *fcmCred.Sid, "fcm", "fcm-carol")
		register("dave", *fcmCred.Sid, "fcm", "fcm-dave")
		register("erin", *fcmCred.Sid, "fcm", "fcm-erin")
		register("frank", "", "fcm", "sim-frank")

		_, err = api.UpdateServiceNotification(service, (&conv.UpdateServiceNotificationParams{}).
			SetNewMessageEnabled(true).SetNewMessageTemplate("${PARTICIPANT} in ${CONVERSATION}: ${MESSAGE}").
			SetNewMessageSound("ping").SetNewMessageBadgeCountEnabled(true))
		if err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation((&conv.CreateConversationParams{}).SetFriendlyName("Team"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
			if _, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).SetIdentity(id)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := api.UpdateServiceUserConversation(service, "carol", *c.Sid,
			(&conv.UpdateServiceUserConversationParams{}).SetNotificationLevel("muted")); err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationMessage(*c.Sid, (&conv.CreateConversationMessageParams{}).
			SetAuthor("alice").SetBody("lunch?")); err != nil {
			t.Fatal(err)
		}

		// bob (APNs and FCM), dave (invalid), erin (retried) and frank
		// (simulated) are notified; alice wrote it and carol muted it.
		got := pushes(t, e, func(got []pushDelivery) bool {
			settled := len(got) == 5
			for _, d := range got {
				settled = settled && d.Outcome != "retrying"
			}
			return settled
		})
		sort.Slice(got, func(i, j int) bool { return got[i].Endpoint < got[j].Endpoint })
		var summary []string
		for _, d := range got {
			summary = append(summary, fmt.Sprintf("%s %s %s %s x%d", d.Endpoint, d.Transport, d.Kind, d.Outcome, d.Attempts))
			if d.Body != "alice in Team: lunch?" {
				t.Errorf("%s: body %q", d.Endpoint, d.Body)
			}
		}
		want := []string{
			"apns-bob apns new_message sent x1",
			"fcm-bob fcm new_message sent x1",
			"fcm-dave fcm new_message invalid_token x1",
			"fcm-erin fcm new_message sent x2",
			"sim-frank simulator new_message sent x1",
		}
		if strings.Join(summary, "\n") != strings.Join(want, "\n") {
			t.Fatalf("push deliveries:\n%s\nwant:\n%s", strings.Join(summary, "\n"), strings.Join(want, "\n"))
		}
		for _, s := range fcm.Sent() {
			if s.Token == "fcm-alice" || s.Token == "fcm-carol" {
				t.Errorf("FCM got a push for %s", s.Token)
			}
		}

		// The invalid token's binding is gone; the others stay.
		bindings, err := api.ListServiceBinding(service, (&conv.ListServiceBindingParams{}).SetIdentity([]string{"dave", "bob"}))
		if err != nil {
			t.Fatal(err)
		}
		var endpoints []string
		for _, b := range bindings {
			endpoints = append(endpoints, *b.Endpoint)
		}
		sort.Strings(endpoints)
		if strings.Join(endpoints, " ") != "apns-bob fcm-bob" {
			t.Errorf("bindings of bob and dave: %v", endpoints)
		}

		// What APNs received: the topic of the certificate, an alert with
		// the template's body, the sound and bob's one unread conversation.
		sent := apns.Sent()
		if len(sent) != 1 || sent[0].Token != "apns-bob" || sent[0].Headers.Get("apns-topic") != "com.example.chat" ||
			sent[0].Headers.Get("apns-push-type") != "alert" {
			t.Fatalf("APNs received %+v", sent)
		}
		aps, _ := sent[0].Body["aps"].(map[string]any)
		if aps["badge"] != float64(1) || aps["sound"] != "ping" {
			t.Errorf("aps = %v", aps)
		}

		// The official SDK's parser reads both payloads.
		var fcmBody map[string]any
		for _, s := range fcm.Sent() {
			if s.Token == "fcm-bob" {
				fcmBody = s.Body["message"].(map[string]any)
			}
		}
		for name, payload := range map[string]any{"apns": sent[0].Body, "fcm": map[string]any{"data": fcmBody["data"]}} {
			parsed := parsePush(t, payload)
			if parsed["type"] != "twilio.conversations.new_message" || parsed["body"] != "alice in Team: lunch?" {
				t.Errorf("%s parsed as %v", name, parsed)
			}
			data, _ := parsed["data"].(map[string]any)
			if data["conversationSid"] != *c.Sid || data["conversationTitle"] != "Team" || data["messageIndex"] != float64(0) {
				t.Errorf("%s data parsed as %v", name, data)
			}
		}
	})
}

// parsePush runs the official SDK's Client.parsePushNotification on payload.
func parsePush(t *testing.T, payload any) map[string]any {
	t.Helper()
	requireSDK(t)
	in, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", "--input-type=module", "-e", `
import { Client } from "@twilio/conversations";
let input = "";
for await (const chunk of process.stdin) input += chunk;
console.log(JSON.stringify(Client.parsePushNotification(JSON.parse(input))));`)
	cmd.Dir = "node"
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("parsePushNotification: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var parsed map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &parsed); err != nil {
		t.Fatalf("parsePushNotification printed %s: %v", out, err)
	}
	return parsed
}

// TestPushMembershipNotifications: a chat user added to and removed from
// a conversation is notified on the devices registered for those kinds,
// with the service's templates; a device registered without a credential
// is served by the simulator, whose record shows the payload an FCM
// device would have received.
func TestPushMembershipNotifications(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		service := defaultService(t, e)
		s := e.dial(t, "frank")
		registerDevice(s, "fcm", "sim-frank", "twilio.conversations.added_to_conversation", "twilio.conversations.removed_from_conversation")
		if _, err := api.UpdateServiceNotification(service, (&conv.UpdateServiceNotificationParams{}).
			SetAddedToConversationEnabled(true).SetAddedToConversationTemplate("Welcome to ${CONVERSATION}").
			SetRemovedFromConversationEnabled(true).SetNewMessageEnabled(true)); err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation((&conv.CreateConversationParams{}).SetUniqueName("ops-room"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).SetIdentity("frank"))
		if err != nil {
			t.Fatal(err)
		}
		// A new message is not pushed to frank: his device did not
		// register for new_message.
		if _, err := api.CreateConversationMessage(*c.Sid, (&conv.CreateConversationMessageParams{}).SetAuthor("gina").SetBody("hi")); err != nil {
			t.Fatal(err)
		}
		if err := api.DeleteConversationParticipant(*c.Sid, *p.Sid, nil); err != nil {
			t.Fatal(err)
		}
		got := pushes(t, e, func(got []pushDelivery) bool { return len(got) >= 2 })
		var summary []string
		for _, d := range got {
			summary = append(summary, d.Kind+" "+d.Transport+" "+d.Outcome+": "+d.Body)
		}
		sort.Strings(summary) // send jobs run concurrently: no order between them
		want := "added_to_conversation simulator sent: Welcome to ops-room\n" +
			"removed_from_conversation simulator sent: You have been removed from ops-room"
		if strings.Join(summary, "\n") != want {
			t.Fatalf("push deliveries:\n%s\nwant:\n%s", strings.Join(summary, "\n"), want)
		}
		removal := got[0]
		if removal.Kind != "removed_from_conversation" {
			removal = got[1]
		}
		var request struct {
			Data map[string]string `json:"data"`
		}
		if removal.Request == nil || json.Unmarshal([]byte(*removal.Request), &request) != nil ||
			request.Data["twi_message_type"] != "twilio.conversations.removed_from_conversation" ||
			request.Data["conversation_sid"] != *c.Sid {
			t.Errorf("simulated payload: %v", removal.Request)
		}
	})
}

// TestPushSurvivesRestart: a push whose service could not be reached is
// still in the outbox after Parley restarts, and is delivered once when
// the service is back.
func TestPushSurvivesRestart(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fcm := pushtest.NewFCM(t, nil)
		e := startServer(t, engine, func(c *server.Config) {
			c.PushFCMURL = fcm.Server.URL
			c.WebhookBackoff = 200 * time.Millisecond
			c.JobLease = time.Second
		})
		api := e.Twilio().ConversationsV1
		cred, err := api.CreateCredential((&conv.CreateCredentialParams{}).SetType("fcm").SetSecret(fcm.ServiceAccount()))
		if err != nil {
			t.Fatal(err)
		}
		service := defaultService(t, e)
		tok := jwt.CreateAccessToken(jwt.AccessTokenParams{AccountSid: e.AccountSID, SigningKeySid: e.keySID,
			Secret: e.secret, Identity: "bob"})
		tok.AddGrant(&jwt.ChatGrant{PushCredentialSid: *cred.Sid})
		signed, _ := tok.ToJwt()
		s, err := e.tryDialToken("bob", signed)
		if err != nil {
			t.Fatal(err)
		}
		s.t = t
		registerDevice(s, "fcm", "fcm-bob")
		s.ws.CloseNow() // the device is in the background from here on
		if _, err := api.UpdateServiceNotification(service, (&conv.UpdateServiceNotificationParams{}).SetNewMessageEnabled(true)); err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).SetIdentity("bob")); err != nil {
			t.Fatal(err)
		}
		cfgBefore := e.Config()
		fcm.Restart(t, func() {
			if _, err := api.CreateConversationMessage(*c.Sid, (&conv.CreateConversationMessageParams{}).SetAuthor("alice").SetBody("are you there?")); err != nil {
				t.Fatal(err)
			}
			// The first attempt finds FCM down; Parley stops before the next.
			waitPush(t, e, func(d pushDelivery) bool { return d.Outcome == "retrying" })
			e.Stop()
		})
		again := &sdkEnv{Env: apitest.StartConfig(t, engine, cfgBefore), keySID: e.keySID, secret: e.secret}
		d := waitPush(t, again, func(d pushDelivery) bool { return d.Outcome != "retrying" })
		if d.Outcome != "sent" || d.Attempts < 2 {
			t.Errorf("after the restart: %+v", d)
		}
		if sent := fcm.Sent(); len(sent) != 1 || sent[0].Token != "fcm-bob" {
			t.Errorf("FCM received %d pushes: %+v", len(sent), sent)
		}
	})
}

// defaultService is the account's default Conversation Service.
func defaultService(t testing.TB, e *sdkEnv) string {
	t.Helper()
	cfg, err := e.Twilio().ConversationsV1.FetchConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	return *cfg.DefaultChatServiceSid
}

// registerDevice registers a device of s's user for push notifications of
// messageTypes (none: every type), as the SDK's setPushRegistrationId does.
func registerDevice(s *sock, channel, device string, messageTypes ...string) {
	s.t.Helper()
	types, _ := json.Marshal(append([]string{}, messageTypes...))
	body := fmt.Sprintf(`{"endpoint_platform":"test","channel_type":%q,"version":"3","message_types":%s,"data":{"registration_id":%q}}`,
		channel, types, device)
	if code := s.call("POST", "/v1/registrations?productId=ip_messaging", body, nil); code != 200 {
		s.t.Fatalf("register %s: %d", device, code)
	}
}

// waitPush waits for the newest push record to satisfy ok, and returns it.
func waitPush(t *testing.T, e *sdkEnv, ok func(pushDelivery) bool) pushDelivery {
	t.Helper()
	return pushes(t, e, func(ds []pushDelivery) bool { return len(ds) > 0 && ok(ds[0]) })[0]
}

// pushes waits until the push records (newest first) satisfy ok, and
// returns them; the test fails after 20 s.
func pushes(t *testing.T, e *sdkEnv, ok func([]pushDelivery) bool) []pushDelivery {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var page struct {
			Deliveries []pushDelivery `json:"deliveries"`
		}
		r := e.Do("GET", "/parley/v1/PushDeliveries", nil)
		if err := json.Unmarshal(r.Body, &page); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		if ok(page.Deliveries) {
			return page.Deliveries
		}
		if time.Now().After(deadline) {
			t.Fatalf("push records: %+v", page.Deliveries)
		}
	}
}

// TestPushChatNotifications: an action through Chat (/v2) pushes as Chat
// does: Chat's Notifications.* settings and placeholders, and
// twilio.channel.* message types with channel_sid; the Conversations
// configuration (off here) governs actions through /v1.
func TestPushChatNotifications(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		service := defaultService(t, e)
		s := e.dial(t, "bob")
		registerDevice(s, "apn", "sim-bob", "twilio.channel.new_message", "twilio.channel.invited_to_channel")
		if r := e.Do("POST", "/v2/Services/"+service, url.Values{"Notifications.NewMessage.Enabled": {"true"},
			"Notifications.NewMessage.Template": {"${USER} said ${MESSAGE} in ${CHANNEL}"},
			"Notifications.NewMessage.Sound":    {"chime"}, "Notifications.InvitedToChannel.Enabled": {"true"},
			"Notifications.InvitedToChannel.Template": {"Join ${CHANNEL}"}}); r.Status != 200 {
			t.Fatalf("Chat service update: %s", r)
		}
		ch := e.Do("POST", "/v2/Services/"+service+"/Channels", url.Values{"FriendlyName": {"general"}, "Type": {"private"}})
		var channel struct {
			SID string `json:"sid"`
		}
		if err := json.Unmarshal(ch.Body, &channel); err != nil || ch.Status != 201 {
			t.Fatalf("channel: %s", ch)
		}
		for _, id := range []string{"alice", "bob"} {
			if r := e.Do("POST", "/v2/Services/"+service+"/Channels/"+channel.SID+"/Members", url.Values{"Identity": {id}}); r.Status != 201 {
				t.Fatalf("member %s: %s", id, r)
			}
		}
		// Through /v1 first: Conversations' configuration is off.
		if _, err := api.CreateConversationMessage(channel.SID, (&conv.CreateConversationMessageParams{}).SetAuthor("alice").SetBody("v1")); err != nil {
			t.Fatal(err)
		}
		if r := e.Do("POST", "/v2/Services/"+service+"/Channels/"+channel.SID+"/Messages", url.Values{"From": {"alice"}, "Body": {"hi"}}); r.Status != 201 {
			t.Fatalf("Chat message: %s", r)
		}
		d := waitPush(t, e, func(pushDelivery) bool { return true })
		if d.Body != "alice said hi in general" || d.Transport != "simulator" || d.Identity != "bob" {
			t.Fatalf("push: %+v", d)
		}
		var payload map[string]any
		if d.Request == nil || json.Unmarshal([]byte(*d.Request), &payload) != nil {
			t.Fatalf("request: %v", d.Request)
		}
		aps, _ := payload["aps"].(map[string]any)
		if payload["twi_message_type"] != "twilio.channel.new_message" || payload["channel_sid"] != channel.SID || aps["sound"] != "chime" {
			t.Errorf("APNs payload: %v", payload)
		}
		time.Sleep(300 * time.Millisecond) // a push of the /v1 message would have been recorded by now
		if all := pushes(t, e, func([]pushDelivery) bool { return true }); len(all) != 1 {
			t.Errorf("%d pushes, want the Chat message's only: %+v", len(all), all)
		}

		// An invite (Chat's alone) pushes to the invited user.
		other := e.Do("POST", "/v2/Services/"+service+"/Channels", url.Values{"FriendlyName": {"random"}, "Type": {"private"}})
		if err := json.Unmarshal(other.Body, &channel); err != nil || other.Status != 201 {
			t.Fatalf("channel: %s", other)
		}
		if r := e.Do("POST", "/v2/Services/"+service+"/Channels/"+channel.SID+"/Invites", url.Values{"Identity": {"bob"}}); r.Status != 201 {
			t.Fatalf("invite: %s", r)
		}
		d = waitPush(t, e, func(d pushDelivery) bool { return d.Kind == "invited_to_channel" })
		if d.Body != "Join random" || d.Identity != "bob" || d.Request == nil || !strings.Contains(*d.Request, `"twi_message_type":"twilio.channel.invited_to_channel"`) {
			t.Errorf("invite push: %+v", d)
		}
	})
}
