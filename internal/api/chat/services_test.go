package chat_test

import (
	"context"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// TestChatServices: create, list, fetch, update every Chat setting, delete;
// the default roles are the Conversations service configuration's.
func TestChatServices(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		s, err := cv2.FetchService(svc)
		if err != nil {
			t.Fatal(err)
		}
		if !*s.ReadStatusEnabled || s.TypingIndicatorTimeout != 5 || *s.WebhookMethod != "POST" {
			t.Errorf("defaults = %+v", s)
		}
		cfg, err := env.Twilio().ConversationsV1.FetchServiceConfiguration(svc)
		if err != nil {
			t.Fatal(err)
		}
		if *s.DefaultChannelRoleSid != *cfg.DefaultConversationRoleSid ||
			*s.DefaultChannelCreatorRoleSid != *cfg.DefaultConversationCreatorRoleSid ||
			*s.DefaultServiceRoleSid != *cfg.DefaultChatServiceRoleSid {
			t.Errorf("chat roles %+v differ from configuration %+v", s, cfg)
		}
		up, err := cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetFriendlyName("renamed").
			SetReadStatusEnabled(false).SetReachabilityEnabled(true).SetTypingIndicatorTimeout(9).
			SetConsumptionReportInterval(20).SetLimitsChannelMembers(500).SetLimitsUserChannels(600).
			SetPreWebhookUrl("https://hooks.example.com/pre").SetPostWebhookUrl("https://hooks.example.com/post").
			SetWebhookMethod("GET").SetWebhookFilters([]string{"onMessageSend", "onChannelAdded"}).
			SetPreWebhookRetryCount(2).SetPostWebhookRetryCount(3).SetNotificationsNewMessageEnabled(true).
			SetNotificationsNewMessageTemplate("${USER}: ${MESSAGE}").SetNotificationsNewMessageBadgeCountEnabled(true).
			SetNotificationsAddedToChannelEnabled(true).SetNotificationsLogEnabled(true).
			SetMediaCompatibilityMessage("no media here").SetDefaultChannelRoleSid(*s.DefaultChannelCreatorRoleSid))
		if err != nil {
			t.Fatal(err)
		}
		limits := (*up.Limits).(map[string]any)
		notes := (*up.Notifications).(map[string]any)
		media := (*up.Media).(map[string]any)
		if *up.FriendlyName != "renamed" || *up.ReadStatusEnabled || !*up.ReachabilityEnabled ||
			up.TypingIndicatorTimeout != 9 || up.ConsumptionReportInterval != 20 || limits["channel_members"] != 500.0 ||
			limits["user_channels"] != 600.0 || *up.PreWebhookUrl != "https://hooks.example.com/pre" ||
			*up.WebhookMethod != "GET" || len(*up.WebhookFilters) != 2 || up.PostWebhookRetryCount != 3 ||
			notes["log_enabled"] != true || notes["new_message"].(map[string]any)["badge_count_enabled"] != true ||
			media["compatibility_message"] != "no media here" || *up.DefaultChannelRoleSid != *s.DefaultChannelCreatorRoleSid {
			t.Errorf("updated = %+v limits %v notifications %v media %v", up, limits, notes, media)
		}
		// The default role and reachability are the Conversations ones.
		cfg, err = env.Twilio().ConversationsV1.FetchServiceConfiguration(svc)
		if err != nil {
			t.Fatal(err)
		}
		if *cfg.DefaultConversationRoleSid != *s.DefaultChannelCreatorRoleSid || !*cfg.ReachabilityEnabled {
			t.Errorf("configuration after the Chat update = %+v", cfg)
		}
		// The webhooks are the service's one webhook configuration, under
		// the Conversations event names.
		hooks, err := env.Twilio().ConversationsV1.FetchServiceWebhookConfiguration(svc)
		if err != nil {
			t.Fatal(err)
		}
		if *hooks.PreWebhookUrl != "https://hooks.example.com/pre" || *hooks.Method != "GET" ||
			len(*hooks.Filters) != 2 || (*hooks.Filters)[0] != "onMessageAdd" || (*hooks.Filters)[1] != "onConversationAdded" {
			t.Errorf("service webhook configuration = %+v filters %v", hooks, *hooks.Filters)
		}
		again, err := cv2.FetchService(svc)
		if err != nil {
			t.Fatal(err)
		}
		if f := *again.WebhookFilters; len(f) != 2 || f[0] != "onMessageSend" || *again.PostWebhookUrl != "https://hooks.example.com/post" {
			t.Errorf("fetched webhook settings = %v %v", f, *again.PostWebhookUrl)
		}
		list, err := cv2.ListService(&chat.ListServiceParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 { // the account's default service and this one
			t.Errorf("%d services, want 2", len(list))
		}
		if err := cv2.DeleteService(svc); err != nil {
			t.Fatal(err)
		}
		_, err = cv2.FetchService(svc)
		wantCode(t, err, 404, 20404)
	})
}

