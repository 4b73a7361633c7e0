package conversations_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/secrets"
)

// Secret values sent in these tests; none may ever come back or sit in the
// database in the clear.
const (
	apnCert    = "-----BEGIN CERTIFICATE-----MIIFnTCCBIWgAwIBAgIIAjy9H849+E8wDQYJ-----END CERTIFICATE-----"
	apnKey     = "-----BEGIN RSA PRIVATE KEY-----MIIEpQIBAAKCAQEAuyf/lNrH9ck8DmNy-----END RSA PRIVATE KEY-----"
	gcmAPIKey  = "AIzaSyGcmApiKeyThatMustStayHidden"
	fcmSecret  = "AAAAfcm-server-key-that-must-stay-hidden"
	newFCMSecr = "AAAArotated-fcm-server-key-hidden-too"
)

var allSecrets = []string{apnCert, apnKey, gcmAPIKey, fcmSecret, newFCMSecr}

// noSecrets fails when a response body holds any secret value.
func noSecrets(t *testing.T, resp apitest.Response) {
	t.Helper()
	for _, s := range allSecrets {
		if bytes.Contains(resp.Body, []byte(s)) || bytes.Contains(resp.Body, []byte(s[8:24])) {
			t.Errorf("response leaks a secret: %s", resp.Body)
		}
	}
}

func TestCredentials(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1

		apn, err := api.CreateCredential(&conv.CreateCredentialParams{Type: ptr("apn"), FriendlyName: ptr("iOS"),
			Certificate: ptr(apnCert), PrivateKey: ptr(apnKey), Sandbox: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := spaced(*apn.Type, *apn.FriendlyName, *apn.Sandbox), "apn iOS true"; got != want {
			t.Errorf("apn credential = %s, want %s", got, want)
		}
		gcm := env.Do("POST", "/v1/Credentials", formOf("Type", "gcm", "ApiKey", gcmAPIKey))
		expectStatus(t, gcm, 201)
		noSecrets(t, gcm)
		if b := bodyOf(t, gcm); b["sandbox"] != nil || b["friendly_name"] != nil {
			t.Errorf("gcm credential: %s", gcm.Body)
		}
		fcm := env.Do("POST", "/v1/Credentials", formOf("Type", "fcm", "FriendlyName", "Android", "Secret", fcmSecret))
		expectStatus(t, fcm, 201)
		noSecrets(t, fcm)
		fcmSID := bodyOf(t, fcm)["sid"].(string)

		// Every read and write answers without the secrets.
		for _, resp := range []apitest.Response{
			env.Do("GET", "/v1/Credentials", nil),
			env.Do("GET", "/v1/Credentials/"+*apn.Sid, nil),
			env.Do("POST", "/v1/Credentials/"+fcmSID, formOf("Secret", newFCMSecr, "FriendlyName", "Android 2")),
		} {
			expectStatus(t, resp, 200)
			noSecrets(t, resp)
		}
		list, err := api.ListCredential(&conv.ListCredentialParams{PageSize: ptr(2)})
		if err != nil || len(list) != 3 {
			t.Fatalf("list = %d, %v; want 3", len(list), err)
		}
		updated, err := api.UpdateCredential(*apn.Sid, &conv.UpdateCredentialParams{Sandbox: ptr(false)})
		if err != nil || *updated.Sandbox != "false" || *updated.FriendlyName != "iOS" {
			t.Errorf("update = %+v, %v", updated, err)
		}
		// A type change needs the new type's secrets and drops the old ones.
		moved, err := api.UpdateCredential(fcmSID, &conv.UpdateCredentialParams{Type: ptr("apn"),
			Certificate: ptr(apnCert), PrivateKey: ptr(apnKey)})
		if err != nil || spaced(*moved.Type, *moved.Sandbox) != "apn false" {
			t.Errorf("fcm to apn = %+v, %v", moved, err)
		}
		back, err := api.UpdateCredential(fcmSID, &conv.UpdateCredentialParams{Type: ptr("fcm"), Secret: ptr(newFCMSecr)})
		if err != nil || *back.Type != "fcm" || back.Sandbox != nil {
			t.Errorf("apn to fcm = %+v, %v", back, err)
		}
		if _, err := api.FetchCredential(fcmSID); err != nil {
			t.Fatal(err)
		}

		rejectBadCredentials(t, env, fcmSID)
		if n := storedRows(t, env, "credentials", "account_sid", env.AccountSID); n != 3 {
			t.Errorf("%d credentials stored, want 3", n)
		}

		assertSealedAtRest(t, env)

		if err := api.DeleteCredential(*apn.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchCredential(*apn.Sid)
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("after delete: %d/%d", status, code)
		}
	})
}

