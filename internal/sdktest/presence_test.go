package sdktest

import (
	"slices"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

type presenceResult struct {
	Typing struct {
		Bob          []string `json:"bob"`
		Alice        []string `json:"alice"`
		EndedAfterMS int      `json:"endedAfterMs"`
		AliceSawOwn  int      `json:"aliceSawOwn"`
	} `json:"typing"`
	Horizon struct {
		Last              int64    `json:"last"`
		Calls             int      `json:"calls"`
		RosterEvents      int      `json:"rosterEvents"`
		UnreadAfterRead   []*int64 `json:"unreadAfterRead"`
		UnreadCount       *int64   `json:"unreadCount"`
		UnreadAfterUpdate *int64   `json:"unreadAfterUpdate"`
		UnreadAfterUnread *int64   `json:"unreadAfterUnread"`
	} `json:"horizon"`
	Reachability struct {
		BobOnlineAtStart bool     `json:"bobOnlineAtStart"`
		AliceOnline      bool     `json:"aliceOnline"`
		Reasons          []string `json:"reasons"`
	} `json:"reachability"`
}

// TestSDKTypingReadReachability: two unmodified SDK clients in one
// conversation. Alice's typing reaches Bob (started, then ended after the
// service's timeout) and never Alice; Bob's read horizon, moved message by
// message, then back, then cleared, reaches Alice as participantUpdated and
// reads the same over REST (participant, user conversation) and Chat
// (member); with reachability on, both are online while connected, and
// Alice sees Bob go offline when he shuts down, as REST does.
func TestSDKTypingReadReachability(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("presence")})
		if err != nil {
			t.Fatal(err)
		}
		sid, svc := *c.Sid, *c.ChatServiceSid
		on, typing := true, 1
		if _, err := api.UpdateServiceConfiguration(svc, &conv.UpdateServiceConfigurationParams{ReachabilityEnabled: &on}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Twilio().ChatV2.UpdateService(svc, &chat.UpdateServiceParams{TypingIndicatorTimeout: &typing}); err != nil {
			t.Fatal(err)
		}
		hook := apitest.NewReceiver(t, nil)
		method, filters := "POST", []string{"onUserUpdated"}
		wh := &conv.UpdateConfigurationWebhookParams{Method: &method, Filters: &filters}
		wh.SetPostWebhookUrl(hook.URL + "/post")
		if _, err := api.UpdateConfigurationWebhook(wh); err != nil {
			t.Fatal(err)
		}
		var bobSID string
		for _, who := range []string{"alice", "bob"} {
			p, err := api.CreateConversationParticipant(sid, &conv.CreateConversationParticipantParams{Identity: str(who)})
			if err != nil {
				t.Fatal(err)
			}
			if who == "bob" {
				bobSID = *p.Sid
			}
		}
		const messages, readTo = 8, 3
		// horizon checks Bob's read horizon and unread count over REST and
		// Chat: the SDK side waited for Alice to see it, so it is committed.
		horizon := func(step string, index, unread *int64) {
			t.Helper()
			p, err := api.FetchConversationParticipant(sid, bobSID)
			if err != nil {
				t.Fatal(err)
			}
			uc, err := api.FetchUserConversation("bob", sid)
			if err != nil {
				t.Fatal(err)
			}
			m, err := e.Twilio().ChatV2.FetchMember(svc, sid, bobSID)
			if err != nil {
				t.Fatal(err)
			}
			if !sameInt(p.LastReadMessageIndex, index) || !sameInt(m.LastConsumedMessageIndex, index) {
				t.Errorf("%s: REST last_read_message_index %v, Chat last_consumed_message_index %v; want %v",
					step, show(p.LastReadMessageIndex), show(m.LastConsumedMessageIndex), show64(index))
			}
			if !sameInt(uc.UnreadMessagesCount, unread) {
				t.Errorf("%s: REST unread_messages_count %v, want %v", step, show(uc.UnreadMessagesCount), show64(unread))
			}
		}
		online := func(step, identity string, want bool) {
			t.Helper()
			u, err := api.FetchUser(identity)
			if err != nil {
				t.Fatal(err)
			}
			cu, err := e.Twilio().ChatV2.FetchUser(svc, identity)
			if err != nil {
				t.Fatal(err)
			}
			if u.IsOnline == nil || *u.IsOnline != want || cu.IsOnline == nil || *cu.IsOnline != want {
				t.Errorf("%s: %s is_online REST %v, Chat %v; want %v", step, identity, showBool(u.IsOnline), showBool(cu.IsOnline), want)
			}
			if u.IsNotifiable == nil || *u.IsNotifiable {
				t.Errorf("%s: %s is_notifiable %v, want false (no push binding)", step, identity, showBool(u.IsNotifiable))
			}
		}
		i64 := func(v int64) *int64 { return &v }
		var got presenceResult
		cfg := e.config("alice")
		cfg["sid"], cfg["messages"], cfg["readTo"] = sid, messages, readTo
		steps := map[string]func(){
			"allRead": func() { horizon("all read", i64(messages-1), i64(0)) },
			"readTo":  func() { horizon("read to 3", i64(readTo), i64(messages-1-readTo)) },
			"unread":  func() { horizon("all unread", nil, nil) },
			"online": func() {
				online("both connected", "alice", true)
				online("both connected", "bob", true)
			},
			"offline": func() {
				online("bob shut down", "bob", false)
				online("bob shut down", "alice", true)
				// onUserUpdated: both came online, then bob went offline.
				var calls []string
				for range 3 {
					c := hook.Next()
					calls = append(calls, c.Params.Get("Identity")+" "+c.Params.Get("isOnline"))
				}
				slices.Sort(calls)
				if want := []string{"alice true", "bob false", "bob true"}; !slices.Equal(calls, want) {
					t.Errorf("onUserUpdated calls %v, want %v", calls, want)
				}
			},
		}
		runSteps(t, "presence", cfg, steps, &got)

		if !slices.Equal(got.Typing.Bob, []string{"started alice", "ended alice"}) || got.Typing.AliceSawOwn != 0 {
			t.Errorf("typing: bob saw %v, alice saw %v", got.Typing.Bob, got.Typing.Alice)
		}
		h := got.Horizon
		if h.Last != messages-1 || h.UnreadCount == nil || *h.UnreadCount != 0 {
			t.Errorf("horizon: last %d, getUnreadMessagesCount %v", h.Last, show64(h.UnreadCount))
		}
		if h.UnreadAfterUpdate == nil || *h.UnreadAfterUpdate != messages-1-readTo || h.UnreadAfterUnread != nil {
			t.Errorf("unread after updateLastReadMessageIndex(%d) %v (want %d), after setAllMessagesUnread %v (want null)",
				readTo, show64(h.UnreadAfterUpdate), messages-1-readTo, show64(h.UnreadAfterUnread))
		}
		for i, u := range h.UnreadAfterRead {
			if u == nil {
				t.Errorf("read call %d answered a null unread count", i)
			}
		}
		if h.RosterEvents > h.Calls {
			t.Errorf("%d roster events for %d horizon calls", h.RosterEvents, h.Calls)
		}
		t.Logf("read horizon: %d SDK calls while reading %d messages as they arrived, %d participantUpdated at the other client (%d writes and fan-outs saved)",
			h.Calls, messages, h.RosterEvents, h.Calls-h.RosterEvents)
		t.Logf("typing: started and ended at the other client %d ms after typing() (timeout 1 s + 1 s)", got.Typing.EndedAfterMS)
		r := got.Reachability
		if !r.BobOnlineAtStart || !r.AliceOnline || !slices.Contains(r.Reasons, "reachabilityOnline") {
			t.Errorf("reachability: bob online at start %v, alice %v, bob's update reasons %v", r.BobOnlineAtStart, r.AliceOnline, r.Reasons)
		}
	})
}

func sameInt(got *int, want *int64) bool {
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	return int64(*got) == *want
}

func show(p *int) any {
	if p == nil {
		return "null"
	}
	return *p
}

func show64(p *int64) any {
	if p == nil {
		return "null"
	}
	return *p
}

func showBool(p *bool) any {
	if p == nil {
		return "null"
	}
	return *p
}
