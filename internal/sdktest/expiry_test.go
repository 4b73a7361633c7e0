package sdktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/accesstoken"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/twilsock"
)

type expiryResult struct {
	Seen             []string `json:"seen"`
	States           []string `json:"states"`
	SentAfterUpdate  *int64   `json:"sentAfterUpdate"`
	StateAfterExpiry string   `json:"stateAfterExpiry"`
	IdentityChange   string   `json:"identityChange"`
}

// TestSDKTokenExpiry: on the virtual clock, the unmodified SDK is warned
// (tokenAboutToExpire) the documented lead time before its token expires;
// updateToken re-arms the timers, so the first token's expiry passes
// without effect; the second token's warning and expiry arrive when the
// clock reaches them (tokenExpired, connection closed). An update naming
// another identity is refused.
func TestSDKTokenExpiry(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		e := startSDK(t, engine, apitest.VirtualClock)
		str := func(s string) *string { return &s }
		c, err := e.Twilio().ConversationsV1.CreateConversation(&conv.CreateConversationParams{FriendlyName: str("expiry")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Twilio().ConversationsV1.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: str("alice")}); err != nil {
			t.Fatal(err)
		}
		// The tokens are minted on the server's (standing) virtual clock.
		start := e.clockNow(t)
		key := accesstoken.Key{SID: e.keySID, AccountSID: e.AccountSID, Secret: e.secret}
		mint := func(identity string, ttl time.Duration) string {
			tok, err := accesstoken.Mint(key, identity, *c.ChatServiceSid, start, ttl)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		first, second := 10*time.Minute, time.Hour
		// The last client connects after the second token expired.
		later := 3 * time.Hour
		tokens := map[string]string{"first": mint("alice", first), "second": mint("alice", second),
			"third": mint("carol", later), "otherIdentity": mint("mallory", later)}
		lead := twilsock.DefaultExpiryWarning
		at := func(d time.Duration) func() { return func() { e.setClock(t, start.Add(d)) } }
		steps := map[string]func(){
			"warn":      at(first - lead + time.Second),
			"pastFirst": at(first + time.Minute),
			"warnAgain": at(second - lead + time.Second),
			"expire":    at(second + time.Second),
		}
		cfg := e.config("alice")
		cfg["sid"], cfg["tokens"] = *c.Sid, tokens
		var got expiryResult
		runSteps(t, "expiry", cfg, steps, &got)
		if !slices.Equal(got.Seen, []string{"aboutToExpire", "aboutToExpire", "expired"}) {
			t.Errorf("token events %v, want two warnings then expired", got.Seen)
		}
		if got.SentAfterUpdate == nil {
			t.Error("no message sent after the first token's expiry passed")
		}
		if got.StateAfterExpiry != "disconnected" && got.StateAfterExpiry != "denied" {
			t.Errorf("state after expiry %q (states %v)", got.StateAfterExpiry, got.States)
		}
		if !strings.HasPrefix(got.IdentityChange, "refused") {
			t.Errorf("update with another identity's token: %s", got.IdentityChange)
		}
		t.Logf("states %v; identity change: %s", got.States, got.IdentityChange)
	})
}

// clockNow reads the server's virtual clock.
func (e *sdkEnv) clockNow(t *testing.T) time.Time {
	t.Helper()
	return e.clock(t, e.Do("GET", "/parley/v1/Clock", nil))
}

// setClock moves the server's virtual clock to at.
func (e *sdkEnv) setClock(t *testing.T, at time.Time) {
	t.Helper()
	e.clock(t, e.Do("POST", "/parley/v1/Clock", url.Values{"Time": {at.UTC().Format(time.RFC3339Nano)}}))
}

func (e *sdkEnv) clock(t *testing.T, r apitest.Response) time.Time {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("clock: %s", r)
	}
	var c struct {
		Now string `json:"now"`
	}
	if err := json.Unmarshal(r.Body, &c); err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339Nano, c.Now)
	if err != nil {
		t.Fatal(err)
	}
	return now
}
