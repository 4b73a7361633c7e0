package chat_test

import (
	"errors"
	"testing"

	twclient "github.com/twilio/twilio-go/client"
	chat "github.com/twilio/twilio-go/rest/chat/v2"

	"github.com/parley-dev/parley/internal/apitest"
)

func ptr[T any](v T) *T { return &v }

// twilioCode extracts the HTTP status and Twilio error code of a twilio-go error.
func twilioCode(t *testing.T, err error) (status, code int) {
	t.Helper()
	var te *twclient.TwilioRestError
	if !errors.As(err, &te) {
		t.Fatalf("want a Twilio REST error, got %v", err)
	}
	return te.Status, te.Code
}

// wantCode fails unless err is a Twilio error with the given status and code.
func wantCode(t *testing.T, err error, status, code int) {
	t.Helper()
	if gotStatus, gotCode := twilioCode(t, err); gotStatus != status || gotCode != code {
		t.Errorf("got %d/%d, want %d/%d (%v)", gotStatus, gotCode, status, code, err)
	}
}

// newService creates a Chat service and returns its SID.
func newService(t *testing.T, env *apitest.Env) string {
	t.Helper()
	s, err := env.Twilio().ChatV2.CreateService(&chat.CreateServiceParams{FriendlyName: ptr("chat")})
	if err != nil {
		t.Fatal(err)
	}
	return *s.Sid
}

// channelCounts fetches a channel's member and message counters.
func channelCounts(t *testing.T, env *apitest.Env, svc, ch string) (members, messages int) {
	t.Helper()
	c, err := env.Twilio().ChatV2.FetchChannel(svc, ch)
	if err != nil {
		t.Fatal(err)
	}
	return c.MembersCount, c.MessagesCount
}
