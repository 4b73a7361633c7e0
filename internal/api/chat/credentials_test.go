package chat_test

import (
	"bytes"
	"net/url"
	"testing"

	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// Secret values sent in these tests; none may ever come back.
const (
	chatAPNCert = "-----BEGIN CERTIFICATE-----MIIFnTCCBIWgAwIBAgIIchatcert-----END CERTIFICATE-----"
	chatAPNKey  = "-----BEGIN RSA PRIVATE KEY-----MIIEpQIBAAKCAQEAchatkey-----END RSA PRIVATE KEY-----"
	chatFCMKey  = "AAAAchat-fcm-server-key-hidden"
	chatFCMKey2 = "AAAAchat-rotated-fcm-key-hidden"
)

// noChatSecrets fails when a response body holds any secret value.
func noChatSecrets(t *testing.T, resp apitest.Response) {
	t.Helper()
	for _, s := range []string{chatAPNCert, chatAPNKey, chatFCMKey, chatFCMKey2} {
		if bytes.Contains(resp.Body, []byte(s)) {
			t.Errorf("response leaks a secret: %s", resp.Body)
		}
	}
}

func TestChatCredentials(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ChatV2

		apn, err := api.CreateCredential(&chat.CreateCredentialParams{Type: refOf("apn"), FriendlyName: refOf("iOS"),
			Certificate: refOf(chatAPNCert), PrivateKey: refOf(chatAPNKey), Sandbox: refOf(true)})
		if err != nil {
			t.Fatal(err)
		}
		if *apn.Type != "apn" || *apn.FriendlyName != "iOS" || *apn.Sandbox != "true" || *apn.AccountSid != env.AccountSID ||
			!parley.IsSID(*apn.Sid, "CR") || *apn.Url != env.URL+"/v2/Credentials/"+*apn.Sid {
			t.Errorf("created %+v", apn)
		}
		fcm := env.Do("POST", "/v2/Credentials", url.Values{"Type": {"fcm"}, "FriendlyName": {"Android"}, "Secret": {chatFCMKey}})
		if fcm.Status != 201 {
			t.Fatalf("create fcm: %s", fcm)
		}
		noChatSecrets(t, fcm)

		got, err := api.FetchCredential(*apn.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *got.Sid != *apn.Sid || *got.Sandbox != "true" {
			t.Errorf("fetched %+v", got)
		}
		list, err := api.ListCredential(&chat.ListCredentialParams{PageSize: refOf(1)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || *list[0].Sid != *apn.Sid || *list[1].Type != "fcm" {
			t.Errorf("listed %+v", list)
		}

		up, err := api.UpdateCredential(*apn.Sid, &chat.UpdateCredentialParams{FriendlyName: refOf("iOS prod"), Sandbox: refOf(false)})
		if err != nil {
			t.Fatal(err)
		}
		if *up.FriendlyName != "iOS prod" || *up.Sandbox != "false" || *up.Type != "apn" {
			t.Errorf("updated %+v", up)
		}
		for _, resp := range []apitest.Response{
			env.Do("GET", "/v2/Credentials", nil),
			env.Do("POST", "/v2/Credentials/"+*list[1].Sid, url.Values{"Secret": {chatFCMKey2}}),
		} {
			if resp.Status != 200 {
				t.Errorf("%s", resp)
			}
			noChatSecrets(t, resp)
		}

		if err := api.DeleteCredential(*apn.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchCredential(*apn.Sid)
		wantRestError(t, "fetch deleted credential", err, 404, 20404)
		err = api.DeleteCredential(*apn.Sid)
		wantRestError(t, "delete deleted credential", err, 404, 20404)
	})
}

// Chat's and Conversations' credentials are the same rows.
func TestChatCredentialsAcrossAPIs(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		chatAPI, convAPI := env.Twilio().ChatV2, env.Twilio().ConversationsV1

		made, err := chatAPI.CreateCredential(&chat.CreateCredentialParams{Type: refOf("fcm"), FriendlyName: refOf("Android"),
			Secret: refOf(chatFCMKey)})
		if err != nil {
			t.Fatal(err)
		}
		seen, err := convAPI.FetchCredential(*made.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *seen.FriendlyName != "Android" || *seen.Type != "fcm" || seen.Sandbox != nil {
			t.Errorf("Conversations sees %+v", seen)
		}

		fromConv, err := convAPI.CreateCredential(&conv.CreateCredentialParams{Type: refOf("apn"),
			Certificate: refOf(chatAPNCert), PrivateKey: refOf(chatAPNKey)})
		if err != nil {
			t.Fatal(err)
		}
		inChat, err := chatAPI.FetchCredential(*fromConv.Sid)
		if err != nil {
			t.Fatal(err)
		}
		if *inChat.Type != "apn" || *inChat.Sandbox != *fromConv.Sandbox || inChat.FriendlyName != nil {
			t.Errorf("Chat sees %+v", inChat)
		}

		if err := chatAPI.DeleteCredential(*fromConv.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = convAPI.FetchCredential(*fromConv.Sid)
		wantRestError(t, "Conversations fetch of a credential deleted in Chat", err, 404, 20404)
	})
}

func TestChatCredentialsBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		for name, params := range map[string]url.Values{
			"no type":               {"FriendlyName": {"x"}},
			"unknown type":          {"Type": {"sms"}},
			"apn without key":       {"Type": {"apn"}, "Certificate": {chatAPNCert}},
			"fcm without secret":    {"Type": {"fcm"}},
			"sandbox not a boolean": {"Type": {"apn"}, "Certificate": {chatAPNCert}, "PrivateKey": {chatAPNKey}, "Sandbox": {"maybe"}},
		} {
			resp := env.Do("POST", "/v2/Credentials", params)
			if resp.Status != 400 || rawCode(t, resp) != 20001 {
				t.Errorf("%s: %s, want 400/20001", name, resp)
			}
			noChatSecrets(t, resp)
		}
		list, err := env.Twilio().ChatV2.ListCredential(nil)
		if err != nil || len(list) != 0 {
			t.Errorf("refused creates left %d credentials (err %v)", len(list), err)
		}
		_, err = env.Twilio().ChatV2.FetchCredential(parley.NewSID("CR"))
		wantRestError(t, "unknown credential", err, 404, 20404)
	})
}
