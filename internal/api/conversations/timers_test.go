package conversations_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	twapi "github.com/twilio/twilio-go/rest/api/v2010"
	chat "github.com/twilio/twilio-go/rest/chat/v2"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// clockReading is the body of /parley/v1/Clock.
type clockReading struct {
	Mode string `json:"mode"`
	Now  string `json:"now"`
}

// advance moves the server's virtual clock by an ISO 8601 duration.
func advance(t *testing.T, env *apitest.Env, by string) time.Time {
	t.Helper()
	r := env.Do("POST", "/parley/v1/Clock", url.Values{"Advance": {by}})
	if r.Status != http.StatusOK {
		t.Fatalf("advance %s: %s", by, r)
	}
	var c clockReading
	if err := json.Unmarshal(r.Body, &c); err != nil {
		t.Fatal(err)
	}
	now, err := time.Parse(time.RFC3339Nano, c.Now)
	if err != nil {
		t.Fatal(err)
	}
	return now
}

// conversationTimers is a conversation's state and timers as the API shows them.
type conversationTimers struct {
	State  string `json:"state"`
	Timers struct {
		DateInactive *string `json:"date_inactive"`
		DateClosed   *string `json:"date_closed"`
	} `json:"timers"`
	DateUpdated string `json:"date_updated"`
}

func fetchTimers(t *testing.T, env *apitest.Env, sid string) conversationTimers {
	t.Helper()
	r := env.Do("GET", "/v1/Conversations/"+sid, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("fetch %s: %s", sid, r)
	}
	var c conversationTimers
	if err := json.Unmarshal(r.Body, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func timedConversation(t *testing.T, api *conv.ApiService, inactive, closed string) string {
	t.Helper()
	p := &conv.CreateConversationParams{}
	p.SetState("active")
	if inactive != "" {
		p.SetTimersInactive(inactive)
	}
	if closed != "" {
		p.SetTimersClosed(closed)
	}
	c, err := api.CreateConversation(p)
	if err != nil {
		t.Fatal(err)
	}
	return *c.Sid
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// setClock moves the virtual clock to the next whole hour, so the test's
// times read cleanly, and returns that time.
func setClock(t *testing.T, env *apitest.Env) time.Time {
	t.Helper()
	r := env.Do("GET", "/parley/v1/Clock", nil)
	var c clockReading
	if err := json.Unmarshal(r.Body, &c); err != nil || r.Status != http.StatusOK {
		t.Fatalf("read clock: %s", r)
	}
	now, _ := time.Parse(time.RFC3339Nano, c.Now)
	at := now.Truncate(time.Hour).Add(time.Hour)
	if r := env.Do("POST", "/parley/v1/Clock", url.Values{"Time": {at.Format(time.RFC3339)}}); r.Status != http.StatusOK {
		t.Fatalf("set clock: %s", r)
	}
	return at
}

func wantTimers(t *testing.T, got conversationTimers, state string, inactive, closed *time.Time) {
	t.Helper()
	str := func(p *time.Time) string {
		if p == nil {
			return "-"
		}
		return stamp(*p)
	}
	opt := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	want := spaced(state, str(inactive), str(closed))
	if have := spaced(got.State, opt(got.Timers.DateInactive), opt(got.Timers.DateClosed)); have != want {
		t.Errorf("state and timers = %s, want %s", have, want)
	}
}

func at(t0 time.Time, d time.Duration) *time.Time { v := t0.Add(d); return &v }

// The inactive timer fires exactly when it elapses, not a second before; a
// new message wakes the conversation and restarts its timers; the closed
// timer closes it for good, and a closed conversation refuses every change.
func TestTimersLifecycle(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.VirtualClock)
		api := env.Twilio().ConversationsV1
		t0 := setClock(t, env)
		ch := timedConversation(t, api, "PT10M", "PT1H")
		wantTimers(t, fetchTimers(t, env, ch), "active", at(t0, 10*time.Minute), at(t0, time.Hour))

		advance(t, env, "PT9M59S")
		wantTimers(t, fetchTimers(t, env, ch), "active", at(t0, 10*time.Minute), at(t0, time.Hour))
		advance(t, env, "PT1S")
		got := fetchTimers(t, env, ch)
		wantTimers(t, got, "inactive", nil, at(t0, time.Hour))
		if got.DateUpdated != stamp(t0.Add(10*time.Minute)) {
			t.Errorf("date_updated = %s, want the deadline %s", got.DateUpdated, stamp(t0.Add(10*time.Minute)))
		}

		// A message at t0+15m wakes it and restarts both timers from then.
		advance(t, env, "PT5M")
		if _, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetBody("back")); err != nil {
			t.Fatal(err)
		}
		wantTimers(t, fetchTimers(t, env, ch), "active", at(t0, 25*time.Minute), at(t0, 75*time.Minute))
		// A message on an active conversation restarts them too.
		advance(t, env, "PT5M")
		if _, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetBody("still here")); err != nil {
			t.Fatal(err)
		}
		wantTimers(t, fetchTimers(t, env, ch), "active", at(t0, 30*time.Minute), at(t0, 80*time.Minute))
		advance(t, env, "PT9M")
		wantTimers(t, fetchTimers(t, env, ch), "active", at(t0, 30*time.Minute), at(t0, 80*time.Minute))
		advance(t, env, "PT1M")
		wantTimers(t, fetchTimers(t, env, ch), "inactive", nil, at(t0, 80*time.Minute))

		advance(t, env, "PT49M59S")
		wantTimers(t, fetchTimers(t, env, ch), "inactive", nil, at(t0, 80*time.Minute))
		advance(t, env, "PT1S")
		wantTimers(t, fetchTimers(t, env, ch), "closed", nil, nil)

		closed := func(what string, err error) {
			t.Helper()
			if status, code := twilioCode(t, err); status != 400 || code != 50377 {
				t.Errorf("%s on a closed conversation: %d/%d (%v), want 400/50377", what, status, code, err)
			}
		}
		_, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetBody("too late"))
		closed("message", err)
		_, err = api.CreateConversationParticipant(ch, (&conv.CreateConversationParticipantParams{}).SetIdentity("late"))
		closed("participant", err)
		_, err = api.UpdateConversation(ch, (&conv.UpdateConversationParams{}).SetFriendlyName("renamed"))
		closed("update", err)
		_, err = api.UpdateConversation(ch, (&conv.UpdateConversationParams{}).SetState("active"))
		closed("reopen", err)
		wantTimers(t, fetchTimers(t, env, ch), "closed", nil, nil)
	})
}

