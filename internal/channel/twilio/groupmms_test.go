package twilio_test

import (
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// TestTwilioGroupMMS: Twilio's Messages API takes one recipient per
// message, so a group MMS through the Twilio adapter is not sent: each
// phone's receipt fails with 21653 and the Messages API is not called.
func TestTwilioGroupMMS(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeTwilio(t)
		env := apitest.Start(t, engine, fake.sms)
		api := env.Twilio().ConversationsV1
		phones := []string{"+15558675310", "+15558675311"}
		ch := env.GroupConversation(t, env.GroupMessagingService(t, proxy), "agent", proxy, phones)
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hello"))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := api.ListConversationParticipant(ch, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Identity != nil {
				continue
			}
			if r := env.WaitReceipt(t, ch, *m.Sid, *p.Sid, "failed"); r.ErrorCode != parley.GroupUnsupportedCode {
				t.Errorf("receipt of %s: error_code %d, want %d", *p.Sid, r.ErrorCode, parley.GroupUnsupportedCode)
			}
		}
		fake.mu.Lock()
		defer fake.mu.Unlock()
		if len(fake.sent) != 0 {
			t.Errorf("the Messages API was called: %v", fake.sent)
		}
	})
}
