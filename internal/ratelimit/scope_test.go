package ratelimit

import (
	"testing"
	"time"
)

func TestTwilioScope(t *testing.T) {
	const ch, is = "CH00000000000000000000000000000001", "IS00000000000000000000000000000001"
	cases := []struct {
		method, pattern, path string
		scope                 scope
		id                    string
	}{
		{"POST", "/v1/Conversations", "/v1/Conversations", perService, "default"},
		{"POST", "/v1/Services/{ChatServiceSid}/Conversations", "/v1/Services/" + is + "/Conversations", perService, is},
		{"POST", "/v1/Conversations/{Sid}", "/v1/Conversations/" + ch, perConversation, ch},
		{"DELETE", "/v1/Conversations/{Sid}", "/v1/Conversations/" + ch, perService, "default"},
		{"GET", "/v1/Conversations/{Sid}", "/v1/Conversations/" + ch, noScope, ""},
		{"POST", "/v1/Conversations/{ConversationSid}/Messages", "/v1/Conversations/" + ch + "/Messages", perConversation, ch},
		{"POST", "/v1/Conversations/{ConversationSid}/Messages/{Sid}", "/v1/Conversations/" + ch + "/Messages/IMx", perConversation, ch},
		{"DELETE", "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Participants/{Sid}", "/v1/Services/" + is + "/Conversations/" + ch + "/Participants/MBx", perConversation, ch},
		{"POST", "/v1/Conversations/{ConversationSid}/Webhooks", "/v1/Conversations/" + ch + "/Webhooks", noScope, ""},
		{"POST", "/v1/ConversationWithParticipants", "/v1/ConversationWithParticipants", perService, "default"},
		{"POST", "/v1/Users", "/v1/Users", perService, "default"},
		{"POST", "/v1/Roles/{Sid}", "/v1/Roles/RLx", perService, "default"},
		{"POST", "/v1/Users/{UserSid}/Conversations/{ConversationSid}", "/v1/Users/USx/Conversations/" + ch, noScope, ""},
		{"POST", "/v1/Services", "/v1/Services", noScope, ""},
		{"POST", "/v2/Services/{ServiceSid}/Channels", "/v2/Services/" + is + "/Channels", perService, is},
		{"POST", "/v2/Services/{ServiceSid}/Channels/{ChannelSid}/Invites", "/v2/Services/" + is + "/Channels/" + ch + "/Invites", perConversation, ch},
		{"POST", "/v3/Services/{ServiceSid}/Channels/{Sid}", "/v3/Services/" + is + "/Channels/" + ch, perConversation, ch},
		{"DELETE", "/v2/Services/{ServiceSid}/Bindings/{Sid}", "/v2/Services/" + is + "/Bindings/BSx", perService, is},
		{"DELETE", "/v2/Services/{ServiceSid}/Users/{UserSid}/Bindings/{Sid}", "/v2/Services/" + is + "/Users/USx/Bindings/BSx", noScope, ""},
	}
	for _, tc := range cases {
		sc, id := twilioScope(tc.method, tc.pattern, tc.path)
		if sc != tc.scope || id != tc.id {
			t.Errorf("%s %s: got %v %q, want %v %q", tc.method, tc.pattern, sc, id, tc.scope, tc.id)
		}
	}
}

func TestBucket(t *testing.T) {
	var bs buckets
	now := time.Unix(0, 0)
	k := []limitKey{{key: "a", rate: 10, burst: 2}}
	for i := range 2 {
		if w, _ := bs.take(now, k); w != 0 {
			t.Fatalf("request %d waited %v within the burst", i, w)
		}
	}
	if w, _ := bs.take(now, k); w != 100*time.Millisecond {
		t.Fatalf("over the burst: wait %v, want 100ms", w)
	}
	if w, _ := bs.take(now.Add(100*time.Millisecond), k); w != 0 {
		t.Fatalf("after the refill: wait %v", w)
	}
	// A refused request takes nothing from the other buckets.
	both := []limitKey{{key: "b", rate: 1, burst: 5}, k[0]}
	if w, _ := bs.take(now.Add(100*time.Millisecond), both); w == 0 {
		t.Fatal("an empty bucket admitted a request")
	}
	if got := bs.byKey["b"].tokens; got != 5 {
		t.Fatalf("bucket b holds %v tokens after a refused request, want 5", got)
	}
}