// TestChatServiceBadInput: refused updates change nothing.
func TestChatServiceBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		before, err := cv2.FetchService(svc)
		if err != nil {
			t.Fatal(err)
		}
		for name, p := range map[string]*chat.UpdateServiceParams{
			"bad method":   (&chat.UpdateServiceParams{}).SetWebhookMethod("PUT").SetFriendlyName("x"),
			"relative url": (&chat.UpdateServiceParams{}).SetPreWebhookUrl("/hook").SetFriendlyName("x"),
			"chat filter":  (&chat.UpdateServiceParams{}).SetWebhookFilters([]string{"onMessageAdded"}),
			"service role": (&chat.UpdateServiceParams{}).SetDefaultChannelRoleSid(*before.DefaultServiceRoleSid),
			"channel role": (&chat.UpdateServiceParams{}).SetDefaultServiceRoleSid(*before.DefaultChannelRoleSid),
			"not a role":   (&chat.UpdateServiceParams{}).SetDefaultServiceRoleSid("nope"),
			"empty name":   (&chat.UpdateServiceParams{}).SetFriendlyName(""),
		} {
			if _, err := cv2.UpdateService(svc, p); err == nil {
				t.Errorf("%s: accepted", name)
			} else {
				wantCode(t, err, 400, 20001)
			}
		}
		_, err = cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetPostWebhookRetryCount(4).SetFriendlyName("x"))
		wantCode(t, err, 400, 50065)
		_, err = cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetLimitsChannelMembers(1001).SetFriendlyName("x"))
		wantCode(t, err, 400, 50061)
		_, err = cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetLimitsUserChannels(0).SetFriendlyName("x"))
		wantCode(t, err, 400, 50060)
		after, err := cv2.FetchService(svc)
		if err != nil {
			t.Fatal(err)
		}
		if *after.FriendlyName != *before.FriendlyName || *after.DateUpdated != *before.DateUpdated {
			t.Errorf("refused updates changed the service: %+v", after)
		}
		_, err = cv2.CreateService(&chat.CreateServiceParams{})
		wantCode(t, err, 400, 20001)
	})
}

// TestChannelMemberLimit: limits.channel_members caps a channel's members
// through either API (Chat 50403, Conversations 50417).
func TestChannelMemberLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		if _, err := cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetLimitsChannelMembers(2)); err != nil {
			t.Fatal(err)
		}
		ch, err := cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("private"))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"a", "b"} {
			if _, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity(id)); err != nil {
				t.Fatal(err)
			}
		}
		_, err = cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("c"))
		wantCode(t, err, 403, 50403)
		_, err = env.Twilio().ConversationsV1.CreateServiceConversationParticipant(svc, *ch.Sid,
			(&conv.CreateServiceConversationParticipantParams{}).SetIdentity("c"))
		wantCode(t, err, 400, 50417)
		if members, _ := channelCounts(t, env, svc, *ch.Sid); members != 2 {
			t.Errorf("members_count = %d, want 2", members)
		}
	})
}

// TestUserChannelLimit: Chat's limits.user_channels caps the open channels
// an identity takes part in when it joins through Chat (403 50208), counting
// memberships made through either API; Conversations keeps its own, higher
// limit (TestConversationsUserLimit); a closed conversation frees a place.
func TestUserChannelLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2, cv1 := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)
		if _, err := cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetLimitsUserChannels(2)); err != nil {
			t.Fatal(err)
		}
		first := newChannel(t, env, svc, "first", "alice")
		second, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cv2.CreateMember(svc, *second.Sid, (&chat.CreateMemberParams{}).SetIdentity("alice")); err != nil {
			t.Fatal(err)
		}
		third := newChannel(t, env, svc, "third", "bob")
		fourth := newChannel(t, env, svc, "fourth")

		_, err = cv2.CreateMember(svc, third, (&chat.CreateMemberParams{}).SetIdentity("alice"))
		wantCode(t, err, 403, 50208)
		// At the limit, joining a channel again is still "already a member".
		_, err = cv2.CreateMember(svc, *second.Sid, (&chat.CreateMemberParams{}).SetIdentity("alice"))
		wantCode(t, err, 409, 50404)
		if members, _ := channelCounts(t, env, svc, third); members != 1 {
			t.Errorf("third's members_count = %d, want 1", members)
		}
		if u, err := cv2.FetchUser(svc, "alice"); err != nil || u.JoinedChannelsCount != 2 {
			t.Errorf("alice joined %v channels (%v), want 2", u.JoinedChannelsCount, err)
		}

		// Conversations does not enforce Chat's setting: alice joins a third.
		if _, err := cv1.CreateServiceConversationParticipant(svc, third,
			(&conv.CreateServiceConversationParticipantParams{}).SetIdentity("alice")); err != nil {
			t.Fatalf("Conversations add over Chat's limit: %v", err)
		}
		_, err = cv2.CreateMember(svc, fourth, (&chat.CreateMemberParams{}).SetIdentity("alice"))
		wantCode(t, err, 403, 50208)

		// Closing conversations frees places.
		for _, sid := range []string{first, third} {
			if _, err := cv1.UpdateServiceConversation(svc, sid, (&conv.UpdateServiceConversationParams{}).SetState("closed")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := cv2.CreateMember(svc, fourth, (&chat.CreateMemberParams{}).SetIdentity("alice")); err != nil {
			t.Errorf("join after closing two: %v", err)
		}
	})
}

