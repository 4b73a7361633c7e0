package messaging_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twilio/twilio-go"
	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
	conversations "github.com/twilio/twilio-go/rest/conversations/v1"
	messaging "github.com/twilio/twilio-go/rest/messaging/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// number provisions a phone number for the env's account.
func number(t *testing.T, env *apitest.Env, e164 string) string {
	t.Helper()
	n, err := env.Twilio().Api.CreateIncomingPhoneNumber((&api.CreateIncomingPhoneNumberParams{}).SetPhoneNumber(e164))
	if err != nil {
		t.Fatal(err)
	}
	return *n.Sid
}

// wantCode checks a twilio-go error's status and code.
func wantCode(t *testing.T, err error, status, code int) {
	t.Helper()
	re, ok := err.(*twclient.TwilioRestError)
	if !ok || re.Status != status || re.Code != code {
		t.Errorf("got %v, want %d/%d", err, status, code)
	}
}

func TestMessagingServicesLifecycle(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		ms := env.Twilio().MessagingV1
		svc, err := ms.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("Support").
			SetStatusCallback("https://example.com/status"))
		if err != nil || !strings.HasPrefix(*svc.Sid, "MG") || *svc.FriendlyName != "Support" || *svc.InboundMethod != "POST" {
			t.Fatalf("create: %+v %v", svc, err)
		}
		got, err := ms.FetchService(*svc.Sid)
		if err != nil || *got.StatusCallback != "https://example.com/status" || *got.AccountSid != env.AccountSID {
			t.Fatalf("fetch: %+v %v", got, err)
		}
		upd, err := ms.UpdateService(*svc.Sid, (&messaging.UpdateServiceParams{}).SetFriendlyName("Sales").
			SetInboundRequestUrl("https://example.com/in").SetInboundMethod("GET"))
		if err != nil || *upd.FriendlyName != "Sales" || *upd.InboundRequestUrl != "https://example.com/in" || *upd.InboundMethod != "GET" {
			t.Fatalf("update: %+v %v", upd, err)
		}
		if _, err := ms.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("Other")); err != nil {
			t.Fatal(err)
		}
		list, err := ms.ListService((&messaging.ListServiceParams{}).SetPageSize(1))
		if err != nil || len(list) != 2 || *list[0].Sid != *svc.Sid {
			t.Fatalf("list: %+v %v", list, err)
		}

		// The sender pool.
		pn := number(t, env, "+15017122661")
		sender, err := ms.CreatePhoneNumber(*svc.Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid(pn))
		if err != nil || *sender.Sid != pn || *sender.PhoneNumber != "+15017122661" || *sender.ServiceSid != *svc.Sid {
			t.Fatalf("add sender: %+v %v", sender, err)
		}
		_, err = ms.CreatePhoneNumber(*svc.Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid(pn))
		wantCode(t, err, 400, 21710)
		_, err = ms.CreatePhoneNumber(*list[1].Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid(pn))
		wantCode(t, err, 400, 21712)
		_, err = ms.CreatePhoneNumber(*svc.Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid("PN00000000000000000000000000000000"))
		wantCode(t, err, 400, 21421)
		fetched, err := ms.FetchPhoneNumber(*svc.Sid, pn)
		if err != nil || *fetched.PhoneNumber != "+15017122661" {
			t.Fatalf("fetch sender: %+v %v", fetched, err)
		}
		second := number(t, env, "+15017122662")
		if _, err := ms.CreatePhoneNumber(*svc.Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid(second)); err != nil {
			t.Fatal(err)
		}
		senders, err := ms.ListPhoneNumber(*svc.Sid, (&messaging.ListPhoneNumberParams{}).SetPageSize(1))
		if err != nil || len(senders) != 2 || *senders[0].Sid != pn {
			t.Fatalf("list senders: %+v %v", senders, err)
		}
		if err := ms.DeletePhoneNumber(*svc.Sid, pn); err != nil {
			t.Fatal(err)
		}
		if _, err := ms.FetchPhoneNumber(*svc.Sid, pn); err == nil {
			t.Error("removed sender still in the pool")
		}
		// Out of the pool, the number may join another service.
		if _, err := ms.CreatePhoneNumber(*list[1].Sid, (&messaging.CreatePhoneNumberParams{}).SetPhoneNumberSid(pn)); err != nil {
			t.Errorf("re-add elsewhere: %v", err)
		}
		// Releasing a number takes it out of its pool.
		if err := env.Twilio().Api.DeleteIncomingPhoneNumber(second, &api.DeleteIncomingPhoneNumberParams{}); err != nil {
			t.Fatal(err)
		}
		if senders, err := ms.ListPhoneNumber(*svc.Sid, nil); err != nil || len(senders) != 0 {
			t.Errorf("pool after the number was released: %+v %v", senders, err)
		}
		if err := ms.DeleteService(*svc.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = ms.FetchService(*svc.Sid)
		wantCode(t, err, 404, 20404)
	})
}

