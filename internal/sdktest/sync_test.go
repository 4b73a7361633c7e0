package sdktest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

type syncItems struct {
	Items []struct {
		Key         *string         `json:"key"`
		Index       *int64          `json:"index"`
		URL         string          `json:"url"`
		LastEventID *int64          `json:"last_event_id"`
		Data        json.RawMessage `json:"data"`
	} `json:"items"`
	Meta struct {
		PreviousToken *string `json:"previous_token"`
		NextToken     *string `json:"next_token"`
	} `json:"meta"`
}

func (s syncItems) ids() string {
	var ids []string
	for _, it := range s.Items {
		if it.Key != nil {
			ids = append(ids, *it.Key)
		} else {
			ids = append(ids, fmt.Sprint(*it.Index))
		}
	}
	return strings.Join(ids, ",")
}

// tokens renders which page tokens are present: the SDK reads only that.
func (s syncItems) tokens() string {
	return fmt.Sprintf("prev=%v next=%v", s.Meta.PreviousToken != nil, s.Meta.NextToken != nil)
}

type syncError struct {
	Status int `json:"status"`
	Code   int `json:"code"`
}

// TestSyncReads checks the virtual Sync over a raw twilsock connection:
// the Configuration's objects, descriptors, item queries (Key, Index, From
// inclusive, Order, PageSize, tokens), access rules and subscriptions.
func TestSyncReads(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		api := e.Twilio().ConversationsV1
		str := func(s string) *string { return &s }
		var convs []string
		for i := range 5 {
			c, err := api.CreateConversation(&conv.CreateConversationParams{FriendlyName: str(fmt.Sprint("c", i))})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("alice")}); err != nil {
				t.Fatal(err)
			}
			convs = append(convs, *c.Sid)
		}
		for i := range 12 {
			if _, err := api.CreateConversationMessage(convs[0], &conv.CreateConversationMessageParams{Author: str("bob"), Body: str(fmt.Sprint(i))}); err != nil {
				t.Fatal(err)
			}
		}
		other, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}

		alice := e.dial(t, "alice")
		var cfg struct {
			Identity    string            `json:"identity"`
			Links       map[string]string `json:"links"`
			SyncObjects map[string]string `json:"sync_objects"`
		}
		if st := alice.call("GET", "/Client/v2/Configuration", "", &cfg); st != 200 {
			t.Fatalf("Configuration: %d", st)
		}
		for name, link := range cfg.Links {
			if link != "" && !strings.HasPrefix(link, e.URL+"/") {
				t.Errorf("link %s = %q, want an absolute URL on %s", name, link, e.URL)
			}
		}
		if _, err := e.Twilio().ConversationsV1.FetchUser("alice"); err != nil {
			t.Errorf("the first login did not create alice's User: %v", err)
		}

		// The user info map with its required items.
		var userMap struct {
			SID   string `json:"sid"`
			Links struct {
				Items string `json:"items"`
			} `json:"links"`
			Items []struct {
				Key string `json:"key"`
			} `json:"items"`
		}
		alice.call("GET", "/v3/Maps/"+cfg.SyncObjects["my_user_info"]+"?Include=items", "", &userMap)
		var keys []string
		for _, it := range userMap.Items {
			keys = append(keys, it.Key)
		}
		if got := strings.Join(keys, ","); got != "attributes,friendlyName" {
			t.Errorf("user info items = %s, want attributes,friendlyName", got)
		}

		// My conversations map: keys in byte order, From inclusive.
		myMap := "/v3/Maps/" + cfg.SyncObjects["my_conversations"] + "/Items"
		sorted := append([]string(nil), convs...)
		slices.Sort(sorted)
		for _, tc := range []struct{ query, ids, tokens string }{
			{"PageSize=2", sorted[0] + "," + sorted[1], "prev=false next=true"},
			{"From=" + sorted[1] + "&PageSize=2", sorted[1] + "," + sorted[2], "prev=true next=true"},
			{"From=" + sorted[3] + "&PageSize=10", sorted[3] + "," + sorted[4], "prev=true next=false"},
			{"From=" + sorted[1] + "&PageSize=10&Order=desc", sorted[1] + "," + sorted[0], "prev=true next=false"},
			{"Order=desc&PageSize=1", sorted[4], "prev=false next=true"},
			{"Key=" + sorted[2], sorted[2], "prev=false next=false"},
			{"Key=CHnope", "", "prev=false next=false"},
		} {
			var page syncItems
			if st := alice.call("GET", myMap+"?HideExpired=true&"+tc.query, "", &page); st != 200 {
				t.Errorf("%s: status %d", tc.query, st)
				continue
			}
			if page.ids() != tc.ids || page.tokens() != tc.tokens {
				t.Errorf("my conversations ?%s = [%s] %s, want [%s] %s", tc.query, page.ids(), page.tokens(), tc.ids, tc.tokens)
			}
		}
		var first syncItems
		alice.call("GET", myMap+"?PageSize=2", "", &first)
		var next syncItems
		alice.call("GET", myMap+"?PageSize=2&PageToken="+url.QueryEscape(*first.Meta.NextToken), "", &next)
		if next.ids() != sorted[2]+","+sorted[3] {
			t.Errorf("next_token page = [%s], want the two after the first page", next.ids())
		}

		// The messages list: numeric indexes, From inclusive both ways.
		list := "/v3/Lists/ES" + convs[0] + "/Items"
		for _, tc := range []struct{ query, ids, tokens string }{
			{"PageSize=3", "0,1,2", "prev=false next=true"},
			{"Order=desc&PageSize=10", "11,10,9,8,7,6,5,4,3,2", "prev=false next=true"},
			{"From=2&Order=desc&PageSize=10", "2,1,0", "prev=true next=false"},
			{"From=9&PageSize=10", "9,10,11", "prev=true next=false"},
			{"Index=4", "4", "prev=false next=false"},
			{"Index=40", "", "prev=false next=false"},
		} {
			var page syncItems
			alice.call("GET", list+"?"+tc.query, "", &page)
			if page.ids() != tc.ids || page.tokens() != tc.tokens {
				t.Errorf("messages ?%s = [%s] %s, want [%s] %s", tc.query, page.ids(), page.tokens(), tc.ids, tc.tokens)
			}
		}
		var msg struct {
			Items []struct {
				Data struct {
					Author string `json:"author"`
					Text   string `json:"text"`
				} `json:"data"`
			} `json:"items"`
		}
		alice.call("GET", list+"?Index=7", "", &msg)
		if len(msg.Items) != 1 || msg.Items[0].Data.Text != "7" || msg.Items[0].Data.Author != "bob" {
			t.Errorf("message 7 = %+v", msg.Items)
		}

		// Access: only participants read a conversation; only the owner
		// reads a conversations map; unknown objects are 404.
		bob := e.dial(t, "bob")
		for _, tc := range []struct {
			who    *sock
			path   string
			status int
			code   int
		}{
			{alice, "/v3/Maps/MP" + *other.Sid, 403, 54007},
			{alice, "/v3/Documents/ET" + *other.Sid, 403, 54007},
			{bob, "/v3/Maps/" + cfg.SyncObjects["my_conversations"], 403, 54007},
			{alice, "/v3/Maps/MPnothing", 404, 54200},
			{alice, "/v3/Lists/ESCH00000000000000000000000000000000", 404, 54150},
			{alice, "/v3/Documents/whatever", 404, 54100},
			{alice, list + "?PageSize=0", 400, 20001},
			{alice, "/Client/v2/Nothing", 404, 20404},
		} {
			var body syncError
			if st := tc.who.call("GET", tc.path, "", &body); st != tc.status || body.Code != tc.code || body.Status != tc.status {
				t.Errorf("GET %s: %d %+v, want %d with code %d", tc.path, st, body, tc.status, tc.code)
			}
		}

		// Subscriptions: the events after the client's last_event_id
		// replayed from the log (12 messages were posted), the reply, then
		// the outcome echoing the numeric correlation id.
		var reply struct {
			EstimatedDeliveryInMS int `json:"estimated_delivery_in_ms"`
			TTLInS                int `json:"ttl_in_s"`
		}
		body := `{"event_protocol_version":4,"action":"establish","correlation_id":1795464394634,"retried_requests":0,"ttl_in_s":-1,
			"requests":[{"object_sid":"ES` + convs[0] + `","object_type":"list","last_event_id":10},
			{"object_sid":"MP` + *other.Sid + `","object_type":"map","last_event_id":0}]}`
		if st := alice.call("POST", "/v4/Subscriptions", body, &reply); st != 200 || reply.EstimatedDeliveryInMS <= 0 || reply.TTLInS != -1 {
			t.Fatalf("subscribe: %d %+v", st, reply)
		}
		for _, want := range []string{
			`"event":{"id":11,"list_sid":"ES` + convs[0] + `","item_index":10,`,
			`"event":{"id":12,"list_sid":"ES` + convs[0] + `","item_index":11,`,
			`{"event_type":"subscription_established","correlation_id":1795464394634,"events":[{"object_sid":"ES` + convs[0] + `","object_type":"list","replay_status":"completed","last_event_id":12}]}`,
			`{"event_type":"subscription_failed","correlation_id":1795464394634,"events":[{"object_sid":"MP` + *other.Sid + `","object_type":"map","error":{"status":403,"code":54007,"message":"Access forbidden for identity: MP` + *other.Sid + `"}}]}`,
		} {
			n := alice.notification()
			if n.Header.MessageType != "twilio.sync.event" || !strings.Contains(string(n.Payload), want) {
				t.Errorf("notification %s %s\nwant %s", n.Header.MessageType, n.Payload, want)
			}
		}
		alice.call("POST", "/v4/Subscriptions", `{"action":"cancel","correlation_id":7,"requests":[{"object_sid":"ES`+convs[0]+`","object_type":"list"}]}`, nil)
		if n := alice.notification(); !strings.Contains(string(n.Payload), `"event_type":"subscription_canceled","correlation_id":7`) {
			t.Errorf("cancel notification %s", n.Payload)
		}
	})
}

// TestConcurrentFirstLogins: many connections of a new identity log in at
// once; every one succeeds and they share one User.
func TestConcurrentFirstLogins(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startServer(t, engine)
		const n = 20
		socks := make([]*sock, n)
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := e.tryDial("carol")
				socks[i] = s
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		users, err := e.Twilio().ConversationsV1.ListUser(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(users) != 1 || *users[0].Identity != "carol" {
			t.Fatalf("users after %d concurrent first logins: %d", n, len(users))
		}
		for _, s := range socks {
			s.t = t
			var cfg struct {
				SyncObjects map[string]string `json:"sync_objects"`
			}
			s.call("GET", "/Client/v2/Configuration", "", &cfg)
			if cfg.SyncObjects["my_user_info"] != "MP"+*users[0].Sid {
				t.Errorf("my_user_info = %s, want MP%s", cfg.SyncObjects["my_user_info"], *users[0].Sid)
			}
		}
	})
}
