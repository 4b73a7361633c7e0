package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"
	chatv2 "github.com/twilio/twilio-go/rest/chat/v2"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/store"
)

// seeded is what seedSource made.
type seeded struct {
	services, conversations, messages int
	conv, muted                       string // a conversation and a user muted in it
	serviceSID                        string
	lobby                             string // a public Chat channel of serviceSID
}

// seedSource fills a source server through its REST API: two services,
// each with a custom role, users, conversations in the past with
// participants, messages (one deleted, leaving a gap), a read horizon and a
// muted user conversation.
func seedSource(t testing.TB, src *apitest.Env, convs, msgs int) seeded {
	t.Helper()
	api := src.Twilio().ConversationsV1
	svc, err := api.CreateService(&conversations.CreateServiceParams{FriendlyName: ptr("imported")})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := api.FetchConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.UpdateServiceWebhookConfiguration(*svc.Sid, (&conversations.UpdateServiceWebhookConfigurationParams{}).
		SetPostWebhookUrl("https://hooks.example.com/post").SetFilters([]string{"onMessageAdded"})); err != nil {
		t.Fatal(err)
	}
	out := seeded{services: 2, serviceSID: *svc.Sid}
	past := time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)
	var mu sync.Mutex
	for _, service := range []string{*cfg.DefaultChatServiceSid, *svc.Sid} {
		role, err := api.CreateServiceRole(service, (&conversations.CreateServiceRoleParams{}).
			SetFriendlyName("moderator").SetType("conversation").SetPermission([]string{"sendMessage", "deleteAnyMessage"}))
		if err != nil {
			t.Fatal(err)
		}
		users := []string{"alice", "bob", "carol"}
		userSIDs := map[string]string{}
		for _, u := range users {
			usr, err := api.CreateServiceUser(service, (&conversations.CreateServiceUserParams{}).
				SetIdentity(u).SetAttributes(`{"team":"`+u+`"}`))
			if err != nil {
				t.Fatal(err)
			}
			userSIDs[u] = *usr.Sid
		}
		var wg sync.WaitGroup
		errs := make(chan error, convs)
		for i := range convs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- seedConversation(api, service, *role.Sid, userSIDs, i, msgs, past, &mu, &out)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	out.lobby = seedChat(t, src, out.serviceSID, out.conv)
	out.messages += 5
	return out
}

