package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	twclient "github.com/twilio/twilio-go/client"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// refOf returns a pointer to v, for twilio-go's optional parameters.
func refOf[T any](v T) *T { return &v }

// restError extracts the HTTP status and Twilio code of a twilio-go error.
func restError(t *testing.T, err error) (status, code int) {
	t.Helper()
	var te *twclient.TwilioRestError
	if !errors.As(err, &te) {
		t.Fatalf("want a Twilio REST error, got %v", err)
	}
	return te.Status, te.Code
}

// wantRestError fails the test unless err is the given Twilio error.
func wantRestError(t *testing.T, what string, err error, status, code int) {
	t.Helper()
	if gotStatus, gotCode := restError(t, err); gotStatus != status || gotCode != code {
		t.Errorf("%s: %d/%d, want %d/%d", what, gotStatus, gotCode, status, code)
	}
}

// rawCode decodes the Twilio error code of a raw response.
func rawCode(t *testing.T, resp apitest.Response) int {
	t.Helper()
	var body struct {
		Code int `json:"code"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatalf("error body: %v: %s", err, resp.Body)
	}
	return body.Code
}

// newService creates a service through Conversations: a Chat service is the
// same row.
func newService(t *testing.T, env *apitest.Env) string {
	t.Helper()
	svc, err := env.Twilio().ConversationsV1.CreateService(&conv.CreateServiceParams{FriendlyName: refOf("chat")})
	if err != nil {
		t.Fatal(err)
	}
	return *svc.Sid
}

// newChannel creates a conversation (a Chat channel) through Conversations
// with the given identities as participants.
func newChannel(t *testing.T, env *apitest.Env, service, uniqueName string, identities ...string) string {
	t.Helper()
	api := env.Twilio().ConversationsV1
	c, err := api.CreateServiceConversation(service, &conv.CreateServiceConversationParams{UniqueName: &uniqueName})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range identities {
		_, err := api.CreateServiceConversationParticipant(service, *c.Sid,
			&conv.CreateServiceConversationParticipantParams{Identity: refOf(id)})
		if err != nil {
			t.Fatal(err)
		}
	}
	return *c.Sid
}

// storeBinding stores a push binding directly: REST cannot create one (the
// SDK registers them).
func storeBinding(t *testing.T, env *apitest.Env, service, identity, typ string) *parley.Binding {
	t.Helper()
	credential := parley.NewSID("CR")
	b := &parley.Binding{SID: parley.NewSID(parley.PrefixBinding), AccountSID: env.AccountSID, ServiceSID: service,
		CredentialSID: &credential, Endpoint: fmt.Sprintf("%s-endpoint-%s", identity, typ), Identity: identity,
		BindingType: typ, MessageTypes: []string{"new_message", "added_to_channel"}}
	err := env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
		b.DateCreated, b.DateUpdated = tx.Now(), tx.Now()
		return tx.CreateBinding(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
