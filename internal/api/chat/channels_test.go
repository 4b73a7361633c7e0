package chat_test

import (
	"net/url"
	"testing"
	"time"

	chat "github.com/twilio/twilio-go/rest/chat/v2"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestChatChannels: create, list with the Type filter, fetch by SID and
// unique name, update, delete, and bad input.
func TestChatChannels(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		created := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
		pub, err := cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetFriendlyName("General").
			SetUniqueName("general").SetAttributes(`{"a":1}`).SetCreatedBy("alice").SetDateCreated(created).
			SetXTwilioWebhookEnabled("true"))
		if err != nil {
			t.Fatal(err)
		}
		if *pub.Type != "public" || *pub.CreatedBy != "alice" || !pub.DateCreated.Equal(created) || *pub.Attributes != `{"a":1}` {
			t.Errorf("created = %+v", pub)
		}
		priv, err := cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("private"))
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			types []string
			want  int
		}{{nil, 1}, {[]string{"public"}, 1}, {[]string{"private"}, 1}, {[]string{"public", "private"}, 2}} {
			list, err := cv2.ListChannel(svc, &chat.ListChannelParams{Type: &tc.types})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != tc.want {
				t.Errorf("Type %v: %d channels, want %d", tc.types, len(list), tc.want)
			}
		}
		byName, err := cv2.FetchChannel(svc, "general")
		if err != nil {
			t.Fatal(err)
		}
		if *byName.Sid != *pub.Sid {
			t.Errorf("fetched %s by unique name, want %s", *byName.Sid, *pub.Sid)
		}
		up, err := cv2.UpdateChannel(svc, *pub.Sid, (&chat.UpdateChannelParams{}).SetFriendlyName("Renamed").
			SetUniqueName("renamed").SetCreatedBy("bob"))
		if err != nil {
			t.Fatal(err)
		}
		if *up.FriendlyName != "Renamed" || *up.UniqueName != "renamed" || *up.CreatedBy != "bob" || *up.Type != "public" {
			t.Errorf("updated = %+v", up)
		}
		_, err = cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetUniqueName("renamed"))
		wantCode(t, err, 409, 50307) // Chat's own code, not Conversations' 50353
		_, err = cv2.CreateChannel(svc, (&chat.CreateChannelParams{}).SetType("secret"))
		wantCode(t, err, 400, 20001)
		r := env.Do("GET", "/v2/Services/"+svc+"/Channels", url.Values{"Type": {"secret"}})
		if r.Status != 400 {
			t.Errorf("list Type=secret: %s", r)
		}
		if err := cv2.DeleteChannel(svc, *priv.Sid, nil); err != nil {
			t.Fatal(err)
		}
		_, err = cv2.FetchChannel(svc, *priv.Sid)
		wantCode(t, err, 404, 20404)
	})
}