// Both deadlines passing in one move apply in order, each with its
// webhooks (Reason TIMER, StateUpdated at the deadline), sent without any
// X-Twilio-Webhook-Enabled header: a timer is no REST call.
func TestTimerWebhooks(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.VirtualClock)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", rc.URL+"/post", "onConversationUpdated", "onConversationStateUpdated")
		t0 := setClock(t, env)
		ch := timedConversation(t, api, "PT5M", "PT10M")
		advance(t, env, "PT1H")
		wantTimers(t, fetchTimers(t, env, ch), "closed", nil, nil)

		got := map[string]bool{}
		for range 4 {
			c := rc.Next()
			apitest.VerifySignature(t, env.AuthToken, c)
			p := c.Params
			if p.Get("ConversationSid") != ch {
				t.Errorf("event for %s, want %s", p.Get("ConversationSid"), ch)
			}
			switch p.Get("EventType") {
			case "onConversationStateUpdated":
				got[spaced(p.Get("EventType"), p.Get("StateFrom"), p.Get("StateTo"), p.Get("Reason"), p.Get("StateUpdated"))] = true
			default:
				got[spaced(p.Get("EventType"), p.Get("State"))] = true
			}
		}
		for _, want := range []string{
			spaced("onConversationStateUpdated active inactive TIMER", t0.Add(5*time.Minute).Format("2006-01-02T15:04:05.000Z")),
			spaced("onConversationStateUpdated inactive closed TIMER", t0.Add(10*time.Minute).Format("2006-01-02T15:04:05.000Z")),
			"onConversationUpdated inactive", "onConversationUpdated closed",
		} {
			if !got[want] {
				t.Errorf("missing %q among %v", want, got)
			}
		}
		rc.None()
	})
}

// A timer committed before a restart fires after it, once: the deadline and
// its job are rows, and the virtual clock resumes where it stood.
func TestTimerSurvivesRestart(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.VirtualClock)
		api := env.Twilio().ConversationsV1
		rc := apitest.NewReceiver(t, nil)
		setHooks(t, api, "POST", "", rc.URL+"/post", "onConversationStateUpdated")
		t0 := setClock(t, env)
		ch := timedConversation(t, api, "PT5M", "")
		advance(t, env, "PT2M")
		env.Stop()

		env = apitest.StartConfig(t, engine, env.Config())
		var c clockReading
		r := env.Do("GET", "/parley/v1/Clock", nil)
		if err := json.Unmarshal(r.Body, &c); err != nil || c.Now != t0.Add(2*time.Minute).Format(time.RFC3339Nano) {
			t.Fatalf("clock after restart = %s, want %s", r, t0.Add(2*time.Minute).Format(time.RFC3339Nano))
		}
		advance(t, env, "PT2M59S")
		wantTimers(t, fetchTimers(t, env, ch), "active", at(t0, 5*time.Minute), nil)
		advance(t, env, "PT1S")
		wantTimers(t, fetchTimers(t, env, ch), "inactive", nil, nil)
		if e := rc.Next().Params; spaced(e.Get("StateFrom"), e.Get("StateTo"), e.Get("Reason")) != "active inactive TIMER" {
			t.Errorf("event %v", e)
		}
		advance(t, env, "P1D")
		env.Stop()
		apitest.StartConfig(t, engine, env.Config())
		rc.None() // fired once, not again after a second restart
	})
}

