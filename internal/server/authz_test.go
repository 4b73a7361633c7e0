package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/server"
)

// account is one account of the matrix and the SIDs of one resource of
// each kind it owns, keyed by the path segment that names the kind.
type account struct {
	sid, token string
	identity   string // of its participant
	ids        map[string]string
}

// TestAuthorizationMatrix: with two accounts, every route of every surface
// (enumerated from the route tables, so new routes are covered without
// touching this test) is called with one account's credentials and the
// other account's SIDs. Nothing answers 2xx, nothing answers 5xx, and the
// owner's every readable resource is unchanged afterwards. Routes without
// an identifier (lists, creates) act on the caller's own account and must
// not show the other account's SIDs.
func TestAuthorizationMatrix(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		// A second account, as the bootstrap creates the first (the
		// accounts API will add sub-accounts).
		acct, _, err := core.New(env.Server.Store).Bootstrap(context.Background(), parley.NewSID(parley.PrefixAccount), parley.NewSecret())
		if err != nil {
			t.Fatal(err)
		}
		routes := server.Routes(core.New(env.Server.Store))
		a := populate(t, env, env.AccountSID, env.AuthToken, env.Server.Account.DefaultServiceSID, "a")
		b := populate(t, env, acct.SID, acct.AuthToken, acct.DefaultServiceSID, "b")
		statuses := map[int]int{}
		for _, pair := range [][2]*account{{b, a}, {a, b}} {
			caller, owner := pair[0], pair[1]
			before := snapshot(t, env, owner, routes)
			attack(t, env, caller, owner, routes, statuses)
			if after := snapshot(t, env, owner, routes); after != before {
				t.Errorf("requests with %s's credentials changed %s's resources:\nbefore %s\nafter  %s", caller.sid, owner.sid, before, after)
			}
		}
		t.Logf("authorization matrix: %d routes x 2 accounts, answers by status: %v", len(routes), statuses)
	})
}

// populate creates one resource of every kind in the account's default
// service through the API, and returns their SIDs.
func populate(t *testing.T, env *apitest.Env, sid, token, service, tag string) *account {
	t.Helper()
	acct := &account{sid: sid, token: token, identity: "alice-" + tag, ids: map[string]string{"Services": service}}
	create := func(kind, path string, params ...string) {
		t.Helper()
		form := url.Values{}
		for i := 0; i+1 < len(params); i += 2 {
			form.Add(params[i], params[i+1])
		}
		r := env.DoAs(sid, token, "POST", path, form)
		var body struct{ SID string }
		if json.Unmarshal(r.Body, &body); r.Status != 201 || body.SID == "" {
			t.Fatalf("populate %s: POST %s: %s", tag, path, r)
		}
		if kind != "" {
			acct.ids[kind] = body.SID
		}
	}
	create("Conversations", "/v1/Conversations", "UniqueName", "room-"+tag, "FriendlyName", "room "+tag)
	ch := "/v1/Conversations/" + acct.ids["Conversations"]
	create("Participants", ch+"/Participants", "Identity", "alice-"+tag)
	create("Messages", ch+"/Messages", "Author", "alice-"+tag, "Body", "hello from "+tag)
	create("Webhooks", ch+"/Webhooks", "Target", "webhook", "Configuration.Url", "https://example.com/"+tag)
	create("Roles", "/v1/Roles", "FriendlyName", "role-"+tag, "Type", "conversation", "Permission", "sendMessage")
	create("Credentials", "/v1/Credentials", "Type", "fcm", "Secret", "secret-"+tag)
	create("Addresses", "/v1/Configuration/Addresses", "Type", "sms", "Address", "+1555000000"+map[string]string{"a": "1", "b": "2"}[tag])
	create("Invites", "/v2/Services/"+service+"/Channels/"+acct.ids["Conversations"]+"/Invites", "Identity", "bob-"+tag)
	create("Keys", "/2010-04-01/Accounts/"+sid+"/Keys.json", "FriendlyName", "key-"+tag)
	create("IncomingPhoneNumbers", "/2010-04-01/Accounts/"+sid+"/IncomingPhoneNumbers.json",
		"PhoneNumber", "+1501712266"+map[string]string{"a": "1", "b": "2"}[tag])
	create("MessagingServices", "/messaging/v1/Services", "FriendlyName", "messaging-"+tag)
	create("", "/messaging/v1/Services/"+acct.ids["MessagingServices"]+"/PhoneNumbers",
		"PhoneNumberSid", acct.ids["IncomingPhoneNumbers"])
	acct.ids["MessagingPhoneNumbers"] = acct.ids["IncomingPhoneNumbers"]
	acct.ids["Accounts"] = sid
	r := env.DoAs(sid, token, "GET", "/v1/Users/alice-"+tag, nil)
	var user struct{ SID string }
	if json.Unmarshal(r.Body, &user); user.SID == "" {
		t.Fatalf("populate %s: user: %s", tag, r)
	}
	acct.ids["Users"] = user.SID
	// Kinds only other work creates (push registrations, receipts of
	// non-chat deliveries): SIDs no account owns still exercise the route.
	acct.ids["Bindings"] = parley.NewSID("BS")
	// Simulated phones are named by address in each account's own
	// simulator: the owner's phone gets a setting the intruder must not see.
	acct.ids["Phones"] = "+1555867531" + map[string]string{"a": "1", "b": "2"}[tag]
	if r := env.DoAs(sid, token, "POST", "/parley/v1/Simulator/Phones/"+acct.ids["Phones"], url.Values{"Outcome": {"failed"}}); r.Status != 200 {
		t.Fatalf("populate %s: phone: %s", tag, r)
	}
	acct.ids["Receipts"] = parley.NewSID("DY")
	return acct
}

