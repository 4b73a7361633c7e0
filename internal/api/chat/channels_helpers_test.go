package chat_test

import (
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// wantCode fails unless err is a Twilio error with the given status and code.
func wantCode(t *testing.T, err error, status, code int) {
	t.Helper()
	if gotStatus, gotCode := restError(t, err); gotStatus != status || gotCode != code {
		t.Errorf("got %d/%d, want %d/%d (%v)", gotStatus, gotCode, status, code, err)
	}
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
