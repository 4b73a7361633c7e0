package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestRouteByHost: a request that keeps Twilio's Host header reaches the
// product that Host names (DESIGN decision 3): messaging.* is Messaging on
// /v1; chat.* and ip-messaging.* are Chat, whose v1 Parley does not serve
// (never Conversations' /v1 in its place); conversations.* is v1 only.
func TestRouteByHost(t *testing.T) {
	env := apitest.Start(t, "sqlite")
	client := &http.Client{Transport: env.HostTransport()}
	for _, tc := range []struct {
		host, path string
		status     int
		key        string // a field of the answer: which product answered
	}{
		{"conversations.twilio.com", "/v1/Services", 200, "services"},
		{"conversations.twilio.com", "/v2/Services", 404, "code"},
		{"chat.twilio.com", "/v2/Services", 200, "services"},
		{"ip-messaging.twilio.com", "/v2/Services", 200, "services"},
		{"chat.twilio.com", "/v1/Services", 404, "code"},
		{"ip-messaging.twilio.com", "/v1/Services", 404, "code"},
		{"messaging.twilio.com", "/v1/Services", 200, "services"},
	} {
		req, err := http.NewRequest("GET", "https://"+tc.host+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(env.AccountSID, env.AuthToken)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var doc map[string]any
		if resp.StatusCode != tc.status || json.Unmarshal(body, &doc) != nil || doc[tc.key] == nil {
			t.Errorf("%s%s: %d %s", tc.host, tc.path, resp.StatusCode, body)
		}
		if tc.status == 404 && doc["code"] != float64(20404) {
			t.Errorf("%s%s: code %v", tc.host, tc.path, doc["code"])
		}
	}
}
