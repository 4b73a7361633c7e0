package apitest

import (
	"testing"

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
