package core

import "testing"

func TestRenderTemplate(t *testing.T) {
	vars := map[string]string{"PARTICIPANT": "alice", "MESSAGE": "hi ${CONVERSATION}", "CONVERSATION": "Team"}
	for _, tc := range []struct{ template, want string }{
		{"${PARTICIPANT}: ${MESSAGE}", "alice: hi ${CONVERSATION}"}, // values are not templates
		{"${PARTICIPANT} in ${CONVERSATION}", "alice in Team"},
		{"${UNKNOWN} stays", "${UNKNOWN} stays"},
		{"no placeholder", "no placeholder"},
		{"unclosed ${PARTICIPANT", "unclosed ${PARTICIPANT"},
		{"$PARTICIPANT ${}", "$PARTICIPANT ${}"},
		{"", ""},
	} {
		if got := renderTemplate(tc.template, vars); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.template, got, tc.want)
		}
	}
}

func TestPushMessageType(t *testing.T) {
	for _, tc := range []struct {
		chat       bool
		kind, want string
	}{
		{false, "new_message", "twilio.conversations.new_message"},
		{false, "removed_from_conversation", "twilio.conversations.removed_from_conversation"},
		{true, "new_message", "twilio.channel.new_message"},
		{true, "added_to_conversation", "twilio.channel.added_to_channel"},
	} {
		if got := pushMessageType(tc.chat, tc.kind); got != tc.want {
			t.Errorf("%v %s: %s, want %s", tc.chat, tc.kind, got, tc.want)
		}
	}
}
