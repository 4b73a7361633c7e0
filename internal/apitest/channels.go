package apitest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	api "github.com/twilio/twilio-go/rest/api/v2010"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"
)

// MessagingConversation creates a Messaging Service (named name) and a
// conversation through it, so non-chat participants can join, and returns
// both SIDs.
func (e *Env) MessagingConversation(t testing.TB, name string) (messagingServiceSID, conversationSID string) {
	t.Helper()
	svc, err := e.Twilio().MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName(name))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Twilio().ConversationsV1.CreateConversation((&conv.CreateConversationParams{}).SetMessagingServiceSid(*svc.Sid))
	if err != nil {
		t.Fatal(err)
	}
	return *svc.Sid, *c.Sid
}

// AddPhone adds a non-chat participant at address (E.164 or whatsapp:…)
// through proxyAddress to a conversation and returns its SID.
func (e *Env) AddPhone(t testing.TB, conversationSID, address, proxyAddress string) string {
	t.Helper()
	p, err := e.Twilio().ConversationsV1.CreateConversationParticipant(conversationSID, (&conv.CreateConversationParticipantParams{}).
		SetMessagingBindingAddress(address).SetMessagingBindingProxyAddress(proxyAddress))
	if err != nil {
		t.Fatal(err)
	}
	return *p.Sid
}

// UploadMedia stores content as a media file of the conversation's service
// through the media service, with account credentials, and returns its SID
// (for a message's MediaSid).
func (e *Env) UploadMedia(t testing.TB, conversationSID, contentType string, content []byte) string {
	t.Helper()
	c, err := e.Twilio().ConversationsV1.FetchConversation(conversationSID)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", e.URL+"/mcs/v1/Services/"+*c.ChatServiceSid+"/Media", bytes.NewReader(content))
	req.SetBasicAuth(e.AccountSID, e.AuthToken)
	req.Header.Set("Content-Type", contentType)
	resp, err := (&http.Client{Transport: e.Checking(nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		SID string `json:"sid"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 201 {
		t.Fatalf("media upload: %d %v", resp.StatusCode, err)
	}
	return m.SID
}

// GroupMessagingService provisions number (E.164) for the account and puts
// it in a new Messaging Service's sender pool, whose SID it returns.
func (e *Env) GroupMessagingService(t testing.TB, number string) string {
	t.Helper()
	tw := e.Twilio()
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

// GroupConversation creates a group MMS conversation through Messaging
// Service mg: the chat user identity projected as projectedAddress, and
// the phones, added with only their address. It returns its SID.
func (e *Env) GroupConversation(t testing.TB, mg, identity, projectedAddress string, phones []string) string {
	t.Helper()
	api := e.Twilio().ConversationsV1
	c, err := api.CreateConversation((&conv.CreateConversationParams{}).SetMessagingServiceSid(mg))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).
		SetIdentity(identity).SetMessagingBindingProjectedAddress(projectedAddress)); err != nil {
		t.Fatal(err)
	}
	for _, phone := range phones {
		if _, err := api.CreateConversationParticipant(*c.Sid, (&conv.CreateConversationParticipantParams{}).
			SetMessagingBindingAddress(phone)); err != nil {
			t.Fatal(err)
		}
	}
	return *c.Sid
}

// Receipt is a message's delivery receipt as twilio-go reads it.
type Receipt = conv.ConversationsV1ConversationMessageReceipt

// WaitReceipts polls the receipts of message msg of conversation ch until
// done accepts them, for 20 seconds at most, and returns them.
func (e *Env) WaitReceipts(t testing.TB, ch, msg string, done func([]Receipt) bool) []Receipt {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		list, err := e.Twilio().ConversationsV1.ListConversationMessageReceipt(ch, msg, nil)
		if err != nil {
			t.Fatal(err)
		}
		if done(list) {
			return list
		}
		if time.Now().After(deadline) {
			t.Fatalf("receipts of %s, still: %+v", msg, list)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitReceipt waits for the receipt of msg to participant to reach status.
func (e *Env) WaitReceipt(t testing.TB, ch, msg, participant, status string) Receipt {
	t.Helper()
	var found Receipt
	e.WaitReceipts(t, ch, msg, func(list []Receipt) bool {
		for _, r := range list {
			if *r.ParticipantSid == participant && *r.Status == status {
				found = r
				return true
			}
		}
		return false
	})
	return found
}