// TestMessagingRefusals: bad input gets Twilio's code and changes nothing;
// another account's service does not exist for this one.
func TestMessagingRefusals(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		for _, params := range []url.Values{
			{},
			{"FriendlyName": {strings.Repeat("x", 65)}},
			{"FriendlyName": {"x"}, "InboundRequestUrl": {"not a url"}},
			{"FriendlyName": {"x"}, "FallbackMethod": {"PUT"}},
		} {
			if r := env.Do("POST", "/messaging/v1/Services", params); r.Status != 400 || !strings.Contains(string(r.Body), `"code":20001`) {
				t.Errorf("create %v: %s", params, r)
			}
		}
		sub, err := env.Twilio().Api.CreateAccount(&api.CreateAccountParams{})
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := env.TwilioAs(*sub.Sid, *sub.AuthToken).MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("theirs"))
		if err != nil {
			t.Fatal(err)
		}
		if r := env.Do("GET", "/messaging/v1/Services/"+*theirs.Sid, nil); r.Status != 404 {
			t.Errorf("another account's service: %s", r)
		}
		if list, err := env.Twilio().MessagingV1.ListService(nil); err != nil || len(list) != 0 {
			t.Errorf("list after refusals: %+v %v", list, err)
		}
	})
}

// TestMessagingByHost: a client that keeps Twilio's Host header reaches
// Messaging on /v1/Services while Conversations keeps its own /v1/Services.
func TestMessagingByHost(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		c := &twclient.Client{Credentials: twclient.NewCredentials(env.AccountSID, env.AuthToken),
			HTTPClient: &http.Client{Transport: env.HostTransport(), Timeout: 30 * time.Second}}
		c.SetAccountSid(env.AccountSID)
		tw := twilio.NewRestClientWithParams(twilio.ClientParams{Username: env.AccountSID, Password: env.AuthToken, Client: c})
		svc, err := tw.MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("by host"))
		if err != nil || !strings.HasPrefix(*svc.Sid, "MG") {
			t.Fatalf("create by host: %+v %v", svc, err)
		}
		for range 2 {
			if _, err := tw.MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("more")); err != nil {
				t.Fatal(err)
			}
		}
		// Paging follows next_page_url through the same Host.
		list, err := tw.MessagingV1.ListService((&messaging.ListServiceParams{}).SetPageSize(1))
		if err != nil || len(list) != 3 || *list[0].Sid != *svc.Sid {
			t.Fatalf("list by host: %+v %v", list, err)
		}
		convs, err := tw.ConversationsV1.ListService(nil)
		if err != nil || len(convs) != 1 || !strings.HasPrefix(*convs[0].Sid, "IS") {
			t.Errorf("conversations services by host: %+v %v", convs, err)
		}
	})
}

// TestConversationMessagingService: a conversation's MessagingServiceSid
// and the account's default must name one of the account's services.
func TestConversationMessagingService(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		tw := env.Twilio()
		svc, err := tw.MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("conv"))
		if err != nil {
			t.Fatal(err)
		}
		const unknown = "MG00000000000000000000000000000000"
		_, err = tw.ConversationsV1.CreateConversation((&conversations.CreateConversationParams{}).SetMessagingServiceSid(unknown))
		wantCode(t, err, 400, 50341)
		conv, err := tw.ConversationsV1.CreateConversation((&conversations.CreateConversationParams{}).SetMessagingServiceSid(*svc.Sid))
		if err != nil || *conv.MessagingServiceSid != *svc.Sid {
			t.Fatalf("create with service: %+v %v", conv, err)
		}
		_, err = tw.ConversationsV1.UpdateConversation(*conv.Sid, (&conversations.UpdateConversationParams{}).SetMessagingServiceSid(unknown))
		wantCode(t, err, 400, 50341)
		_, err = tw.ConversationsV1.UpdateConfiguration((&conversations.UpdateConfigurationParams{}).SetDefaultMessagingServiceSid(unknown))
		wantCode(t, err, 400, 50341)
		cfg, err := tw.ConversationsV1.UpdateConfiguration((&conversations.UpdateConfigurationParams{}).SetDefaultMessagingServiceSid(*svc.Sid))
		if err != nil || *cfg.DefaultMessagingServiceSid != *svc.Sid {
			t.Fatalf("configuration: %+v %v", cfg, err)
		}
		plain, err := tw.ConversationsV1.CreateConversation(&conversations.CreateConversationParams{})
		if err != nil || plain.MessagingServiceSid == nil || *plain.MessagingServiceSid != *svc.Sid {
			t.Errorf("conversation without a service: %+v %v, want the default", plain, err)
		}
	})
}

// TestConcurrentSenders: services racing to add one number, exactly one
// gets it.
func TestConcurrentSenders(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		pn := number(t, env, "+15017122663")
		const n = 8
		sids := make([]string, n)
		for i := range sids {
			svc, err := env.Twilio().MessagingV1.CreateService((&messaging.CreateServiceParams{}).SetFriendlyName("race"))
			if err != nil {
				t.Fatal(err)
			}
			sids[i] = *svc.Sid
		}
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for _, sid := range sids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- env.Do("POST", "/messaging/v1/Services/"+sid+"/PhoneNumbers", url.Values{"PhoneNumberSid": {pn}}).Status
			}()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[201] != 1 || count[400] != n-1 {
			t.Errorf("statuses %v, want one 201 and %d 400", count, n-1)
		}
	})
}
