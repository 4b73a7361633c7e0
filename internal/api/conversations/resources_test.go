package conversations_test

import (
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestServicesAndConfiguration: services CRUD, switching the default service,
// and deleting a service with everything in it.
func TestServicesAndConfiguration(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		cfg, err := api.FetchConfiguration()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := *cfg.DefaultChatServiceSid, env.Server.Account.DefaultServiceSID; got != want {
			t.Errorf("default service = %s, want %s", got, want)
		}
		svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("second")})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := api.FetchService(*svc.Sid); err != nil || *got.FriendlyName != "second" {
			t.Fatalf("fetch service: %v %v", got, err)
		}
		services, err := api.ListService(nil)
		if err != nil || len(services) != 2 {
			t.Fatalf("list services: %d %v", len(services), err)
		}

		// The short routes follow DefaultChatServiceSid.
		if _, err := api.UpdateConfiguration(&conv.UpdateConfigurationParams{DefaultChatServiceSid: svc.Sid,
			DefaultInactiveTimer: ptr("PT5M"), DefaultClosedTimer: ptr("PT1H")}); err != nil {
			t.Fatal(err)
		}
		c, err := api.CreateConversation(&conv.CreateConversationParams{UniqueName: ptr("in-second")})
		if err != nil {
			t.Fatal(err)
		}
		if *c.ChatServiceSid != *svc.Sid {
			t.Errorf("conversation landed in %s, want %s", *c.ChatServiceSid, *svc.Sid)
		}
		if c.Timers == nil {
			t.Errorf("account default timers not applied")
		}
		if _, err := api.FetchServiceConversation(*svc.Sid, "in-second"); err != nil {
			t.Errorf("service-scoped fetch: %v", err)
		}
		if _, err := api.UpdateConfiguration(&conv.UpdateConfigurationParams{DefaultChatServiceSid: &env.Server.Account.DefaultServiceSID}); err != nil {
			t.Fatal(err)
		}
		if _, err := api.FetchConversation("in-second"); err == nil {
			t.Errorf("conversation of another service visible on the short routes")
		}
		if err := api.DeleteService(*svc.Sid); err != nil {
			t.Fatal(err)
		}
		if _, err := api.FetchService(*svc.Sid); err == nil {
			t.Errorf("service still there after delete")
		}
		if _, err := api.FetchServiceConversation(*svc.Sid, *c.Sid); err == nil {
			t.Errorf("conversation survived its service")
		}
	})
}

// TestServiceScopedRoutes exercises every foundation operation on the
// /v1/Services/{sid}/... routes.
func TestServiceScopedRoutes(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("scoped")})
		if err != nil {
			t.Fatal(err)
		}
		is := *svc.Sid
		c, err := api.CreateServiceConversation(is, &conv.CreateServiceConversationParams{FriendlyName: ptr("c")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.UpdateServiceConversation(is, *c.Sid, &conv.UpdateServiceConversationParams{FriendlyName: ptr("renamed")}); err != nil {
			t.Fatal(err)
		}
		if list, err := api.ListServiceConversation(is, nil); err != nil || len(list) != 1 {
			t.Fatalf("list: %d %v", len(list), err)
		}
		p, err := api.CreateServiceConversationParticipant(is, *c.Sid, &conv.CreateServiceConversationParticipantParams{Identity: ptr("carol")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.FetchServiceConversationParticipant(is, *c.Sid, "carol"); err != nil {
			t.Errorf("fetch participant by identity: %v", err)
		}
		if _, err := api.UpdateServiceConversationParticipant(is, *c.Sid, *p.Sid, &conv.UpdateServiceConversationParticipantParams{LastReadMessageIndex: ptr(0)}); err != nil {
			t.Fatal(err)
		}
		if list, err := api.ListServiceConversationParticipant(is, *c.Sid, nil); err != nil || len(list) != 1 {
			t.Fatalf("participants: %d %v", len(list), err)
		}
		m, err := api.CreateServiceConversationMessage(is, *c.Sid, &conv.CreateServiceConversationMessageParams{Author: ptr("carol"), Body: ptr("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.UpdateServiceConversationMessage(is, *c.Sid, *m.Sid, &conv.UpdateServiceConversationMessageParams{Body: ptr("edited")}); err != nil {
			t.Fatal(err)
		}
		if got, err := api.FetchServiceConversationMessage(is, *c.Sid, *m.Sid); err != nil || *got.Body != "edited" {
			t.Fatalf("fetch message: %v %v", got, err)
		}
		if list, err := api.ListServiceConversationMessage(is, *c.Sid, nil); err != nil || len(list) != 1 {
			t.Fatalf("messages: %d %v", len(list), err)
		}
		// The participant's identity got a User in this service.
		u, err := api.FetchServiceUser(is, "carol")
		if err != nil {
			t.Fatalf("user for participant identity: %v", err)
		}
		if _, err := api.UpdateServiceUser(is, *u.Sid, &conv.UpdateServiceUserParams{FriendlyName: ptr("Carol")}); err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateServiceUser(is, &conv.CreateServiceUserParams{Identity: ptr("dave")}); err != nil {
			t.Fatal(err)
		}
		if list, err := api.ListServiceUser(is, nil); err != nil || len(list) != 2 {
			t.Fatalf("users: %d %v", len(list), err)
		}
		for _, del := range []func() error{
			func() error { return api.DeleteServiceConversationMessage(is, *c.Sid, *m.Sid, nil) },
			func() error { return api.DeleteServiceConversationParticipant(is, *c.Sid, *p.Sid, nil) },
			func() error { return api.DeleteServiceUser(is, "dave", nil) },
			func() error { return api.DeleteServiceConversation(is, *c.Sid, nil) },
		} {
			if err := del(); err != nil {
				t.Fatal(err)
			}
		}
		// Nothing of this service leaks onto the default service's routes.
		if list, err := api.ListConversation(nil); err != nil || len(list) != 0 {
			t.Errorf("default service lists %d conversations (%v)", len(list), err)
		}
	})
}

// TestMessages: order, edit, delete, and indexes never reused.
func TestMessages(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		c, err := api.CreateConversation(nil)
		if err != nil {
			t.Fatal(err)
		}
		var sids []string
		for _, body := range []string{"a", "b", "c"} {
			m, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: ptr(body)})
			if err != nil {
				t.Fatal(err)
			}
			if *m.Author != "system" || m.ParticipantSid != nil {
				t.Errorf("REST message without author: author %q participant %v, want system and null", *m.Author, m.ParticipantSid)
			}
			sids = append(sids, *m.Sid)
		}
		if err := api.DeleteConversationMessage(*c.Sid, sids[2], nil); err != nil {
			t.Fatal(err)
		}
		m, err := api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: ptr("d")})
		if err != nil {
			t.Fatal(err)
		}
		if m.Index != 3 {
			t.Errorf("index after a delete = %d, want 3 (never reused)", m.Index)
		}
		desc, err := api.ListConversationMessage(*c.Sid, &conv.ListConversationMessageParams{Order: ptr("desc"), PageSize: ptr(2)})
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, m := range desc {
			got = append(got, m.Index)
		}
		if len(got) != 3 || got[0] != 3 || got[1] != 1 || got[2] != 0 {
			t.Errorf("desc order = %v, want [3 1 0]", got)
		}
		when := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		up, err := api.UpdateConversationMessage(*c.Sid, sids[0], &conv.UpdateConversationMessageParams{
			Body: ptr("edited"), Attributes: ptr(`{"x":1}`), DateCreated: &when})
		if err != nil {
			t.Fatal(err)
		}
		if *up.Body != "edited" || *up.Attributes != `{"x":1}` || !up.DateCreated.Equal(when) {
			t.Errorf("update = %q %q %v", *up.Body, *up.Attributes, up.DateCreated)
		}
	})
}