// TestChatMembers: create with a consumption horizon, list filtered by
// identity, fetch by SID and identity, update, delete.
func TestChatMembers(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := cv2.FetchService(svc)
		if err != nil {
			t.Fatal(err)
		}
		a, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("alice").
			SetLastConsumedMessageIndex(4).SetAttributes(`{"x":true}`).SetRoleSid(*s.DefaultChannelCreatorRoleSid))
		if err != nil {
			t.Fatal(err)
		}
		if *a.LastConsumedMessageIndex != 4 || a.LastConsumptionTimestamp == nil || *a.RoleSid != *s.DefaultChannelCreatorRoleSid {
			t.Errorf("created = %+v", a)
		}
		b, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("bob"))
		if err != nil {
			t.Fatal(err)
		}
		if *b.RoleSid != *s.DefaultChannelRoleSid || b.LastConsumedMessageIndex != nil {
			t.Errorf("default member = %+v", b)
		}
		if _, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("carol")); err != nil {
			t.Fatal(err)
		}
		list, err := cv2.ListMember(svc, *ch.Sid, (&chat.ListMemberParams{}).SetIdentity([]string{"alice", "carol"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || *list[0].Identity != "alice" || *list[1].Identity != "carol" {
			t.Errorf("filtered members = %+v", list)
		}
		all, err := cv2.ListMember(svc, *ch.Sid, &chat.ListMemberParams{})
		if err != nil || len(all) != 3 {
			t.Fatalf("members = %d, %v", len(all), err)
		}
		got, err := cv2.FetchMember(svc, *ch.Sid, "bob")
		if err != nil || *got.Sid != *b.Sid {
			t.Fatalf("fetch by identity = %v, %v", got, err)
		}
		up, err := cv2.UpdateMember(svc, *ch.Sid, *b.Sid, (&chat.UpdateMemberParams{}).SetLastConsumedMessageIndex(2).
			SetAttributes(`{"y":1}`).SetRoleSid(*s.DefaultChannelCreatorRoleSid))
		if err != nil {
			t.Fatal(err)
		}
		if *up.LastConsumedMessageIndex != 2 || *up.Attributes != `{"y":1}` || *up.RoleSid != *s.DefaultChannelCreatorRoleSid {
			t.Errorf("updated = %+v", up)
		}
		_, err = cv2.UpdateMember(svc, *ch.Sid, *b.Sid, (&chat.UpdateMemberParams{}).SetRoleSid(*s.DefaultServiceRoleSid))
		wantCode(t, err, 400, 20001)
		_, err = cv2.CreateMember(svc, *ch.Sid, &chat.CreateMemberParams{})
		wantCode(t, err, 400, 20001)
		if err := cv2.DeleteMember(svc, *ch.Sid, *b.Sid, nil); err != nil {
			t.Fatal(err)
		}
		_, err = cv2.FetchMember(svc, *ch.Sid, *b.Sid)
		wantCode(t, err, 404, 20404)
	})
}

// TestChatMessages: create (From defaults to system), fetch, list in both
// orders, edit (was_edited, last_updated_by), delete.
func TestChatMessages(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetBody("hello").SetAttributes(`{"k":"v"}`))
		if err != nil {
			t.Fatal(err)
		}
		if *m.From != "system" || *m.WasEdited || m.LastUpdatedBy != nil || m.Index != 0 {
			t.Errorf("created = %+v", m)
		}
		// No media is stored yet, so every MediaSid is unknown: Chat's 50507.
		_, err = cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetFrom("alice").
			SetMediaSid("ME00000000000000000000000000000000"))
		wantCode(t, err, 400, 50507)
		second, err := cv2.CreateMessage(svc, *ch.Sid, (&chat.CreateMessageParams{}).SetFrom("alice").SetBody("second"))
		if err != nil || second.Index != 1 {
			t.Fatalf("second message = %+v, %v", second, err)
		}
		desc, err := cv2.ListMessage(svc, *ch.Sid, (&chat.ListMessageParams{}).SetOrder("desc"))
		if err != nil {
			t.Fatal(err)
		}
		if len(desc) != 2 || desc[0].Index != 1 {
			t.Errorf("desc = %+v", desc)
		}
		up, err := cv2.UpdateMessage(svc, *ch.Sid, *m.Sid, (&chat.UpdateMessageParams{}).SetBody("hello, edited").
			SetLastUpdatedBy("bob"))
		if err != nil {
			t.Fatal(err)
		}
		if !*up.WasEdited || *up.LastUpdatedBy != "bob" || *up.Body != "hello, edited" {
			t.Errorf("edited = %+v", up)
		}
		attrsOnly, err := cv2.UpdateMessage(svc, *ch.Sid, *second.Sid, (&chat.UpdateMessageParams{}).SetAttributes(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if *attrsOnly.WasEdited {
			t.Error("an attributes-only update marked the body edited")
		}
		got, err := cv2.FetchMessage(svc, *ch.Sid, *m.Sid)
		if err != nil || *got.Body != "hello, edited" {
			t.Fatalf("fetch = %v, %v", got, err)
		}
		// Chat: a missing Body "sets the value as an empty string".
		empty, err := cv2.CreateMessage(svc, *ch.Sid, &chat.CreateMessageParams{})
		if err != nil || empty.Body == nil || *empty.Body != "" {
			t.Fatalf("message without a body = %+v, %v; want body \"\"", empty, err)
		}
		r := env.Do("GET", "/v2/Services/"+svc+"/Channels/"+*ch.Sid+"/Messages", url.Values{"Order": {"sideways"}})
		if r.Status != 400 {
			t.Errorf("Order=sideways: %s", r)
		}
		if err := cv2.DeleteMessage(svc, *ch.Sid, *m.Sid, nil); err != nil {
			t.Fatal(err)
		}
		_, err = cv2.FetchMessage(svc, *ch.Sid, *m.Sid)
		wantCode(t, err, 404, 20404)
	})
}

