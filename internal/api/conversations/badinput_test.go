package conversations_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// snapshot is what a bad request must leave unchanged: every list the
// account can read, as raw JSON.
func snapshot(t *testing.T, env *apitest.Env, conversationSID string) string {
	t.Helper()
	var parts []string
	for _, path := range []string{"/v1/Services", "/v1/Conversations", "/v1/Users",
		"/v1/Conversations/" + conversationSID + "/Participants", "/v1/Conversations/" + conversationSID + "/Messages"} {
		r := env.Do("GET", path, url.Values{"PageSize": {"100"}})
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %s", path, r)
		}
		parts = append(parts, string(r.Body))
	}
	return strings.Join(parts, "\n")
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// TestBadInput: each bad request gets Twilio's status and code and changes nothing.
func TestBadInput(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		c := env.Do("POST", "/v1/Conversations", form("UniqueName", "taken", "FriendlyName", "x"))
		var conv struct{ SID string }
		json.Unmarshal(c.Body, &conv)
		ch := conv.SID
		if r := env.Do("POST", "/v1/Conversations/"+ch+"/Participants", form("Identity", "alice")); r.Status != 201 {
			t.Fatal(r)
		}
		if r := env.Do("POST", "/v1/Conversations/"+ch+"/Messages", form("Body", "hi")); r.Status != 201 {
			t.Fatal(r)
		}
		second := env.Do("POST", "/v1/Conversations", form("UniqueName", "second"))
		json.Unmarshal(second.Body, &conv)
		secondSID := conv.SID
		other := parley.NewSID(parley.PrefixAccount)
		long := strings.Repeat("x", 257)
		cases := []struct {
			name         string
			user, pass   string
			method, path string
			params       url.Values
			status, code int
		}{
			{"unknown conversation", "", "", "GET", "/v1/Conversations/CH00000000000000000000000000000000", nil, 404, 20404},
			{"unknown unique name", "", "", "GET", "/v1/Conversations/nope", nil, 404, 20404},
			{"unknown message", "", "", "GET", "/v1/Conversations/" + ch + "/Messages/IM00000000000000000000000000000000", nil, 404, 20404},
			{"unknown participant", "", "", "POST", "/v1/Conversations/" + ch + "/Participants/MB00000000000000000000000000000000", form("Attributes", "{}"), 404, 20404},
			{"unknown service", "", "", "GET", "/v1/Services/IS00000000000000000000000000000000/Conversations", nil, 404, 20404},
			{"unknown user", "", "", "DELETE", "/v1/Users/US00000000000000000000000000000000", nil, 404, 20404},
			{"unknown path", "", "", "GET", "/v1/Nothing", nil, 404, 20404},
			{"invalid JSON attributes", "", "", "POST", "/v1/Conversations", form("Attributes", "{not json"), 400, 20001},
			{"invalid JSON message attributes", "", "", "POST", "/v1/Conversations/" + ch + "/Messages", form("Body", "x", "Attributes", "[1,"), 400, 20001},
			{"over-long friendly name", "", "", "POST", "/v1/Conversations", form("FriendlyName", long), 400, 20001},
			{"over-long identity", "", "", "POST", "/v1/Conversations/" + ch + "/Participants", form("Identity", long), 400, 20001},
			{"over-long conversation attributes", "", "", "POST", "/v1/Conversations", form("Attributes", `"`+strings.Repeat("a", 16*1024)+`"`), 400, 20001},
			{"over-long message attributes", "", "", "POST", "/v1/Conversations/" + ch + "/Messages", form("Body", "x", "Attributes", `"`+strings.Repeat("a", 4*1024)+`"`), 400, 20001},
			{"over-long body", "", "", "POST", "/v1/Conversations/" + ch + "/Messages", form("Body", strings.Repeat("b", 32*1024+1)), 400, 50504},
			{"empty message", "", "", "POST", "/v1/Conversations/" + ch + "/Messages", form("Author", "alice"), 400, 20001},
			{"unknown media", "", "", "POST", "/v1/Conversations/" + ch + "/Messages", form("MediaSid", parley.NewSID("ME")), 400, 50510},
			{"malformed media SID", "", "", "POST", "/v1/Conversations/" + ch + "/Messages", form("Body", "x", "MediaSid", "nope"), 400, 50510},
			{"duplicate unique name", "", "", "POST", "/v1/Conversations", form("UniqueName", "taken"), 409, 50353},
			{"duplicate unique name on update", "", "", "POST", "/v1/Conversations/" + secondSID, form("UniqueName", "taken"), 409, 50353},
			{"duplicate identity", "", "", "POST", "/v1/Conversations/" + ch + "/Participants", form("Identity", "alice"), 409, 50433},
			{"duplicate user", "", "", "POST", "/v1/Users", form("Identity", "alice"), 409, 50201},
			{"bad state", "", "", "POST", "/v1/Conversations", form("State", "sleepy"), 400, 50378},
			{"created closed", "", "", "POST", "/v1/Conversations", form("State", "closed"), 400, 50384},
			{"timers without state", "", "", "POST", "/v1/Conversations", form("Timers.Inactive", "PT5M"), 400, 50382},
			{"inactive timer too short", "", "", "POST", "/v1/Conversations", form("State", "active", "Timers.Inactive", "PT30S"), 400, 50375},
			{"closed timer too short", "", "", "POST", "/v1/Conversations", form("State", "active", "Timers.Closed", "PT5M"), 400, 50376},
			{"malformed timer", "", "", "POST", "/v1/Conversations", form("State", "active", "Timers.Inactive", "ten minutes"), 400, 50379},
			{"unique name looks like a sid", "", "", "POST", "/v1/Conversations", form("UniqueName", "CH00000000000000000000000000000000"), 400, 50390},
			{"invalid UTF-8 in a name", "", "", "POST", "/v1/Conversations", form("FriendlyName", "caf\xc8"), 400, 20001},
			{"invalid UTF-8 in attributes", "", "", "POST", "/v1/Conversations", form("Attributes", "\"\xc8\""), 400, 20001},
			{"malformed date", "", "", "POST", "/v1/Conversations", form("DateCreated", "yesterday"), 400, 20001},
			{"malformed page size", "", "", "GET", "/v1/Conversations", form("PageSize", "many"), 400, 20001},
			{"malformed page token", "", "", "GET", "/v1/Conversations", form("PageToken", "garbage"), 400, 20001},
			{"bad order", "", "", "GET", "/v1/Conversations/" + ch + "/Messages", form("Order", "sideways"), 400, 20001},
			{"wrong password", env.AccountSID, "wrong", "GET", "/v1/Conversations", nil, 401, 20003},
			{"no credentials", "-", "", "GET", "/v1/Conversations", nil, 401, 20003},
			{"unknown account", other, env.AuthToken, "GET", "/v1/Conversations", nil, 401, 20003},
			{"unsupported method", "", "", "PUT", "/v1/Conversations/" + ch, nil, 405, 20004},
			{"unsupported method on a list", "", "", "DELETE", "/v1/Conversations", nil, 405, 20004},
			{"delete default service", "", "", "DELETE", "/v1/Services/" + env.Server.Account.DefaultServiceSID, nil, 409, 50005},
		}
		before := snapshot(t, env, ch)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				user, pass := env.AccountSID, env.AuthToken
				if tc.user != "" {
					user, pass = tc.user, tc.pass
				}
				if user == "-" {
					user = ""
				}
				r := env.DoAs(user, pass, tc.method, tc.path, tc.params)
				var body struct{ Code, Status int }
				json.Unmarshal(r.Body, &body)
				if r.Status != tc.status || body.Code != tc.code {
					t.Errorf("got %s, want %d with code %d", r, tc.status, tc.code)
				}
			})
		}
		if after := snapshot(t, env, ch); after != before {
			t.Errorf("bad requests changed the store:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// TestMessageDateUpdated: a message's date_updated is null until the
// message is changed (the field's documented definition).
func TestMessageDateUpdated(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		c := env.Do("POST", "/v1/Conversations", nil)
		var conv struct{ SID string }
		json.Unmarshal(c.Body, &conv)
		type message struct {
			SID         string  `json:"sid"`
			DateUpdated *string `json:"date_updated"`
		}
		var m message
		r := env.Do("POST", "/v1/Conversations/"+conv.SID+"/Messages", form("Body", "hi"))
		if json.Unmarshal(r.Body, &m); r.Status != 201 || m.DateUpdated != nil {
			t.Fatalf("new message: %s; want date_updated null", r)
		}
		r = env.Do("GET", "/v1/Conversations/"+conv.SID+"/Messages/"+m.SID, nil)
		if json.Unmarshal(r.Body, &m); m.DateUpdated != nil {
			t.Fatalf("fetched unedited message: %s", r)
		}
		r = env.Do("POST", "/v1/Conversations/"+conv.SID+"/Messages/"+m.SID, form("Body", "edited"))
		if json.Unmarshal(r.Body, &m); r.Status != 200 || m.DateUpdated == nil {
			t.Fatalf("edited message: %s; want a date_updated", r)
		}
	})
}
