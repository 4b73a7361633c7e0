package conversations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// insertBinding stores a push binding directly: REST cannot create one (the
// SDK registers them).
func insertBinding(t *testing.T, env *apitest.Env, serviceSID, identity, typ string) *parley.Binding {
	t.Helper()
	credential := parley.NewSID("CR")
	b := &parley.Binding{SID: parley.NewSID(parley.PrefixBinding), AccountSID: env.AccountSID, ServiceSID: serviceSID,
		CredentialSID: &credential, Endpoint: fmt.Sprintf("%s-endpoint-%s", identity, typ), Identity: identity,
		BindingType: typ, MessageTypes: []string{"new_message", "added_to_conversation"}}
	err := env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
		b.DateCreated, b.DateUpdated = tx.Now(), tx.Now()
		return tx.CreateBinding(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func bindingSIDs(bs []conv.ConversationsV1ServiceBinding) []string {
	var sids []string
	for _, b := range bs {
		sids = append(sids, *b.Sid)
	}
	return sids
}

func TestBindings(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc := env.Server.Account.DefaultServiceSID

		empty, err := api.ListServiceBinding(svc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(empty) != 0 {
			t.Errorf("fresh service lists %d bindings, want 0", len(empty))
		}
		_, err = api.FetchServiceBinding(svc, parley.NewSID(parley.PrefixBinding))
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("fetch unknown binding: %d/%d, want 404/20404", status, code)
		}

		aliceAPN := insertBinding(t, env, svc, "alice", "apn")
		aliceFCM := insertBinding(t, env, svc, "alice", "fcm")
		bobGCM := insertBinding(t, env, svc, "bob", "gcm")

		for name, tc := range map[string]struct {
			params *conv.ListServiceBindingParams
			want   []string
		}{
			"all, two per page": {&conv.ListServiceBindingParams{PageSize: ptr(2)}, []string{aliceAPN.SID, aliceFCM.SID, bobGCM.SID}},
			"types apn or gcm":  {&conv.ListServiceBindingParams{BindingType: &[]string{"apn", "gcm"}}, []string{aliceAPN.SID, bobGCM.SID}},
			"identity alice":    {&conv.ListServiceBindingParams{Identity: &[]string{"alice"}}, []string{aliceAPN.SID, aliceFCM.SID}},
			"alice's fcm":       {&conv.ListServiceBindingParams{Identity: &[]string{"alice"}, BindingType: &[]string{"fcm"}}, []string{aliceFCM.SID}},
			"nobody":            {&conv.ListServiceBindingParams{Identity: &[]string{"carol"}}, nil},
		} {
			got, err := api.ListServiceBinding(svc, tc.params)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(bindingSIDs(got)) != fmt.Sprint(tc.want) {
				t.Errorf("%s: got %v, want %v", name, bindingSIDs(got), tc.want)
			}
		}

		b, err := api.FetchServiceBinding(svc, bobGCM.SID)
		if err != nil {
			t.Fatal(err)
		}
		if *b.Identity != "bob" || *b.BindingType != "gcm" || *b.Endpoint != bobGCM.Endpoint ||
			*b.CredentialSid != *bobGCM.CredentialSID || *b.ChatServiceSid != svc {
			t.Errorf("fetched %+v, want bob's gcm binding", b)
		}
		if got, want := fmt.Sprint(*b.MessageTypes), "[new_message added_to_conversation]"; got != want {
			t.Errorf("message_types = %s, want %s", got, want)
		}
		if got, want := *b.Url, env.URL+"/v1/Services/"+svc+"/Bindings/"+bobGCM.SID; got != want {
			t.Errorf("url = %s, want %s", got, want)
		}

		if err := api.DeleteServiceBinding(svc, bobGCM.SID); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchServiceBinding(svc, bobGCM.SID)
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("fetch deleted binding: %d/%d, want 404/20404", status, code)
		}
		err = api.DeleteServiceBinding(svc, bobGCM.SID)
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("delete deleted binding: %d/%d, want 404/20404", status, code)
		}
	})
}

// A binding belongs to its service: another service neither lists, fetches
// nor deletes it, and bad filters are refused.
func TestBindingsScopeAndBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc := env.Server.Account.DefaultServiceSID
		b := insertBinding(t, env, svc, "alice", "apn")

		other, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("other")})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := api.ListServiceBinding(*other.Sid, nil); err != nil || len(got) != 0 {
			t.Errorf("other service lists %d bindings (err %v), want 0", len(got), err)
		}
		_, err = api.FetchServiceBinding(*other.Sid, b.SID)
		if status, _ := twilioCode(t, err); status != 404 {
			t.Errorf("fetch through another service: %d, want 404", status)
		}
		err = api.DeleteServiceBinding(*other.Sid, b.SID)
		if status, _ := twilioCode(t, err); status != 404 {
			t.Errorf("delete through another service: %d, want 404", status)
		}
		if _, err := api.FetchServiceBinding(svc, b.SID); err != nil {
			t.Errorf("binding gone after a refused delete: %v", err)
		}

		resp := env.Do("GET", "/v1/Services/"+svc+"/Bindings", url.Values{"BindingType": {"sms"}})
		if resp.Status != 400 || errorCode(t, resp) != 20001 {
			t.Errorf("BindingType=sms: %s, want 400/20001", resp)
		}
		resp = env.Do("GET", "/v1/Services/"+parley.NewSID(parley.PrefixService)+"/Bindings", nil)
		if resp.Status != 404 {
			t.Errorf("unknown service: %s, want 404", resp)
		}

	})
}

// errorCode decodes the Twilio error code of a raw response.
func errorCode(t *testing.T, resp apitest.Response) int {
	t.Helper()
	var body struct {
		Code int `json:"code"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatalf("error body: %v: %s", err, resp.Body)
	}
	return body.Code
}