// Account default timers apply to conversations created without timers
// (through Conversations, not Chat);
// shortening a timer by update moves its deadline (and its job) earlier;
// closing by API drops the pending timer.
func TestTimerDefaultsAndUpdates(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.VirtualClock)
		api := env.Twilio().ConversationsV1
		if _, err := api.UpdateConfiguration((&conv.UpdateConfigurationParams{}).
			SetDefaultInactiveTimer("PT5M").SetDefaultClosedTimer("PT30M")); err != nil {
			t.Fatal(err)
		}
		t0 := setClock(t, env)
		byDefault := newConv(t, api)
		wantTimers(t, fetchTimers(t, env, byDefault), "active", at(t0, 5*time.Minute), at(t0, 30*time.Minute))
		// A channel created through Chat gets no default timers: Chat has no states.
		channel, err := env.Twilio().ChatV2.CreateChannel(env.Server.Account.DefaultServiceSID,
			(&chat.CreateChannelParams{}).SetType("private"))
		if err != nil {
			t.Fatal(err)
		}
		wantTimers(t, fetchTimers(t, env, *channel.Sid), "active", nil, nil)

		shortened := timedConversation(t, api, "PT1H", "")
		closing := timedConversation(t, api, "PT1H", "")
		advance(t, env, "PT1M")
		if _, err := api.UpdateConversation(shortened, (&conv.UpdateConversationParams{}).SetTimersInactive("PT2M")); err != nil {
			t.Fatal(err)
		}
		if _, err := api.UpdateConversation(closing, (&conv.UpdateConversationParams{}).SetState("closed")); err != nil {
			t.Fatal(err)
		}
		// The account's default closed timer applies too, restarted by the update.
		wantTimers(t, fetchTimers(t, env, shortened), "active", at(t0, 3*time.Minute), at(t0, 31*time.Minute))
		advance(t, env, "PT2M")
		wantTimers(t, fetchTimers(t, env, shortened), "inactive", nil, at(t0, 31*time.Minute))
		advance(t, env, "PT2M")
		wantTimers(t, fetchTimers(t, env, byDefault), "inactive", nil, at(t0, 30*time.Minute))
		advance(t, env, "PT2H")
		wantTimers(t, fetchTimers(t, env, closing), "closed", nil, nil)
		wantTimers(t, fetchTimers(t, env, byDefault), "closed", nil, nil)
	})
}

// The virtual clock stamps what Parley writes, refuses to go back, and
// explains itself on a server that runs on the real clock.
func TestClockAPI(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, apitest.VirtualClock)
		api := env.Twilio().ConversationsV1
		t0 := setClock(t, env)
		c, err := api.CreateConversation(&conv.CreateConversationParams{})
		if err != nil {
			t.Fatal(err)
		}
		if c.DateCreated == nil || !c.DateCreated.Equal(t0) {
			t.Errorf("date_created = %v, want the virtual %s", c.DateCreated, stamp(t0))
		}
		if now := advance(t, env, "P1DT2H"); !now.Equal(t0.Add(26 * time.Hour)) {
			t.Errorf("after P1DT2H the clock reads %s", now)
		}
		for _, bad := range []url.Values{
			{"Time": {t0.Format(time.RFC3339)}},                                 // backwards
			{"Advance": {"-PT1M"}}, {"Advance": {"P1M"}}, {"Advance": {"soon"}}, // not a forward duration
			{"Time": {"yesterday"}},
			{}, // neither
			{"Advance": {"PT1M"}, "Time": {t0.Add(48 * time.Hour).Format(time.RFC3339)}}, // both
		} {
			r := env.Do("POST", "/parley/v1/Clock", bad)
			if r.Status != http.StatusBadRequest || twilioBodyCode(r.Body) != 20001 {
				t.Errorf("POST Clock %v = %s, want 400/20001", bad, r)
			}
		}
		// The clock is the server's: a sub-account reads it but may not move it.
		sub, err := env.Twilio().Api.CreateAccount(&twapi.CreateAccountParams{})
		if err != nil {
			t.Fatal(err)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "POST", "/parley/v1/Clock", url.Values{"Advance": {"PT1H"}}); r.Status != http.StatusForbidden || twilioBodyCode(r.Body) != 20403 {
			t.Errorf("a sub-account's POST Clock = %s, want 403/20403", r)
		}
		if r := env.DoAs(*sub.Sid, *sub.AuthToken, "GET", "/parley/v1/Clock", nil); r.Status != http.StatusOK {
			t.Errorf("a sub-account's GET Clock = %s, want 200", r)
		}
		if now := advance(t, env, "PT1S"); !now.Equal(t0.Add(26*time.Hour + time.Second)) {
			t.Errorf("refused moves changed the clock: %s", now)
		}

		real := apitest.Start(t, engine)
		for _, method := range []string{"GET", "POST"} {
			r := real.Do(method, "/parley/v1/Clock", url.Values{"Advance": {"PT1M"}})
			if r.Status != http.StatusConflict || twilioBodyCode(r.Body) != 20409 {
				t.Errorf("%s Clock on the real clock = %s, want 409/20409", method, r)
			}
		}
	})
}

func twilioBodyCode(body []byte) int {
	var e struct {
		Code int `json:"code"`
	}
	json.Unmarshal(body, &e)
	return e.Code
}
