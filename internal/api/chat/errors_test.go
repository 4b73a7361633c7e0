package chat_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// TestChatErrorCodes: where Chat's error dictionary has a code of its own,
// the Chat surface answers it (Conversations keeps its own), and the bad
// request changes nothing.
func TestChatErrorCodes(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		svc := newService(t, env)
		ch := newChannel(t, env, svc, "taken", "alice")
		channels := "/v2/Services/" + svc + "/Channels"
		long := strings.Repeat("x", 257)
		cases := []struct {
			name, method, path string
			params             url.Values
			status, code       int
		}{
			{"unique name like a SID", "POST", channels, url.Values{"UniqueName": {parley.NewSID(parley.PrefixConversation)}}, 400, 50306},
			{"duplicate unique name", "POST", channels, url.Values{"UniqueName": {"taken"}}, 409, 50307},
			{"attributes not JSON", "POST", channels, url.Values{"Attributes": {"{nope"}}, 400, 50304},
			{"attributes too long", "POST", channels, url.Values{"Attributes": {`"` + strings.Repeat("a", 16*1024) + `"`}}, 400, 50303},
			{"friendly name too long", "POST", channels, url.Values{"FriendlyName": {long}}, 400, 50003},
			{"unique name too long", "POST", channels, url.Values{"UniqueName": {long}}, 400, 50004},
			{"update: attributes not JSON", "POST", channels + "/" + ch, url.Values{"Attributes": {"[1,"}}, 400, 50304},
			{"user identity too long", "POST", "/v2/Services/" + svc + "/Users", url.Values{"Identity": {long}}, 400, 50207},
			{"member identity too long", "POST", channels + "/" + ch + "/Members", url.Values{"Identity": {long}}, 400, 50207},
			{"member with an unknown role", "POST", channels + "/" + ch + "/Members",
				url.Values{"Identity": {"bob"}, "RoleSid": {parley.NewSID(parley.PrefixRole)}}, 400, 50101},
			{"message attributes not JSON", "POST", channels + "/" + ch + "/Messages", url.Values{"Body": {"x"}, "Attributes": {"{"}}, 400, 50304},
		}
		before := chatSnapshot(t, env, svc, ch)
		for _, tc := range cases {
			r := env.Do(tc.method, tc.path, tc.params)
			var body struct{ Code int }
			json.Unmarshal(r.Body, &body)
			if r.Status != tc.status || body.Code != tc.code {
				t.Errorf("%s: got %s, want %d with code %d", tc.name, r, tc.status, tc.code)
			}
		}
		if after := chatSnapshot(t, env, svc, ch); after != before {
			t.Errorf("bad requests changed the service:\nbefore %s\nafter  %s", before, after)
		}
		// The same failures through Conversations keep Conversations' codes.
		for _, tc := range []struct {
			path   string
			params url.Values
			code   int
		}{
			{"/v1/Services/" + svc + "/Conversations", url.Values{"UniqueName": {"taken"}}, 50353},
			{"/v1/Services/" + svc + "/Conversations", url.Values{"Attributes": {"{nope"}}, 20001},
			{"/v1/Services/" + svc + "/Conversations/" + ch + "/Participants", url.Values{"Identity": {"bob"}, "RoleSid": {parley.NewSID(parley.PrefixRole)}}, 50109},
		} {
			r := env.Do("POST", tc.path, tc.params)
			var body struct{ Code int }
			json.Unmarshal(r.Body, &body)
			if body.Code != tc.code {
				t.Errorf("Conversations %s %v: got %s, want code %d", tc.path, tc.params, r, tc.code)
			}
		}
	})
}

func chatSnapshot(t *testing.T, env *apitest.Env, svc, ch string) string {
	t.Helper()
	var parts []string
	for _, path := range []string{"/v2/Services/" + svc + "/Channels", "/v2/Services/" + svc + "/Users",
		"/v2/Services/" + svc + "/Channels/" + ch + "/Members", "/v2/Services/" + svc + "/Channels/" + ch + "/Messages"} {
		r := env.Do("GET", path, nil)
		if r.Status != 200 {
			t.Fatalf("GET %s: %s", path, r)
		}
		parts = append(parts, string(r.Body))
	}
	return strings.Join(parts, "\n")
}