// seedChat adds what only Chat and the configuration resources show: Chat
// settings, a public channel with members, messages, an invite and a muted
// member, an invite to a private channel, a conversation-scoped webhook, an
// address configuration and the account's friendly name. It returns the
// public channel's SID.
func seedChat(t testing.TB, src *apitest.Env, service, conv string) string {
	t.Helper()
	tw := src.Twilio()
	chat := tw.ChatV2
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chat.UpdateService(service, (&chatv2.UpdateServiceParams{}).SetReadStatusEnabled(false).
		SetTypingIndicatorTimeout(9).SetLimitsChannelMembers(77).SetNotificationsNewMessageEnabled(true).
		SetNotificationsNewMessageTemplate("New: ${MESSAGE}").SetPreWebhookRetryCount(2)))
	lobby, err := chat.CreateChannel(service, (&chatv2.CreateChannelParams{}).SetType("public").
		SetFriendlyName("lobby").SetCreatedBy("carol").SetAttributes(`{"topic":"all"}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"alice", "bob"} {
		must(chat.CreateMember(service, *lobby.Sid, (&chatv2.CreateMemberParams{}).SetIdentity(who).SetAttributes(`{"m":1}`)))
	}
	for i := range 5 {
		must(chat.CreateMessage(service, *lobby.Sid, (&chatv2.CreateMessageParams{}).SetFrom("alice").
			SetBody(fmt.Sprintf("lobby %d", i))))
	}
	must(chat.CreateInvite(service, *lobby.Sid, (&chatv2.CreateInviteParams{}).SetIdentity("carol")))
	must(chat.CreateInvite(service, conv, (&chatv2.CreateInviteParams{}).SetIdentity("carol")))
	must(chat.UpdateUserChannel(service, "bob", *lobby.Sid, (&chatv2.UpdateUserChannelParams{}).SetNotificationLevel("muted")))
	// Chat webhooks: a retry count on a private channel's (which only Chat
	// shows) and a public channel's webhook (which Conversations does not).
	for _, ch := range []string{conv, *lobby.Sid} {
		must(chat.CreateChannelWebhook(service, ch, (&chatv2.CreateChannelWebhookParams{}).SetType("webhook").
			SetConfigurationUrl("https://hooks.example.com/chat").SetConfigurationMethod("POST").
			SetConfigurationFilters([]string{"onMessageSent", "onMemberAdded"}).SetConfigurationRetryCount(2)))
	}
	api := tw.ConversationsV1
	must(api.CreateServiceConversationScopedWebhook(service, conv, (&conversations.CreateServiceConversationScopedWebhookParams{}).
		SetTarget("webhook").SetConfigurationUrl("https://hooks.example.com/room").SetConfigurationMethod("GET").
		SetConfigurationFilters([]string{"onMessageAdded"})))
	must(api.CreateConfigurationAddress((&conversations.CreateConfigurationAddressParams{}).SetType("sms").
		SetAddress("+15005550006").SetFriendlyName("support line")))
	must(tw.Api.UpdateAccount(src.AccountSID, (&openapi.UpdateAccountParams{}).SetFriendlyName("Imported Co")))
	return *lobby.Sid
}

func seedConversation(api *conversations.ApiService, service, role string, users map[string]string, i, msgs int,
	past time.Time, mu *sync.Mutex, out *seeded) error {
	params := (&conversations.CreateServiceConversationParams{}).
		SetFriendlyName(fmt.Sprintf("room %d", i)).SetUniqueName(fmt.Sprintf("room-%d", i)).
		SetAttributes(`{"n":` + fmt.Sprint(i) + `}`)
	if i == 0 {
		// Created now, so its timer is still pending when the import runs.
		params.SetState("active").SetTimersInactive("PT1H")
	} else {
		params.SetDateCreated(past.Add(time.Duration(i) * time.Hour))
	}
	c, err := api.CreateServiceConversation(service, params)
	if err != nil {
		return err
	}
	var alice string
	for _, u := range []string{"alice", "bob"} {
		p, err := api.CreateServiceConversationParticipant(service, *c.Sid, (&conversations.CreateServiceConversationParticipantParams{}).
			SetIdentity(u).SetRoleSid(role).SetAttributes(`{"p":"`+u+`"}`))
		if err != nil {
			return err
		}
		if u == "alice" {
			alice = *p.Sid
		}
	}
	for j := range msgs {
		m, err := api.CreateServiceConversationMessage(service, *c.Sid, (&conversations.CreateServiceConversationMessageParams{}).
			SetAuthor("alice").SetBody(fmt.Sprintf("message %d", j)).SetAttributes(`{"j":`+fmt.Sprint(j)+`}`).
			SetDateCreated(past.Add(time.Duration(j)*time.Minute)))
		if err != nil {
			return err
		}
		if j == 2 {
			if err := api.DeleteServiceConversationMessage(service, *c.Sid, *m.Sid, nil); err != nil {
				return err
			}
		}
	}
	if _, err := api.UpdateServiceConversationParticipant(service, *c.Sid, alice,
		(&conversations.UpdateServiceConversationParticipantParams{}).SetLastReadMessageIndex(msgs-2)); err != nil {
		return err
	}
	if _, err := api.UpdateServiceUserConversation(service, users["bob"], *c.Sid,
		(&conversations.UpdateServiceUserConversationParams{}).SetNotificationLevel("muted")); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	out.conversations++
	out.messages += msgs - 1
	if i == 1 && service == out.serviceSID {
		out.conv, out.muted = *c.Sid, "bob"
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// proxy stands between the import and the source: it answers 429 with
// Retry-After: 1 to every injectEvery-th request, and calls onMessages
// with the count of message pages it passed on.
type proxy struct {
	*httptest.Server
	requests, throttled, messagePages atomic.Int64
	injectEvery                       int64
	onMessages                        func(n int64)
	mu                                sync.Mutex
	throttledAt                       map[string]time.Time
	waited                            []time.Duration
}

func newProxy(t *testing.T, target string, injectEvery int64) *proxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{injectEvery: injectEvery, throttledAt: map[string]time.Time{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := p.requests.Add(1)
		key := r.URL.String()
		p.mu.Lock()
		if at, ok := p.throttledAt[key]; ok {
			p.waited = append(p.waited, time.Since(at))
			delete(p.throttledAt, key)
		}
		if p.injectEvery > 0 && n%p.injectEvery == 0 {
			p.throttledAt[key] = time.Now()
			p.mu.Unlock()
			p.throttled.Add(1)
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}`)
			return
		}
		p.mu.Unlock()
		rp.ServeHTTP(w, r)
		if strings.HasSuffix(r.URL.Path, "/Messages") && p.onMessages != nil {
			p.onMessages(p.messagePages.Add(1))
		}
	}))
	t.Cleanup(p.Close)
	return p
}