// TestChatInvites: create, duplicate (50212), inviting a member (50404),
// list filtered by identity, fetch, delete; joining accepts the invite.
func TestChatInvites(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		cv2 := env.Twilio().ChatV2
		svc := newService(t, env)
		ch, err := cv2.CreateChannel(svc, &chat.CreateChannelParams{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := cv2.FetchService(svc)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := cv2.CreateInvite(svc, *ch.Sid, (&chat.CreateInviteParams{}).SetIdentity("alice"))
		if err != nil {
			t.Fatal(err)
		}
		if *inv.RoleSid != *s.DefaultChannelRoleSid || *inv.Identity != "alice" || (*inv.Sid)[:2] != "IN" {
			t.Errorf("invite = %+v", inv)
		}
		_, err = cv2.CreateInvite(svc, *ch.Sid, (&chat.CreateInviteParams{}).SetIdentity("alice"))
		wantCode(t, err, 409, 50212)
		bob, err := cv2.CreateInvite(svc, *ch.Sid, (&chat.CreateInviteParams{}).SetIdentity("bob").
			SetRoleSid(*s.DefaultChannelCreatorRoleSid))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("carol")); err != nil {
			t.Fatal(err)
		}
		_, err = cv2.CreateInvite(svc, *ch.Sid, (&chat.CreateInviteParams{}).SetIdentity("carol"))
		wantCode(t, err, 409, 50404)
		_, err = cv2.CreateInvite(svc, *ch.Sid, &chat.CreateInviteParams{})
		wantCode(t, err, 400, 20001)
		_, err = cv2.CreateInvite(svc, *ch.Sid, (&chat.CreateInviteParams{}).SetIdentity("dan").SetRoleSid(*s.DefaultServiceRoleSid))
		wantCode(t, err, 400, 20001)
		list, err := cv2.ListInvite(svc, *ch.Sid, (&chat.ListInviteParams{}).SetIdentity([]string{"bob"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || *list[0].Sid != *bob.Sid {
			t.Errorf("filtered invites = %+v", list)
		}
		got, err := cv2.FetchInvite(svc, *ch.Sid, *inv.Sid)
		if err != nil || *got.Identity != "alice" {
			t.Fatalf("fetch = %v, %v", got, err)
		}
		// Joining accepts the invite.
		if _, err := cv2.CreateMember(svc, *ch.Sid, (&chat.CreateMemberParams{}).SetIdentity("alice")); err != nil {
			t.Fatal(err)
		}
		_, err = cv2.FetchInvite(svc, *ch.Sid, *inv.Sid)
		wantCode(t, err, 404, 20404)
		if err := cv2.DeleteInvite(svc, *ch.Sid, *bob.Sid); err != nil {
			t.Fatal(err)
		}
		all, err := cv2.ListInvite(svc, *ch.Sid, &chat.ListInviteParams{})
		if err != nil || len(all) != 0 {
			t.Errorf("invites left = %d, %v", len(all), err)
		}
	})
}
