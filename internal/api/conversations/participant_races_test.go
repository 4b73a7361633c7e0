package conversations_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// The races of participant adds: many clients at once, on both engines. Each
// answer must be one Twilio documents for a request made alone; no client may
// see a 500 or a rule broken by a concurrent request.

// concurrently runs n calls of fn at once and returns their answers.
func concurrently(n int, fn func(i int) apitest.Response) []apitest.Response {
	out := make([]apitest.Response, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// tally counts answers by "status/code" ("201" for a success).
func tally(t *testing.T, answers []apitest.Response) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, r := range answers {
		if r.Status < 300 {
			n[fmt.Sprint(r.Status)]++
			continue
		}
		n[fmt.Sprintf("%d/%d", r.Status, errorCode(t, r))]++
	}
	return n
}

func newConversation(t *testing.T, env *apitest.Env) string {
	t.Helper()
	c, err := env.Twilio().ConversationsV1.CreateConversation(nil)
	if err != nil {
		t.Fatal(err)
	}
	return *c.Sid
}

func addParticipant(env *apitest.Env, conversationSID, identity string) apitest.Response {
	return env.Do(http.MethodPost, "/v1/Conversations/"+conversationSID+"/Participants", url.Values{"Identity": {identity}})
}

// TestConcurrentAddsStopAtParticipantLimit: 50 clients add distinct
// identities to a conversation whose service allows 10 participants; exactly
// 10 join and the others get 50417, round after round.
func TestConcurrentAddsStopAtParticipantLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const limit, clients = 10, 50
		svc := env.Server.Account.DefaultServiceSID
		if r := env.Do(http.MethodPost, "/v2/Services/"+svc, url.Values{"Limits.ChannelMembers": {fmt.Sprint(limit)}}); r.Status != 200 {
			t.Fatalf("set limit: %s", r)
		}
		for round := range 3 {
			ch := newConversation(t, env)
			got := tally(t, concurrently(clients, func(i int) apitest.Response {
				return addParticipant(env, ch, fmt.Sprintf("limit-%d-%d", round, i))
			}))
			want := map[string]int{"201": limit, "400/50417": clients - limit}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("round %d: answers %v, want %v", round, got, want)
			}
			if n := participantCount(t, env, ch); n != limit {
				t.Errorf("round %d: conversation has %d participants, want %d", round, n, limit)
			}
		}
	})
}

// TestNewIdentityJoinsManyConversationsAtOnce: one identity without a User
// joins 20 conversations at once; every add succeeds and one User exists.
// Into one conversation at once, one add wins and the others get 50433.
func TestNewIdentityJoinsManyConversationsAtOnce(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const n = 20
		chans := make([]string, n)
		for i := range chans {
			chans[i] = newConversation(t, env)
		}
		for round := range 3 {
			identity := fmt.Sprintf("everywhere-%d", round)
			got := tally(t, concurrently(n, func(i int) apitest.Response { return addParticipant(env, chans[i], identity) }))
			if want := map[string]int{"201": n}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("round %d, many conversations: answers %v, want %v", round, got, want)
			}
			if r := env.Do(http.MethodGet, "/v1/Users/"+identity, nil); r.Status != 200 {
				t.Errorf("round %d: user %s: %s", round, identity, r)
			}
			one := newConversation(t, env)
			got = tally(t, concurrently(n, func(int) apitest.Response { return addParticipant(env, one, "once-"+identity) }))
			if want := map[string]int{"201": 1, "409/50433": n - 1}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("round %d, one conversation: answers %v, want %v", round, got, want)
			}
		}
	})
}

// TestAddParticipantWhileConversationIsDeleted: participant adds racing the
// deletion of their conversation either join before it goes or get Twilio's
// 404; none fails with a 500.
func TestAddParticipantWhileConversationIsDeleted(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const rounds, adders = 30, 12
		total := map[string]int{}
		for round := range rounds {
			ch := newConversation(t, env)
			answers := concurrently(adders+1, func(i int) apitest.Response {
				if i == adders/2 {
					return env.Do(http.MethodDelete, "/v1/Conversations/"+ch, nil)
				}
				return addParticipant(env, ch, fmt.Sprintf("doomed-%d-%d", round, i))
			})
			if r := answers[adders/2]; r.Status != http.StatusNoContent {
				t.Fatalf("round %d: delete: %s", round, r)
			}
			for k, v := range tally(t, append(answers[:adders/2:adders/2], answers[adders/2+1:]...)) {
				total[k] += v
			}
		}
		for k := range total {
			if k != "201" && k != "404/20404" {
				t.Errorf("adds racing a delete answered %v; want only 201 and 404/20404", total)
				break
			}
		}
		t.Logf("adds racing a delete: %v", total)
	})
}

func participantCount(t *testing.T, env *apitest.Env, conversationSID string) int {
	t.Helper()
	ps, err := env.Twilio().ConversationsV1.ListConversationParticipant(conversationSID, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

// TestConcurrentJoinsStopAtUserConversationLimit: one identity joins 20
// channels at once through Chat under a service limit of 5 channels per
// user (limits.user_channels, which Chat joins enforce; Conversations' own
// limit is 1,000); exactly 5 joins succeed and the others get 50208.
func TestConcurrentJoinsStopAtUserConversationLimit(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const limit, n = 5, 20
		svc := env.Server.Account.DefaultServiceSID
		if r := env.Do(http.MethodPost, "/v2/Services/"+svc, url.Values{"Limits.UserChannels": {fmt.Sprint(limit)}}); r.Status != 200 {
			t.Fatalf("set limit: %s", r)
		}
		chans := make([]string, n)
		for i := range chans {
			chans[i] = newConversation(t, env)
		}
		for round := range 3 {
			identity := fmt.Sprintf("busy-%d", round)
			got := tally(t, concurrently(n, func(i int) apitest.Response {
				return env.Do(http.MethodPost, "/v2/Services/"+svc+"/Channels/"+chans[i]+"/Members", url.Values{"Identity": {identity}})
			}))
			if want := map[string]int{"201": limit, "403/50208": n - limit}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("round %d: answers %v, want %v", round, got, want)
			}
		}
	})
}

// TestConversationsWithCrossedParticipantsAtOnce: conversations created with
// the same two new identities in opposite orders, at once, all succeed: the
// transactions lock the two Users in opposite orders, and a deadlock this
// causes on PostgreSQL is retried inside the store, never answered.
func TestConversationsWithCrossedParticipantsAtOnce(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		const n = 20
		got := tally(t, concurrently(n, func(i int) apitest.Response {
			pair := []string{`{"identity":"cross-a"}`, `{"identity":"cross-b"}`}
			if i%2 == 1 {
				pair[0], pair[1] = pair[1], pair[0]
			}
			return env.Do(http.MethodPost, "/v1/ConversationWithParticipants", url.Values{"Participant": pair})
		}))
		if want := map[string]int{"201": n}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("answers %v, want %v", got, want)
		}
	})
}