// importCmd runs parley import with ctx against the source behind from.
func importCmd(ctx context.Context, src *apitest.Env, from, target string, extra ...string) (string, string, error) {
	args := append([]string{"--from", from, "--account-sid", src.AccountSID, "--auth-token", src.AuthToken,
		"--database-url", target, "--page-size", "7", "--progress", "50ms"}, extra...)
	var out, errOut bytes.Buffer
	err := Main(ctx, append([]string{"import"}, args...), func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// copied reads "copied N resource" lines into a map.
func copied(out string) map[string]int {
	m := map[string]int{}
	for _, l := range regexp.MustCompile(`(?m)^(?:copied|would copy) (\d+) ([a-z ]+) \(`).FindAllStringSubmatch(out, -1) {
		var n int
		fmt.Sscan(l[1], &n)
		m[l[2]] = n
	}
	return m
}

// TestImport copies one Parley's account into another's store on both
// engines: a dry run counts, an interrupted run resumes, 429s are waited
// out, a re-run copies nothing, and verify agrees, then spots a change.
func TestImport(t *testing.T) {
	src := apitest.Start(t, "sqlite")
	seed := seedSource(t, src, 5, 24)
	checkImportAnswers(t, src)
	apitest.Engines(t, func(t *testing.T, engine string) {
		target := apitest.DatabaseURL(t, engine)
		out, _, err := importCmd(context.Background(), src, src.URL, target, "--dry-run")
		if err != nil {
			t.Fatalf("dry run: %v\n%s", err, out)
		}
		if got := copied(out); got["messages"] != seed.messages || got["conversations"] != seed.conversations || got["services"] != seed.services {
			t.Errorf("dry run counts %v, want %d messages in %d conversations", got, seed.messages, seed.conversations)
		}

		// Interrupted after a few message pages, behind a throttling proxy.
		px := newProxy(t, src.URL, 9)
		ctx, cancel := context.WithCancel(context.Background())
		px.onMessages = func(n int64) {
			if n == 6 {
				cancel()
			}
		}
		out, _, err = importCmd(ctx, src, px.URL, target)
		cancel()
		if err == nil {
			t.Fatalf("the interrupted import succeeded:\n%s", out)
		}
		first := copied(out)
		if first["messages"] >= seed.messages {
			t.Fatalf("the interruption came too late: %v", first)
		}
		token := regexp.MustCompile(`account (AC[0-9a-f]{32}) auth token ([0-9a-f]+) \(shown once\)`).FindStringSubmatch(out)
		if token == nil || token[1] != src.AccountSID {
			t.Errorf("no new account token printed:\n%s", out)
		}

		// Resumed: everything else arrives, nothing twice.
		px.onMessages = nil
		out, errOut, err := importCmd(context.Background(), src, px.URL, target)
		if err != nil {
			t.Fatalf("resume: %v\n%s\n%s", err, out, errOut)
		}
		second := copied(out)
		if got := first["messages"] + second["messages"]; got != seed.messages {
			t.Errorf("messages copied %d + %d, want %d", first["messages"], second["messages"], seed.messages)
		}
		if px.throttled.Load() == 0 || !strings.Contains(errOut, "source answered 429") {
			t.Errorf("no 429 was injected or logged (%d requests):\n%s", px.requests.Load(), errOut)
		}
		if len(px.waited) == 0 {
			t.Error("no throttled request was retried")
		}
		for _, d := range px.waited {
			if d < time.Second {
				t.Errorf("a 429 with Retry-After: 1 was retried after %s", d)
			}
		}
		if !strings.Contains(errOut, "progress ") || !strings.Contains(errOut, "messages_per_s=") ||
			!strings.Contains(errOut, "eta=") || !strings.Contains(out, "media files") {
			t.Errorf("no progress line or not-copied list:\n%s\n%s", errOut, out)
		}

		// A re-run copies nothing.
		out, _, err = importCmd(context.Background(), src, src.URL, target)
		if err != nil {
			t.Fatal(err)
		}
		for n, c := range copied(out) {
			if c != 0 {
				t.Errorf("re-run copied %d %s", c, n)
			}
		}
		checkTarget(t, target, src, seed)

		verify := func() (string, error) {
			var b bytes.Buffer
			err := Main(context.Background(), []string{"import", "verify", "--from", src.URL, "--account-sid", src.AccountSID,
				"--auth-token", src.AuthToken, "--database-url", target, "--sample", "1"}, func(string) string { return "" }, &b, &b)
			return b.String(), err
		}
		if out, err := verify(); err != nil || !strings.Contains(out, "source and target agree") {
			t.Fatalf("verify: %v\n%s", err, out)
		}
		want := changeTarget(t, target, src, seed)
		out, err = verify()
		if err == nil {
			t.Errorf("verify passed a tampered target:\n%s", out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("verify did not report %q:\n%s", w, out)
			}
		}
	})
}

// checkImportAnswers validates every answer the import's client receives
// against the spec of its API, as the harness does for test clients.
func checkImportAnswers(t *testing.T, src *apitest.Env) {
	importTransport = src.Checking(nil)
	t.Cleanup(func() { importTransport = nil })
}

// checkTarget reads the copy straight from the target store: SIDs, dates,
// the read horizon, the notification level and the next message index.
func checkTarget(t *testing.T, target string, src *apitest.Env, seed seeded) {
	t.Helper()
	db, err := store.Open(context.Background(), target, store.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Read(context.Background(), func(tx parley.Tx) error {
		c, err := tx.Conversation(seed.serviceSID, seed.conv)
		if err != nil {
			return err
		}
		if c.DateCreated.Year() != 2021 || c.MessagesCount != 23 || c.MembersCount != 2 || *c.LastMessageIndex != 23 {
			t.Errorf("conversation %+v", c)
		}
		m, err := tx.Membership(c, seed.muted)
		if err != nil {
			return err
		}
		if m.NotificationLevel != "muted" {
			t.Errorf("notification level %q", m.NotificationLevel)
		}
		room, err := tx.Conversation(seed.serviceSID, "room-0")
		if err != nil {
			return err
		}
		if room.DateInactive == nil || time.Until(*room.DateInactive) < 50*time.Minute {
			t.Errorf("room-0's inactive timer: %v", room.DateInactive)
		}
		w, err := tx.WebhookConfig(src.AccountSID, seed.serviceSID)
		if err != nil {
			return err
		}
		if w.PostWebhookURL == nil || *w.PostWebhookURL != "https://hooks.example.com/post" || len(w.Filters) != 1 {
			t.Errorf("service webhooks %+v", w)
		}
		a, err := tx.Membership(c, "alice")
		if err != nil {
			return err
		}
		if a.Participant.LastReadMessageIndex == nil || *a.Participant.LastReadMessageIndex != 22 {
			t.Errorf("read horizon %v", a.Participant.LastReadMessageIndex)
		}
		return checkChat(t, tx, src, seed)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkChat checks what came through Chat and the configuration resources.
func checkChat(t *testing.T, tx parley.Tx, src *apitest.Env, seed seeded) error {
	t.Helper()
	lobby, err := tx.Conversation(seed.serviceSID, seed.lobby)
	if err != nil {
		return err
	}
	if lobby.Type != parley.ChannelPublic || lobby.CreatedBy == nil || *lobby.CreatedBy != "carol" ||
		lobby.MembersCount != 2 || lobby.MessagesCount != 5 || lobby.Attributes != `{"topic":"all"}` {
		t.Errorf("public channel %+v", lobby)
	}
	bob, err := tx.Membership(lobby, "bob")
	if err != nil {
		return err
	}
	if bob.NotificationLevel != "muted" {
		t.Errorf("bob's level in the public channel: %q", bob.NotificationLevel)
	}
	for _, ch := range []string{seed.lobby, seed.conv} {
		inv, err := tx.ListInvites(ch, nil, parley.PageRequest{Size: 10})
		if err != nil {
			return err
		}
		if len(inv.Items) != 1 || inv.Items[0].Identity != "carol" {
			t.Errorf("invites of %s: %+v", ch, inv.Items)
		}
	}
	svc, err := tx.Service(src.AccountSID, seed.serviceSID)
	if err != nil {
		return err
	}
	c := svc.Chat
	if c.ReadStatusEnabled || c.TypingIndicatorTimeout != 9 || c.ChannelMembersLimit != 77 || !c.Notifications.NewMessage.Enabled ||
		c.Notifications.NewMessage.Template == nil || c.PreWebhookRetryCount != 2 {
		t.Errorf("chat settings %+v", c)
	}
	hooks, err := tx.ListScopedWebhooks(seed.conv, parley.PageRequest{Size: 10})
	if err != nil {
		return err
	}
	byURL := map[string]*parley.ScopedWebhook{}
	for _, h := range hooks.Items {
		byURL[*h.URL] = h
	}
	room, chatHook := byURL["https://hooks.example.com/room"], byURL["https://hooks.example.com/chat"]
	if len(hooks.Items) != 2 || room == nil || !strings.EqualFold(*room.Method, "GET") || room.RetryCount != 0 ||
		chatHook == nil || chatHook.RetryCount != 2 {
		t.Errorf("conversation webhooks %+v", hooks.Items)
	}
	hooks, err = tx.ListScopedWebhooks(seed.lobby, parley.PageRequest{Size: 10})
	if err != nil {
		return err
	}
	if len(hooks.Items) != 1 || hooks.Items[0].RetryCount != 2 || !slices.Equal(hooks.Items[0].Filters, []string{"onMessageAdded", "onParticipantAdded"}) {
		t.Errorf("public channel webhooks %+v", hooks.Items)
	}
	addr, err := tx.AddressConfig(src.AccountSID, "+15005550006")
	if err != nil {
		return err
	}
	if addr.FriendlyName == nil || *addr.FriendlyName != "support line" {
		t.Errorf("address configuration %+v", addr)
	}
	acct, err := tx.Account(src.AccountSID)
	if err != nil {
		return err
	}
	if acct.FriendlyName != "Imported Co" {
		t.Errorf("account name %q", acct.FriendlyName)
	}
	return nil
}

// changeTarget tampers with the target where verify must look: the first
// message of the seeded conversation, the public channel's attributes, an
// invite, a webhook's retry count, a public channel's webhook, an address
// configuration and the service's Chat settings. It returns the lines
// verify must print.
func changeTarget(t *testing.T, target string, src *apitest.Env, seed seeded) []string {
	t.Helper()
	db, err := store.Open(context.Background(), target, store.Options{Clock: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var want []string
	err = db.Write(context.Background(), func(tx parley.Tx) error {
		want = nil
		page, err := tx.ListMessages(seed.conv, parley.PageRequest{Size: 1})
		if err != nil {
			return err
		}
		m := page.Items[0]
		m.Body = ptr("changed")
		want = append(want, `DIFFERENCE message `+m.SID+`: body is "message 0" in the source, "changed" in the target`)
		if err := tx.UpdateMessage(m); err != nil {
			return err
		}
		lobby, err := tx.Conversation(seed.serviceSID, seed.lobby)
		if err != nil {
			return err
		}
		lobby.Attributes = `{"topic":"tampered"}`
		want = append(want, `DIFFERENCE public channel `+lobby.SID+`: attributes is "{\"topic\":\"all\"}" in the source`)
		if err := tx.UpdateConversation(lobby); err != nil {
			return err
		}
		inv, err := tx.ListInvites(seed.conv, nil, parley.PageRequest{Size: 1})
		if err != nil {
			return err
		}
		want = append(want, "DIFFERENCE invite "+inv.Items[0].SID+": missing in the target",
			"DIFFERENCE invites of "+seed.conv+": source has 1, target 0")
		if err := tx.DeleteInvite(seed.conv, inv.Items[0].SID); err != nil {
			return err
		}
		for _, ch := range []string{seed.conv, seed.lobby} {
			hooks, err := tx.ListScopedWebhooks(ch, parley.PageRequest{Size: 10})
			if err != nil {
				return err
			}
			i := slices.IndexFunc(hooks.Items, func(h *parley.ScopedWebhook) bool { return h.RetryCount == 2 })
			if i < 0 {
				return fmt.Errorf("no webhook with a retry count in %s", ch)
			}
			h := hooks.Items[i]
			h.RetryCount = 0
			want = append(want, "DIFFERENCE conversation webhook "+h.SID+": retry_count is 2 in the source, 0 in the target")
			if ch == seed.lobby {
				h.URL = ptr("https://tampered.example.com")
				want = append(want, "DIFFERENCE conversation webhook "+h.SID+`: url is "https://hooks.example.com/chat" in the source`)
			}
			if err := tx.UpdateScopedWebhook(h); err != nil {
				return err
			}
		}
		addr, err := tx.AddressConfig(src.AccountSID, "+15005550006")
		if err != nil {
			return err
		}
		addr.FriendlyName = ptr("tampered")
		want = append(want, "DIFFERENCE address configuration "+addr.SID+`: friendly_name is "support line" in the source`)
		if err := tx.UpdateAddressConfig(addr); err != nil {
			return err
		}
		svc, err := tx.Service(src.AccountSID, seed.serviceSID)
		if err != nil {
			return err
		}
		svc.Chat.TypingIndicatorTimeout = 10
		want = append(want, "DIFFERENCE service "+svc.SID+": chat is ")
		return tx.UpdateService(svc)
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// BenchmarkImport measures the import's speed from one Parley into a fresh
// store of each engine, over loopback with the default concurrency.
//
//	go test ./cmd/parley -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	for _, engine := range []string{"sqlite", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			src := apitest.Start(b, "sqlite")
			seed := seedSource(b, src, 20, 250)
			b.ResetTimer()
			var elapsed time.Duration
			for range b.N {
				target := apitest.DatabaseURL(b, engine)
				start := time.Now()
				args := []string{"import", "--from", src.URL, "--account-sid", src.AccountSID, "--auth-token", src.AuthToken,
					"--database-url", target}
				var out bytes.Buffer
				if err := Main(context.Background(), args, func(string) string { return "" }, &out, &out); err != nil {
					b.Fatalf("%v\n%s", err, out.String())
				}
				elapsed += time.Since(start)
			}
			b.ReportMetric(float64(seed.messages*b.N)/elapsed.Seconds(), "messages/s")
		})
	}
}

// TestImportDocsFlags: every flag the guide and the README give parley
// import exists.
func TestImportDocsFlags(t *testing.T) {
	var usage bytes.Buffer
	for _, args := range [][]string{{"import", "-h"}, {"import", "verify", "-h"}} {
		Main(context.Background(), args, func(string) string { return "" }, &usage, &usage)
	}
	for _, file := range []string{"../../docs/migrating-from-twilio.md", "../../README.md"} {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if !strings.Contains(line, "parley import") && !strings.Contains(file, "migrating") {
				continue
			}
			spans := regexp.MustCompile("`[^`]*`").FindAllString(line, -1)
			if strings.HasPrefix(line, "parley import") {
				spans = []string{line} // a command in a sh block
			}
			for _, m := range spans {
				for _, f := range regexp.MustCompile(`--([a-z][a-z-]+)`).FindAllStringSubmatch(m, -1) {
					if !strings.Contains(usage.String(), "  -"+f[1]+" ") && !strings.Contains(usage.String(), "  -"+f[1]+"\n") {
						t.Errorf("%s names --%s, which parley import lacks", file, f[1])
					}
				}
			}
		}
	}
}

// TestImportCatchUp changes the source after a complete import: a --since
// run carries what changed after the time (new messages, a conversation's
// attributes, a user's name, a removed participant) but not an edit or a
// deletion deep in the history; a full re-run carries those too, and then
// verify agrees and another run changes nothing.
func TestImportCatchUp(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		src := apitest.Start(t, "sqlite")
		seed := seedSource(t, src, 2, 24)
		checkImportAnswers(t, src)
		target := apitest.DatabaseURL(t, engine)
		if out, errOut, err := importCmd(context.Background(), src, src.URL, target); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, errOut)
		}
		since := time.Now().UTC().Add(-time.Second).Format(time.RFC3339)
		api := src.Twilio().ConversationsV1
		svc, conv := seed.serviceSID, seed.conv
		msgs, err := api.ListServiceConversationMessage(svc, conv, (&conversations.ListServiceConversationMessageParams{}).SetOrder("asc").SetLimit(100))
		if err != nil {
			t.Fatal(err)
		}
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(api.UpdateServiceConversationMessage(svc, conv, *msgs[0].Sid, (&conversations.UpdateServiceConversationMessageParams{}).SetBody("edited")))
		must(nil, api.DeleteServiceConversationMessage(svc, conv, *msgs[5].Sid, nil))
		for i := range 3 {
			must(api.CreateServiceConversationMessage(svc, conv, (&conversations.CreateServiceConversationMessageParams{}).
				SetAuthor("bob").SetBody(fmt.Sprintf("late %d", i))))
		}
		must(api.UpdateServiceConversation(svc, conv, (&conversations.UpdateServiceConversationParams{}).SetAttributes(`{"n":"changed"}`)))
		must(api.UpdateServiceUser(svc, "carol", (&conversations.UpdateServiceUserParams{}).SetFriendlyName("Carol")))
		must(nil, api.DeleteServiceConversationParticipant(svc, conv, "bob", nil))

		out, errOut, err := importCmd(context.Background(), src, src.URL, target, "--since", since)
		if err != nil {
			t.Fatalf("--since: %v\n%s\n%s", err, out, errOut)
		}
		for _, want := range []string{"copied 3 messages (0 updated, 0 deleted,", "copied 0 conversations (1 updated,",
			"copied 0 users (1 updated,", "copied 0 participants (0 updated, 1 deleted,"} {
			if !strings.Contains(out, want) {
				t.Errorf("--since run: no %q in\n%s", want, out)
			}
		}
		out, errOut, err = importCmd(context.Background(), src, src.URL, target)
		if err != nil {
			t.Fatalf("full re-run: %v\n%s\n%s", err, out, errOut)
		}
		if !strings.Contains(out, "copied 0 messages (1 updated, 1 deleted,") {
			t.Errorf("full re-run missed the edit or the deletion:\n%s", out)
		}
		var b bytes.Buffer
		err = Main(context.Background(), []string{"import", "verify", "--from", src.URL, "--account-sid", src.AccountSID,
			"--auth-token", src.AuthToken, "--database-url", target, "--sample", "1"}, func(string) string { return "" }, &b, &b)
		if err != nil || !strings.Contains(b.String(), "source and target agree") {
			t.Errorf("verify: %v\n%s", err, b.String())
		}
		out, _, err = importCmd(context.Background(), src, src.URL, target)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`copied [1-9]|\([1-9]\d* updated|, [1-9]\d* deleted`).MatchString(out) {
			t.Errorf("a run over an unchanged source wrote:\n%s", out)
		}
	})
}
