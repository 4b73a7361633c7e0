package conversations_test

import (
	"errors"
	"fmt"
	"testing"

	twclient "github.com/twilio/twilio-go/client"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func ptr[T any](v T) *T { return &v }

// twilioCode extracts the Twilio error code from a twilio-go error.
func twilioCode(t *testing.T, err error) (status, code int) {
	t.Helper()
	var te *twclient.TwilioRestError
	if !errors.As(err, &te) {
		t.Fatalf("want a Twilio REST error, got %v", err)
	}
	return te.Status, te.Code
}

// TestNewcomer is the README's promise, through the official helper library:
// create a conversation, add two participants, post five messages, page
// through them two at a time, fetch by unique name, delete.
func TestNewcomer(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1

		c, err := api.CreateConversation(&conv.CreateConversationParams{
			FriendlyName: ptr("Support"), UniqueName: ptr("support-42"), Attributes: ptr(`{"topic":"billing"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *c.State, "active"; got != want {
			t.Errorf("state = %q, want %q", got, want)
		}
		for _, identity := range []string{"alice", "bob"} {
			p, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr(identity)})
			if err != nil {
				t.Fatal(err)
			}
			if p.RoleSid == nil {
				t.Errorf("participant %s has no role", identity)
			}
		}
		for i := 0; i < 5; i++ {
			m, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{
				Author: ptr("alice"), Body: ptr(fmt.Sprintf("message %d", i))})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := m.Index, i; got != want {
				t.Errorf("index = %d, want %d", got, want)
			}
			if m.ParticipantSid == nil {
				t.Errorf("message by participant alice has no participant_sid")
			}
		}

		// Three pages by hand, following next_page_url's token.
		var pages [][]string
		token, number := "", ""
		for {
			page, err := api.PageConversationMessage(*c.Sid, &conv.ListConversationMessageParams{PageSize: ptr(2)}, token, number)
			if err != nil {
				t.Fatal(err)
			}
			var bodies []string
			for _, m := range page.Messages {
				bodies = append(bodies, *m.Body)
			}
			pages = append(pages, bodies)
			if page.Meta.NextPageUrl == nil {
				break
			}
			token, number = pageToken(t, *page.Meta.NextPageUrl)
		}
		if got, want := fmt.Sprint(pages), "[[message 0 message 1] [message 2 message 3] [message 4]]"; got != want {
			t.Errorf("pages = %s, want %s", got, want)
		}

		// The helper's auto-paging returns all five in order.
		all, err := api.ListConversationMessage(*c.Sid, &conv.ListConversationMessageParams{PageSize: ptr(2)})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 5 {
			t.Fatalf("auto-paging returned %d messages, want 5", len(all))
		}
		for i, m := range all {
			if m.Index != i {
				t.Errorf("message %d has index %d", i, m.Index)
			}
		}

		first, err := api.FetchConversationMessage(*c.Sid, *all[0].Sid)
		if err != nil || *first.Body != "message 0" {
			t.Fatalf("fetch message: %v %v", first, err)
		}
		renamed, err := api.UpdateConversation("support-42", &conv.UpdateConversationParams{FriendlyName: ptr("Support (billing)")})
		if err != nil || *renamed.FriendlyName != "Support (billing)" || *renamed.Attributes != `{"topic":"billing"}` {
			t.Fatalf("update conversation: %v %v", renamed, err)
		}

		byName, err := api.FetchConversation("support-42")
		if err != nil {
			t.Fatal(err)
		}
		if *byName.Sid != *c.Sid {
			t.Errorf("fetch by unique name returned %s, want %s", *byName.Sid, *c.Sid)
		}
		if err := api.DeleteConversation(*c.Sid, nil); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchConversation(*c.Sid)
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("after delete: %d/%d, want 404/20404", status, code)
		}
	})
}