// assertSealedAtRest checks the database, row and raw files, for secrets.
func assertSealedAtRest(t *testing.T, env *apitest.Env) {
	t.Helper()
	rows, err := openServerDB(t, env).Query(`SELECT sealed FROM credentials`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sealed string
		if err := rows.Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(sealed)
		for _, s := range allSecrets {
			if strings.Contains(sealed, s) || bytes.Contains(raw, []byte(s)) {
				t.Errorf("a secret is stored in the clear")
			}
		}
	}
	if env.Engine != "sqlite" {
		return
	}
	for _, suffix := range []string{"", "-wal"} {
		file, err := os.ReadFile(env.Config().DatabaseURL + suffix)
		if err != nil {
			continue
		}
		for _, s := range allSecrets {
			if bytes.Contains(file, []byte(s)) {
				t.Errorf("%s holds a secret in the clear", filepath.Base(env.Config().DatabaseURL+suffix))
			}
		}
	}
}

// The master key is generated into the data directory once and reused, so a
// credential sealed before a restart opens after it.
func TestCredentialsSurviveRestart(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		keyPath := filepath.Join(env.Config().DataDir, "master.key")
		info, err := os.Stat(keyPath)
		if err != nil {
			t.Fatalf("no master key generated: %v", err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("master.key mode = %v, want 0600", info.Mode().Perm())
		}
		before, _ := os.ReadFile(keyPath)
		c, err := env.Twilio().ConversationsV1.CreateCredential(&conv.CreateCredentialParams{Type: ptr("fcm"), Secret: ptr(fcmSecret)})
		if err != nil {
			t.Fatal(err)
		}
		env.Stop()

		env = apitest.StartConfig(t, engine, env.Config())
		if after, _ := os.ReadFile(keyPath); !bytes.Equal(before, after) {
			t.Fatal("restart replaced the master key")
		}
		// An update opens the sealed secrets and seals them again.
		resp := env.Do("POST", "/v1/Credentials/"+*c.Sid, formOf("FriendlyName", "after restart"))
		expectStatus(t, resp, 200)
		noSecrets(t, resp)

		key, err := secrets.ParseKey(string(before))
		if err != nil {
			t.Fatal(err)
		}
		var sealed string
		if err := openServerDB(t, env).QueryRow(`SELECT sealed FROM credentials WHERE sid = $1`, *c.Sid).Scan(&sealed); err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(sealed)
		plain, err := secrets.Open(key, raw, []byte(env.AccountSID+"/"+*c.Sid))
		if err != nil || !strings.Contains(string(plain), fcmSecret) {
			t.Errorf("sealed secrets open to %q, %v", plain, err)
		}
	})
}

// rejectBadCredentials sends bad creates and updates; each must fail.
func rejectBadCredentials(t *testing.T, env *apitest.Env, fcmSID string) {
	for name, params := range map[string][]string{
		"no type":          {"Secret", "x"},
		"unknown type":     {"Type", "hms", "Secret", "x"},
		"apn without key":  {"Type", "apn", "Certificate", "c"},
		"gcm without key":  {"Type", "gcm"},
		"fcm without key":  {"Type", "fcm", "ApiKey", "k"},
		"long name":        {"Type", "fcm", "Secret", "x", "FriendlyName", strings.Repeat("n", 65)},
		"sandbox not bool": {"Type", "apn", "Certificate", "c", "PrivateKey", "k", "Sandbox", "sometimes"},
	} {
		t.Run(name, func(t *testing.T) { expectError(t, env.Do("POST", "/v1/Credentials", formOf(params...)), 400, 20001) })
	}
	expectError(t, env.Do("POST", "/v1/Credentials/"+fcmSID, formOf("Type", "apn")), 400, 20001)
}