// TestConversationsUserLimit: through Conversations an identity takes part in
// at most 1,000 open conversations (400 50214) whatever Chat's
// limits.user_channels says; Chat refuses the same identity with 50208.
func TestConversationsUserLimit(t *testing.T) {
	const limit = 1000 // https://www.twilio.com/docs/conversations/conversations-limits
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2, cv1 := env.Twilio().ChatV2, env.Twilio().ConversationsV1
		svc := newService(t, env)
		if _, err := cv2.UpdateService(svc, (&chat.UpdateServiceParams{}).SetLimitsUserChannels(limit)); err != nil {
			t.Fatal(err)
		}
		joined := joinMany(t, env, svc, "alice", limit)
		target := newChannel(t, env, svc, "target", "bob")

		_, err := cv1.CreateServiceConversationParticipant(svc, target,
			(&conv.CreateServiceConversationParticipantParams{}).SetIdentity("alice"))
		wantCode(t, err, 400, 50214)
		_, err = cv1.UpdateServiceConversationParticipant(svc, target, "bob",
			(&conv.UpdateServiceConversationParticipantParams{}).SetIdentity("alice"))
		wantCode(t, err, 400, 50214)
		_, err = cv1.CreateServiceConversationWithParticipants(svc,
			(&conv.CreateServiceConversationWithParticipantsParams{}).SetParticipant([]string{`{"identity": "alice"}`}))
		wantCode(t, err, 400, 50214)
		_, err = cv2.CreateMember(svc, target, (&chat.CreateMemberParams{}).SetIdentity("alice"))
		wantCode(t, err, 403, 50208)
		if members, _ := channelCounts(t, env, svc, target); members != 1 {
			t.Errorf("target's members_count = %d, want 1", members)
		}

		if _, err := cv1.UpdateServiceConversation(svc, joined[0], (&conv.UpdateServiceConversationParams{}).SetState("closed")); err != nil {
			t.Fatal(err)
		}
		if _, err := cv1.CreateServiceConversationParticipant(svc, target,
			(&conv.CreateServiceConversationParticipantParams{}).SetIdentity("alice")); err != nil {
			t.Errorf("add after closing one: %v", err)
		}
	})
}

// joinMany makes identity a participant of n new conversations of the
// service, written straight to the store in one transaction (n API calls
// would make the test slow), and returns their SIDs.
func joinMany(t *testing.T, env *apitest.Env, serviceSID, identity string, n int) []string {
	t.Helper()
	sids := make([]string, n)
	err := env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
		now := tx.Now()
		for i := range sids {
			c := &parley.Conversation{SID: parley.NewSID(parley.PrefixConversation), AccountSID: env.AccountSID,
				ServiceSID: serviceSID, Attributes: "{}", State: parley.StateActive, Type: parley.ChannelPrivate,
				DateCreated: now, DateUpdated: now}
			if err := tx.CreateConversation(c); err != nil {
				return err
			}
			p := &parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: env.AccountSID,
				ServiceSID: serviceSID, ConversationSID: c.SID, Identity: &identity, Attributes: "{}",
				DateCreated: now, DateUpdated: now}
			if err := tx.CreateParticipant(p); err != nil {
				return err
			}
			sids[i] = c.SID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sids
}

// TestChatCreateServiceIsAConversationService: a service created through Chat
// is a Conversation Service with the same SID and default roles.
func TestChatCreateServiceIsAConversationService(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		s, err := env.Twilio().ChatV2.CreateService((&chat.CreateServiceParams{}).SetFriendlyName("from chat"))
		if err != nil {
			t.Fatal(err)
		}
		if s.DefaultServiceRoleSid == nil || s.DefaultChannelRoleSid == nil || s.DefaultChannelCreatorRoleSid == nil {
			t.Errorf("chat service without default roles: %+v", s)
		}
		got, err := env.Twilio().ConversationsV1.FetchService(*s.Sid)
		if err != nil || *got.FriendlyName != "from chat" {
			t.Fatalf("conversations view of the chat service: %v %v", got, err)
		}
	})
}
