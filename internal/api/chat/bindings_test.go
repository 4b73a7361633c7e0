package chat_test

import (
	"fmt"
	"net/url"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

func chatBindingSIDs(bs []chat.ChatV2Binding) []string {
	var sids []string
	for _, b := range bs {
		sids = append(sids, *b.Sid)
	}
	return sids
}

func userBindingSIDs(bs []chat.ChatV2UserBinding) []string {
	var sids []string
	for _, b := range bs {
		sids = append(sids, *b.Sid)
	}
	return sids
}

func TestChatBindings(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		aliceAPN := storeBinding(t, env, svc, "alice", "apn")
		aliceFCM := storeBinding(t, env, svc, "alice", "fcm")
		bobGCM := storeBinding(t, env, svc, "bob", "gcm")

		for name, tc := range map[string]struct {
			params *chat.ListBindingParams
			want   []string
		}{
			"all, two per page": {&chat.ListBindingParams{PageSize: refOf(2)}, []string{aliceAPN.SID, aliceFCM.SID, bobGCM.SID}},
			"types apn or gcm":  {&chat.ListBindingParams{BindingType: &[]string{"apn", "gcm"}}, []string{aliceAPN.SID, bobGCM.SID}},
			"identity alice":    {&chat.ListBindingParams{Identity: &[]string{"alice"}}, []string{aliceAPN.SID, aliceFCM.SID}},
			"alice's fcm":       {&chat.ListBindingParams{Identity: &[]string{"alice"}, BindingType: &[]string{"fcm"}}, []string{aliceFCM.SID}},
			"nobody":            {&chat.ListBindingParams{Identity: &[]string{"carol"}}, nil},
		} {
			got, err := api.ListBinding(svc, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(chatBindingSIDs(got)) != fmt.Sprint(tc.want) {
				t.Errorf("%s: got %v, want %v", name, chatBindingSIDs(got), tc.want)
			}
		}

		b, err := api.FetchBinding(svc, bobGCM.SID)
		if err != nil {
			t.Fatal(err)
		}
		if *b.Identity != "bob" || *b.BindingType != "gcm" || *b.Endpoint != bobGCM.Endpoint ||
			*b.CredentialSid != *bobGCM.CredentialSID || *b.ServiceSid != svc || *b.AccountSid != env.AccountSID {
			t.Errorf("fetched %+v, want bob's gcm binding", b)
		}
		if got, want := fmt.Sprint(*b.MessageTypes), "[new_message added_to_channel]"; got != want {
			t.Errorf("message_types = %s, want %s", got, want)
		}
		if *b.Url != env.URL+"/v2/Services/"+svc+"/Bindings/"+bobGCM.SID || (*b.Links)["user"] != env.URL+"/v2/Services/"+svc+"/Users/bob" {
			t.Errorf("url %s, links %v", *b.Url, *b.Links)
		}

		// The same rows as Conversations' bindings: deleted in Chat, gone there.
		if err := api.DeleteBinding(svc, bobGCM.SID); err != nil {
			t.Fatal(err)
		}
		_, err = env.Twilio().ConversationsV1.FetchServiceBinding(svc, bobGCM.SID)
		wantRestError(t, "Conversations fetch of a binding deleted in Chat", err, 404, 20404)
		_, err = api.FetchBinding(svc, bobGCM.SID)
		wantRestError(t, "fetch deleted binding", err, 404, 20404)
		err = api.DeleteBinding(svc, bobGCM.SID)
		wantRestError(t, "delete deleted binding", err, 404, 20404)
	})
}

func TestChatUserBindings(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2
		svc := newService(t, env)
		alice, err := api.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("alice")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := api.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("bob")}); err != nil {
			t.Fatal(err)
		}
		aliceAPN := storeBinding(t, env, svc, "alice", "apn")
		bobGCM := storeBinding(t, env, svc, "bob", "gcm")
		aliceFCM := storeBinding(t, env, svc, "alice", "fcm")

		for name, tc := range map[string]struct {
			params *chat.ListUserBindingParams
			want   []string
		}{
			"all of alice's, one per page": {&chat.ListUserBindingParams{PageSize: refOf(1)}, []string{aliceAPN.SID, aliceFCM.SID}},
			"alice's fcm":                  {&chat.ListUserBindingParams{BindingType: &[]string{"fcm"}}, []string{aliceFCM.SID}},
			"alice's gcm":                  {&chat.ListUserBindingParams{BindingType: &[]string{"gcm"}}, nil},
		} {
			got, err := api.ListUserBinding(svc, *alice.Sid, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(userBindingSIDs(got)) != fmt.Sprint(tc.want) {
				t.Errorf("%s: got %v, want %v", name, userBindingSIDs(got), tc.want)
			}
		}

		// Addressed by identity, rendered under the user's SID.
		b, err := api.FetchUserBinding(svc, "alice", aliceAPN.SID)
		if err != nil {
			t.Fatal(err)
		}
		if *b.UserSid != *alice.Sid || *b.Identity != "alice" || *b.BindingType != "apn" || *b.Endpoint != aliceAPN.Endpoint ||
			*b.Url != env.URL+"/v2/Services/"+svc+"/Users/"+*alice.Sid+"/Bindings/"+aliceAPN.SID {
			t.Errorf("fetched %+v", b)
		}

		// Bob's binding is not alice's: neither fetched nor deleted through her.
		_, err = api.FetchUserBinding(svc, *alice.Sid, bobGCM.SID)
		wantRestError(t, "fetch another user's binding", err, 404, 20404)
		err = api.DeleteUserBinding(svc, *alice.Sid, bobGCM.SID)
		wantRestError(t, "delete another user's binding", err, 404, 20404)
		if _, err := api.FetchBinding(svc, bobGCM.SID); err != nil {
			t.Errorf("bob's binding gone after a refused delete: %v", err)
		}

		if err := api.DeleteUserBinding(svc, *alice.Sid, aliceAPN.SID); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchBinding(svc, aliceAPN.SID)
		wantRestError(t, "service fetch of a deleted user binding", err, 404, 20404)
		_, err = api.FetchUserBinding(svc, *alice.Sid, aliceAPN.SID)
		wantRestError(t, "fetch deleted user binding", err, 404, 20404)
		_, err = api.ListUserBinding(svc, parley.NewSID(parley.PrefixUser), nil)
		wantRestError(t, "bindings of an unknown user", err, 404, 20404)
	})
}

func TestChatBindingsBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		svc := newService(t, env)
		b := storeBinding(t, env, svc, "alice", "apn")
		if _, err := env.Twilio().ChatV2.CreateUser(svc, &chat.CreateUserParams{Identity: refOf("alice")}); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/v2/Services/" + svc + "/Bindings", "/v2/Services/" + svc + "/Users/alice/Bindings"} {
			resp := env.Do("GET", path, url.Values{"BindingType": {"sms"}})
			if resp.Status != 400 || rawCode(t, resp) != 20001 {
				t.Errorf("%s BindingType=sms: %s, want 400/20001", path, resp)
			}
		}
		other := newService(t, env)
		_, err := env.Twilio().ChatV2.FetchBinding(other, b.SID)
		wantRestError(t, "binding through another service", err, 404, 20404)
		err = env.Twilio().ChatV2.DeleteBinding(other, b.SID)
		wantRestError(t, "delete through another service", err, 404, 20404)
		_, err = env.Twilio().ChatV2.ListBinding(parley.NewSID(parley.PrefixService), nil)
		wantRestError(t, "unknown service", err, 404, 20404)
	})
}