// TestParticipantsAndUsers: identity uniqueness, user auto-creation, read
// horizon, and users CRUD on the short routes.
func TestParticipantsAndUsers(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		u, err := api.CreateUser(&conv.CreateUserParams{Identity: ptr("erin"), FriendlyName: ptr("Erin"), Attributes: ptr(`{"team":"a"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if u.RoleSid == nil {
			t.Errorf("user has no default role")
		}
		if _, err := api.UpdateUser("erin", &conv.UpdateUserParams{Attributes: ptr(`{"team":"b"}`)}); err != nil {
			t.Fatal(err)
		}
		got, err := api.FetchUser(*u.Sid)
		if err != nil || *got.Attributes != `{"team":"b"}` {
			t.Fatalf("fetch user: %v %v", got, err)
		}
		c, err := api.CreateConversation(nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("erin")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr("frank")}); err != nil {
			t.Fatal(err)
		}
		if users, err := api.ListUser(nil); err != nil || len(users) != 2 {
			t.Errorf("users after adding frank: %d %v (want erin and an auto-created frank)", len(users), err)
		}
		if p.LastReadMessageIndex != nil || p.LastReadTimestamp != nil {
			t.Errorf("read horizon set on a new participant")
		}
		up, err := api.UpdateConversationParticipant(*c.Sid, "erin", &conv.UpdateConversationParticipantParams{LastReadMessageIndex: ptr(4)})
		if err != nil {
			t.Fatal(err)
		}
		if up.LastReadMessageIndex == nil || *up.LastReadMessageIndex != 4 || up.LastReadTimestamp == nil {
			t.Errorf("read horizon = %v at %v, want 4 with a timestamp", up.LastReadMessageIndex, up.LastReadTimestamp)
		}
		if err := api.DeleteConversationParticipant(*c.Sid, *p.Sid, nil); err != nil {
			t.Fatal(err)
		}
		if list, err := api.ListConversationParticipant(*c.Sid, nil); err != nil || len(list) != 1 {
			t.Errorf("participants after removal: %d %v", len(list), err)
		}
		if err := api.DeleteUser("erin", nil); err != nil {
			t.Fatal(err)
		}
	})
}

// TestRestartKeepsEverything: an acknowledged write survives a restart on the
// same database.
func TestRestartKeepsEverything(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		c, err := env.Twilio().ConversationsV1.CreateConversation(&conv.CreateConversationParams{UniqueName: ptr("durable")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Twilio().ConversationsV1.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: ptr("kept")}); err != nil {
			t.Fatal(err)
		}
		cfg := env.Config()
		env.Stop()
		again := apitest.StartConfig(t, engine, cfg)
		if again.Server.AccountCreated {
			t.Errorf("restart created a new account")
		}
		msgs, err := again.Twilio().ConversationsV1.ListConversationMessage("durable", nil)
		if err != nil || len(msgs) != 1 || *msgs[0].Body != "kept" {
			t.Fatalf("after restart: %v %v", msgs, err)
		}
	})
}