// fill puts the account's SIDs into a route's wildcards: each wildcard
// takes the SID of the kind its preceding segment names.
func fill(t *testing.T, path string, ids map[string]string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		kind := segs[i-1]
		switch kind {
		case "Channels":
			kind = "Conversations"
		case "Members":
			kind = "Participants"
		case "Services", "PhoneNumbers":
			if strings.HasPrefix(path, "/messaging/") {
				kind = "Messaging" + kind // MG… services and their PN… senders
			}
		}
		id, ok := ids[kind]
		if !ok {
			t.Fatalf("route %s: no resource of kind %q in the matrix; add one to populate", path, segs[i-1])
		}
		segs[i] = id
		if i == len(segs)-1 && strings.HasPrefix(path, "/2010-04-01/") {
			segs[i] += ".json" // the 2010 API's resources end in .json
		}
	}
	return strings.Join(segs, "/")
}

// attack calls every route with caller's credentials and owner's SIDs,
// counting the answers by status.
func attack(t *testing.T, env *apitest.Env, caller, owner *account, routes []string, statuses map[int]int) {
	t.Helper()
	ordered := append([]string(nil), routes...)
	// Deletes last, so the other requests meet every resource in place.
	sort.SliceStable(ordered, func(i, j int) bool {
		return !strings.HasPrefix(ordered[i], "DELETE") && strings.HasPrefix(ordered[j], "DELETE")
	})
	for _, route := range ordered {
		method, pattern, _ := strings.Cut(route, " ")
		path := fill(t, pattern, owner.ids)
		params := intruderParams(method, pattern, owner)
		r := env.DoAs(caller.sid, caller.token, method, path, params)
		statuses[r.Status]++
		switch {
		case r.Status >= 500:
			t.Errorf("%s %s with another account's credentials: %s", method, path, r)
		case strings.Contains(pattern, "{") && r.Status < 400 && !strings.HasPrefix(pattern, "/parley/v1/Simulator/Phones/"):
			// A phone address names the caller's own simulated phone, never
			// the owner's: those answers are checked for leaks below.
			t.Errorf("%s %s reached another account's resource: %s", method, path, r)
		case r.Status < 400 && leaks(r.Body, owner):
			t.Errorf("%s %s shows another account's SIDs: %s", method, pattern, r)
		}
	}
}

// intruderParams are values that would pass the route's checks, so the
// answer is about ownership rather than validation; a list is filtered by
// the owner's participant identity.
func intruderParams(method, pattern string, owner *account) url.Values {
	if method == "GET" {
		return url.Values{"Identity": {owner.identity}}
	}
	if method != "POST" {
		return nil
	}
	form := url.Values{"FriendlyName": {"intruder"}, "Identity": {"intruder"}, "Body": {"intruder"},
		"Attributes": {`{"intruder":true}`}, "UniqueName": {"intruder"}, "Target": {"webhook"},
		"Configuration.Url": {"https://example.com/intruder"}, "Permission": {"sendMessage"}}
	switch kind := lastKind(pattern); {
	case kind == "Roles" && strings.HasPrefix(pattern, "/v2/"):
		form.Set("Type", "channel")
	case kind == "Roles":
		form.Set("Type", "conversation")
	case kind == "Credentials":
		form.Set("Type", "fcm")
		form.Set("Secret", "intruder")
	case kind == "Addresses":
		form.Set("Type", "sms")
		form.Set("Address", "+15559999999")
	case kind == "Channels":
		form.Set("Type", "private")
	case kind == "Accounts":
		form.Set("Status", "suspended")
	case kind == "Webhooks" && strings.HasPrefix(pattern, "/v2/"):
		form.Set("Type", "webhook") // Chat's name for Target
	}
	return form
}

// lastKind is the last literal segment of a route: the kind it acts on.
func lastKind(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i := len(segs) - 1; i >= 0; i-- {
		if !strings.HasPrefix(segs[i], "{") {
			return segs[i]
		}
	}
	return ""
}

// leaks reports whether body names any of the owner's SIDs.
func leaks(body []byte, owner *account) bool {
	if strings.Contains(string(body), `"outcome":"failed"`) {
		return true // the owner's simulated phone setting
	}
	for kind, id := range owner.ids {
		// A phone address is the caller's own phone's name too, echoed back.
		if kind != "Phones" && strings.Contains(string(body), id) {
			return true
		}
	}
	return strings.Contains(string(body), owner.sid)
}

// snapshot reads every GET route as the owner, over its own SIDs.
func snapshot(t *testing.T, env *apitest.Env, owner *account, routes []string) string {
	t.Helper()
	var out []string
	for _, route := range routes {
		method, pattern, _ := strings.Cut(route, " ")
		// The clock reads the time, which moves on its own.
		if method != "GET" || pattern == "/parley/v1/Clock" {
			continue
		}
		r := env.DoAs(owner.sid, owner.token, "GET", fill(t, pattern, owner.ids), nil)
		out = append(out, fmt.Sprintf("%s %d %s", pattern, r.Status, r.Body))
	}
	return strings.Join(out, "\n")
}
