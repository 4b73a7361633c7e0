package conversations_test

import (
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestServiceNotifications(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("push")})
		if err != nil {
			t.Fatal(err)
		}
		path := "/v1/Services/" + *svc.Sid + "/Configuration/Notifications"
		shape := func(b map[string]any) string {
			return compactJSON(t, map[string]any{"new_message": b["new_message"], "added_to_conversation": b["added_to_conversation"],
				"removed_from_conversation": b["removed_from_conversation"], "log_enabled": b["log_enabled"]})
		}

		// Never configured: everything disabled, every field present.
		resp := env.Do("GET", path, nil)
		expectStatus(t, resp, 200)
		want := `{"added_to_conversation":{"enabled":false,"sound":null,"template":null},"log_enabled":false,` +
			`"new_message":{"badge_count_enabled":false,"enabled":false,"sound":null,"template":null,"with_media":{"enabled":false,"template":null}},` +
			`"removed_from_conversation":{"enabled":false,"sound":null,"template":null}}`
		if got := shape(bodyOf(t, resp)); got != want {
			t.Errorf("defaults = %s\nwant %s", got, want)
		}

		n, err := api.UpdateServiceNotification(*svc.Sid, &conv.UpdateServiceNotificationParams{
			NewMessageEnabled: ptr(true), NewMessageTemplate: ptr("${PARTICIPANT}: ${MESSAGE}"), NewMessageSound: ptr("ring"),
			NewMessageBadgeCountEnabled: ptr(true), NewMessageWithMediaEnabled: ptr(true),
			NewMessageWithMediaTemplate: ptr("${PARTICIPANT} sent ${MEDIA_COUNT} files"),
			AddedToConversationEnabled:  ptr(true), AddedToConversationTemplate: ptr("Added to ${CONVERSATION}"),
			AddedToConversationSound: ptr("chime"), RemovedFromConversationEnabled: ptr(true),
			RemovedFromConversationTemplate: ptr("Removed from ${CONVERSATION}"), RemovedFromConversationSound: ptr("low"),
			LogEnabled: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if *n.ChatServiceSid != *svc.Sid || !*n.LogEnabled {
			t.Errorf("update = %+v", n)
		}
		want = `{"added_to_conversation":{"enabled":true,"sound":"chime","template":"Added to ${CONVERSATION}"},"log_enabled":true,` +
			`"new_message":{"badge_count_enabled":true,"enabled":true,"sound":"ring","template":"${PARTICIPANT}: ${MESSAGE}",` +
			`"with_media":{"enabled":true,"template":"${PARTICIPANT} sent ${MEDIA_COUNT} files"}},` +
			`"removed_from_conversation":{"enabled":true,"sound":"low","template":"Removed from ${CONVERSATION}"}}`
		if got := compactJSON(t, map[string]any{"new_message": *n.NewMessage, "added_to_conversation": *n.AddedToConversation,
			"removed_from_conversation": *n.RemovedFromConversation, "log_enabled": *n.LogEnabled}); got != want {
			t.Errorf("after update = %s\nwant %s", got, want)
		}

		// A partial update keeps what it does not name; bad input changes nothing.
		expectStatus(t, env.Do("POST", path, formOf("NewMessage.Enabled", "false")), 200)
		expectError(t, env.Do("POST", path, formOf("AddedToConversation.Enabled", "maybe", "LogEnabled", "false")), 400, 20001)
		fetched, err := api.FetchServiceNotification(*svc.Sid)
		if err != nil {
			t.Fatal(err)
		}
		nm := (*fetched.NewMessage).(map[string]any)
		if nm["enabled"] != false || nm["sound"] != "ring" || !*fetched.LogEnabled {
			t.Errorf("after partial and rejected updates: %+v, log %v", nm, *fetched.LogEnabled)
		}
		expectError(t, env.Do("GET", "/v1/Services/IS00000000000000000000000000000000/Configuration/Notifications", nil), 404, 20404)
	})
}
