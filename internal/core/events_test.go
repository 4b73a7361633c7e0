package core_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/store"
	"github.com/parley-dev/parley/internal/syncview"
)

// recorder is the Sync projector, remembering every event it consumed.
type recorder struct {
	mu     sync.Mutex
	events []parley.Event
}

func (r *recorder) Consume(tx parley.Tx, ev *parley.Event) error {
	r.mu.Lock()
	r.events = append(r.events, *ev)
	r.mu.Unlock()
	return syncview.Projector{}.Consume(tx, ev)
}

// take returns the events consumed since the last take.
func (r *recorder) take() []parley.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	evs := r.events
	r.events = nil
	return evs
}

func types(evs []parley.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type
	}
	return out
}

// TestEveryWriteEmits: the writes that once changed rows silently (user
// delete and implicit creation, invites, roles, bindings, service delete,
// account purge) emit their events through the one emit point, updates
// carry what they replaced, and a service delete removes its
// conversations' Sync objects.
func TestEveryWriteEmits(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db, err := store.Open(ctx, apitest.DatabaseURL(t, engine), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		rec := &recorder{}
		app := core.New(db, core.WithProjector(rec))
		main, _, err := app.Bootstrap(ctx, "", "")
		if err != nil {
			t.Fatal(err)
		}
		acct, err := app.CreateSubaccount(parley.WithAccount(ctx, main), ptr("events"))
		if err != nil {
			t.Fatal(err)
		}
		ctx = parley.WithAccount(ctx, acct)
		svc, err := app.CreateService(ctx, ptr("events"))
		if err != nil {
			t.Fatal(err)
		}
		expect := func(step string, want ...string) []parley.Event {
			t.Helper()
			evs := rec.take()
			if got := types(evs); !slices.Equal(got, want) {
				t.Fatalf("%s: events %q, want %q", step, got, want)
			}
			for _, ev := range evs {
				if ev.AccountSID != acct.SID || ev.Source != parley.SourceAPI {
					t.Errorf("%s: %s has account %q source %q", step, ev.Type, ev.AccountSID, ev.Source)
				}
			}
			return evs
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}

		role, err := app.CreateRole(ctx, svc.SID, parley.RoleFields{FriendlyName: ptr("r"), Type: ptr(parley.RoleTypeConversation),
			Permissions: []string{"sendMessage"}})
		must(err)
		expect("role create", parley.EventRoleAdded)
		_, err = app.UpdateRole(ctx, svc.SID, role.SID, []string{"sendMessage", "leaveConversation"})
		must(err)
		if ev := expect("role update", parley.EventRoleUpdated)[0]; !slices.Equal(ev.Replaced.Role.Permissions, []string{"sendMessage"}) {
			t.Errorf("role update replaced %q", ev.Replaced.Role.Permissions)
		}

		alice, err := app.CreateUser(ctx, svc.SID, parley.UserFields{Identity: ptr("alice")})
		must(err)
		expect("user create", parley.EventUserAdded)
		_, err = app.UpdateUser(ctx, svc.SID, alice.SID, parley.UserFields{FriendlyName: ptr("Alice")})
		must(err)
		if ev := expect("user update", parley.EventUserUpdated)[0]; ev.Replaced.User.FriendlyName != nil {
			t.Errorf("user update replaced friendly name %q", *ev.Replaced.User.FriendlyName)
		}
		// Only the item that changed reaches the user's info map.
		if got := syncTypes(t, db, syncview.UserInfoMap(alice.SID)); !slices.Equal(got, []string{"map_item_updated"}) {
			t.Errorf("user info map events %q", got)
		}

		c, err := app.CreateConversation(ctx, svc.SID, parley.ConversationFields{FriendlyName: ptr("before")})
		must(err)
		expect("conversation create", parley.EventConversationAdded)
		_, err = app.UpdateConversation(ctx, svc.SID, c.SID, parley.ConversationFields{FriendlyName: ptr("after")})
		must(err)
		if ev := expect("conversation update", parley.EventConversationUpdated)[0]; *ev.Replaced.Conversation.FriendlyName != "before" {
			t.Errorf("conversation update replaced %q", *ev.Replaced.Conversation.FriendlyName)
		}
		bob, err := app.AddParticipant(ctx, svc.SID, c.SID, parley.ParticipantFields{Identity: ptr("bob")})
		must(err)
		if ev := expect("implicit user", parley.EventUserImplied, parley.EventParticipantAdded)[0]; ev.User.Identity != "bob" {
			t.Errorf("implied user %q", ev.User.Identity)
		}
		_, err = app.AddParticipant(ctx, svc.SID, c.SID, parley.ParticipantFields{Identity: ptr("alice")})
		must(err)
		expect("existing user", parley.EventParticipantAdded)
		_, err = app.UpdateParticipant(ctx, svc.SID, c.SID, bob.SID, parley.ParticipantFields{Attributes: ptr(`{"a":1}`)})
		must(err)
		if ev := expect("participant update", parley.EventParticipantUpdated)[0]; ev.Replaced.Participant.Attributes != "{}" {
			t.Errorf("participant update replaced %q", ev.Replaced.Participant.Attributes)
		}

		inv, err := app.CreateInvite(ctx, svc.SID, c.SID, ptr("carol"), nil)
		must(err)
		expect("invite", parley.EventInviteAdded)
		must(app.DeleteInvite(ctx, svc.SID, c.SID, inv.SID))
		if ev := expect("invite delete", parley.EventInviteRemoved)[0]; ev.Invite.Identity != "carol" || ev.Conversation.SID != c.SID {
			t.Errorf("invite removed %+v", ev.Invite)
		}

		caller := &parley.Caller{Principal: &parley.Principal{Account: acct, Identity: "bob", ServiceSID: svc.SID}, Source: parley.SourceAPI}
		b, err := app.Register(ctx, caller, core.Registration{BindingType: parley.BindingTypeFCM, Address: "device-1"})
		must(err)
		expect("register", parley.EventBindingAdded)
		must(app.Unregister(ctx, caller, b.SID, "", ""))
		if ev := expect("unregister", parley.EventBindingRemoved)[0]; ev.Binding.SID != b.SID {
			t.Errorf("binding removed %q, want %q", ev.Binding.SID, b.SID)
		}

		// Removing the newest message makes the one before it the
		// conversation document's lastMessage.
		var msgs []*parley.Message
		for _, body := range []string{"first", "second"} {
			m, err := app.CreateMessage(ctx, svc.SID, c.SID, parley.MessageFields{Body: ptr(body)})
			must(err)
			msgs = append(msgs, m)
		}
		rec.take()
		must(app.DeleteMessage(ctx, svc.SID, c.SID, msgs[1].SID))
		expect("message delete", parley.EventMessageRemoved)
		if last := lastSyncData(t, db, syncview.ConversationDocument(c.SID)); !strings.Contains(last, fmt.Sprintf(`"lastMessage":{"index":%d,`, msgs[0].Index)) {
			t.Errorf("document after removing the newest message: %s", last)
		}

		must(app.DeleteUser(ctx, svc.SID, alice.SID))
		expect("user delete", parley.EventUserRemoved)
		must(app.DeleteRole(ctx, svc.SID, role.SID))
		expect("role delete", parley.EventRoleRemoved)

		must(app.DeleteService(ctx, svc.SID))
		expect("service delete", parley.EventServiceRemoved)
		roster := syncTypes(t, db, syncview.RosterMap(c.SID))
		if len(roster) == 0 || roster[len(roster)-1] != "map_removed" {
			t.Errorf("roster map events after the service delete: %q", roster)
		}

		_, err = app.UpdateAccount(parley.WithAccount(ctx, main), acct.SID, core.AccountFields{Status: ptr(parley.AccountClosed)})
		must(err)
		payload, _ := json.Marshal(map[string]string{"account_sid": acct.SID})
		must(app.RunAccountPurge(ctx, &parley.Job{Kind: core.AccountPurgeJobKind, Payload: payload}))
		expect("purge", parley.EventAccountPurged)
	})
}

// lastSyncData is the data of the newest event logged for a Sync object.
func lastSyncData(t *testing.T, db parley.Store, object string) string {
	t.Helper()
	var out string
	err := db.Read(context.Background(), func(tx parley.Tx) error {
		evs, err := tx.SyncEvents(object, 0, 1000)
		if len(evs) > 0 {
			out = string(evs[len(evs)-1].Data)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// syncTypes is the event types logged for a Sync object, oldest first.
func syncTypes(t *testing.T, db parley.Store, object string) []string {
	t.Helper()
	var out []string
	err := db.Read(context.Background(), func(tx parley.Tx) error {
		evs, err := tx.SyncEvents(object, 0, 1000)
		for _, ev := range evs {
			out = append(out, ev.EventType)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
