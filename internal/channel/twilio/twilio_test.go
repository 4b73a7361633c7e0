package twilio_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/channel/twilio"
	"github.com/parley-dev/parley/internal/server"
	"github.com/parley-dev/parley/internal/webhook"
)

const (
	proxy    = "+15017122661"
	customer = "+15558675310"
	refused  = "+15005550001" // the fake answers 21211 for it, as Twilio does for an invalid To
)

// fakeTwilio is a local Messages API: it checks Basic auth and keeps each
// create's form.
type fakeTwilio struct {
	*httptest.Server
	account, token string
	keySID, secret string
	mu             sync.Mutex
	sent           []url.Values
	n              int
}

// sms is the server config that sends SMS through the fake (an
// apitest.Option).
func (f *fakeTwilio) sms(c *server.Config) {
	c.ChannelSMS = server.ChannelTwilio
	c.Twilio = twilio.Config{AccountSID: f.account, AuthToken: f.token, APIBase: f.URL}
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	f := &fakeTwilio{account: parley.NewSID(parley.PrefixAccount), token: parley.NewSecret(),
		keySID: parley.NewSID("SK"), secret: parley.NewSecret()}
	f.Server = newServer(t, f)
	return f
}

// newServer serves f on loopback until the test ends.
func newServer(tb testing.TB, f *fakeTwilio) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(s.Close)
	return s
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/media/") { // an MMS file, public as on Twilio by default
		w.Header().Set("Content-Type", "image/jpeg")
		io.WriteString(w, "\xff\xd8\xff\xe0 a photo")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	user, pass, ok := r.BasicAuth()
	if !ok || !(user == f.account && pass == f.token || user == f.keySID && pass == f.secret) {
		w.WriteHeader(401)
		io.WriteString(w, `{"code":20003,"message":"Authenticate","status":401}`)
		return
	}
	if r.Method != "POST" || r.URL.Path != "/2010-04-01/Accounts/"+f.account+"/Messages.json" || r.ParseForm() != nil {
		w.WriteHeader(404)
		io.WriteString(w, `{"code":20404,"message":"not found","status":404}`)
		return
	}
	if r.PostForm.Get("To") == refused {
		w.WriteHeader(400)
		io.WriteString(w, `{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`)
		return
	}
	f.mu.Lock()
	f.n++
	sid := fmt.Sprintf("SM%032d", f.n)
	f.sent = append(f.sent, r.PostForm)
	f.mu.Unlock()
	w.WriteHeader(201)
	json.NewEncoder(w).Encode(map[string]any{"sid": sid, "status": "queued", "error_code": nil,
		"to": r.PostForm.Get("To"), "from": r.PostForm.Get("From"), "body": r.PostForm.Get("Body")})
}

// next waits for the nth message sent (1-based).
func (f *fakeTwilio) next(t testing.TB, n int) url.Values {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		f.mu.Lock()
		if len(f.sent) >= n {
			defer f.mu.Unlock()
			return f.sent[n-1]
		}
		f.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("the fake Messages API got no message %d", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// post sends a Twilio webhook to rawURL through client, signed with
// token ("" sends no signature), and answers the status and body.
func post(t *testing.T, client *http.Client, token, rawURL string, form url.Values) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", rawURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if token != "" {
		req.Header.Set("X-Twilio-Signature", webhook.Signature(token, rawURL, form))
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestTwilioChannel: a chat user's message goes out through the Messages
// API (Basic auth, From/To/Body, a StatusCallback at Parley); Twilio's
// signed status callbacks move the receipt, a badly signed one is refused
// 403 and changes nothing; a refused send records Twilio's error; Twilio's
// inbound webhook lands the phone's reply in the conversation.
func TestTwilioChannel(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeTwilio(t)
		env := apitest.Start(t, engine, fake.sms)
		api := env.Twilio().ConversationsV1
		_, ch := env.MessagingConversation(t, "sms")
		phone := addPhone(t, env, ch, customer)
		bad := addPhone(t, env, ch, refused)
		if _, err := api.CreateConversationParticipant(ch, (&conv.CreateConversationParticipantParams{}).SetIdentity("agent")); err != nil {
			t.Fatal(err)
		}
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hello"))
		if err != nil {
			t.Fatal(err)
		}

		sent := fake.next(t, 1)
		callback := sent.Get("StatusCallback")
		if sent.Get("To") != customer || sent.Get("From") != proxy || sent.Get("Body") != "hello" ||
			!strings.HasPrefix(callback, env.URL+twilio.StatusPath+"?Delivery=") {
			t.Fatalf("sent = %v", sent)
		}
		r := env.WaitReceipt(t, ch, *m.Sid, phone, "sent")
		if *r.ChannelMessageSid != fmt.Sprintf("SM%032d", 1) {
			t.Errorf("channel_message_sid = %s", *r.ChannelMessageSid)
		}
		if got := env.WaitReceipt(t, ch, *m.Sid, bad, "failed"); got.ErrorCode != 21211 {
			t.Errorf("refused send's error_code = %v, want 21211", got.ErrorCode)
		}

		// checked validates JSON answers (errors, 204s) against the spec;
		// the inbound webhook's TwiML answer goes through the plain client.
		checked := &http.Client{Transport: env.Checking(nil)}
		status := url.Values{"MessageSid": {*r.ChannelMessageSid}, "MessageStatus": {"delivered"}, "AccountSid": {fake.account},
			"From": {proxy}, "To": {customer}}
		if code, body := post(t, checked, "not the token", callback, status); code != 403 || !strings.Contains(body, `"code":20403`) {
			t.Fatalf("badly signed status callback = %d %s, want 403/20403", code, body)
		}
		if list, _ := api.ListConversationMessageReceipt(ch, *m.Sid, nil); len(list) != 2 || receiptStatus(list, phone) != "sent" {
			t.Fatalf("after a bad signature the receipt is %s", receiptStatus(list, phone))
		}
		if code, body := post(t, checked, fake.token, callback, status); code != 204 {
			t.Fatalf("status callback = %d %s", code, body)
		}
		env.WaitReceipt(t, ch, *m.Sid, phone, "delivered")
		// A late sent after delivered changes nothing.
		status.Set("MessageStatus", "sent")
		if code, body := post(t, checked, fake.token, callback, status); code != 204 {
			t.Fatalf("late status callback = %d %s", code, body)
		}
		if list, _ := api.ListConversationMessageReceipt(ch, *m.Sid, nil); receiptStatus(list, phone) != "delivered" {
			t.Errorf("receipt after a late sent = %s", receiptStatus(list, phone))
		}

		// Inbound: the phone replies to the proxy number.
		inbound := env.URL + twilio.InboundPath
		reply := url.Values{"MessageSid": {"SM" + strings.Repeat("f", 32)}, "AccountSid": {fake.account}, "From": {customer},
			"To": {proxy}, "Body": {"thanks"}, "NumMedia": {"1"}, "MediaUrl0": {fake.URL + "/media/photo.jpg"},
			"MediaContentType0": {"image/jpeg"}}
		for _, token := range []string{"not the token", ""} {
			if code, body := post(t, checked, token, inbound, reply); code != 403 {
				t.Fatalf("inbound signed with %q = %d %s, want 403", token, code, body)
			}
		}
		// Twilio delivering the webhook twice adds the message once.
		for range 2 {
			if code, body := post(t, http.DefaultClient, fake.token, inbound, reply); code != 200 || !strings.Contains(body, "<Response>") {
				t.Fatalf("inbound = %d %s", code, body)
			}
		}
		// A webhook URL naming an account Parley does not have routes nowhere.
		reply.Set("MessageSid", "SM"+strings.Repeat("e", 32))
		if code, _ := post(t, http.DefaultClient, fake.token, inbound+"?Account="+parley.NewSID(parley.PrefixAccount), reply); code != 200 {
			t.Fatalf("inbound for an unknown account = %d, want 200 (dropped)", code)
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("messages = %d, %v, want 2 (the bad signatures, the repeat and the unknown account added none)", len(msgs), err)
		}
		if *msgs[1].Author != customer || *msgs[1].Body != "thanks" || *msgs[1].ParticipantSid != phone {
			t.Errorf("inbound message = %s %s %s", *msgs[1].Author, *msgs[1].Body, *msgs[1].ParticipantSid)
		}
		if msgs[1].Media == nil || len(*msgs[1].Media) != 1 {
			t.Errorf("inbound message media = %v, want the MMS's file", msgs[1].Media)
		}
	})
}

// addPhone adds an SMS participant at address through the proxy number.
func addPhone(t testing.TB, env *apitest.Env, ch, address string) string {
	t.Helper()
	return env.AddPhone(t, ch, address, proxy)
}

func receiptStatus(list []conv.ConversationsV1ConversationMessageReceipt, participant string) string {
	for _, r := range list {
		if *r.ParticipantSid == participant {
			return *r.Status
		}
	}
	return "none"
}

// TestTwilioSend: an adapter with an API key authenticates with it and
// passes MessagingServiceSid and MediaUrl; a delivery that has a receipt
// (its job ran before) is answered from it and not sent again.
func TestTwilioSend(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeTwilio(t)
		env := apitest.Start(t, engine)
		mg := "MG" + strings.Repeat("a", 32)
		a, err := twilio.New(twilio.Config{AccountSID: fake.account, AuthToken: fake.token, APIKeySID: fake.keySID,
			APIKeySecret: fake.secret, MessagingServiceSID: mg, APIBase: fake.URL, PublicURL: "https://parley.example.com"}, env.Server.Store)
		if err != nil {
			t.Fatal(err)
		}
		out := &parley.OutboundMessage{AccountSID: env.AccountSID, ConversationSID: parley.NewSID(parley.PrefixConversation),
			MessageSID: parley.NewSID(parley.PrefixMessage), ParticipantSID: parley.NewSID(parley.PrefixParticipant),
			Channel: parley.BindingSMS, From: proxy, To: customer, Body: "pic", MediaURLs: []string{"https://example.com/a.png"}}
		out.Key = parley.DeliveryKey(out.MessageSID, out.ParticipantSID)
		r, err := a.Send(t.Context(), out)
		if err != nil || r.Status != "sent" || !strings.HasPrefix(r.ChannelMessageSID, "SM") {
			t.Fatalf("Send = %+v, %v", r, err)
		}
		sent := fake.next(t, 1)
		if sent.Get("MessagingServiceSid") != mg || sent.Get("MediaUrl") != "https://example.com/a.png" ||
			!strings.HasPrefix(sent.Get("StatusCallback"), "https://parley.example.com"+twilio.StatusPath+"?Delivery=") {
			t.Errorf("sent = %v", sent)
		}

		// Through the server: a delivered message, then its job's retry.
		fake2 := newFakeTwilio(t)
		env2 := apitest.Start(t, engine, fake2.sms)
		api := env2.Twilio().ConversationsV1
		_, ch := env2.MessagingConversation(t, "sms")
		phone := addPhone(t, env2, ch, customer)
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("once"))
		if err != nil {
			t.Fatal(err)
		}
		fake2.next(t, 1)
		first := env2.WaitReceipt(t, ch, *m.Sid, phone, "sent")
		a2, err := twilio.New(twilio.Config{AccountSID: fake2.account, AuthToken: fake2.token, APIBase: fake2.URL,
			PublicURL: env2.URL}, env2.Server.Store)
		if err != nil {
			t.Fatal(err)
		}
		retry := &parley.OutboundMessage{AccountSID: env2.AccountSID, ConversationSID: ch, MessageSID: *m.Sid,
			ParticipantSID: phone, Channel: parley.BindingSMS, From: proxy, To: customer, Body: "once"}
		r, err = a2.Send(t.Context(), retry)
		if err != nil || r.Status != "sent" || r.ChannelMessageSID != *first.ChannelMessageSid {
			t.Errorf("retried Send = %+v, %v, want the first send's report", r, err)
		}
		fake2.mu.Lock()
		defer fake2.mu.Unlock()
		if len(fake2.sent) != 1 {
			t.Errorf("Twilio got %d messages, want 1", len(fake2.sent))
		}
	})
}

// TestTwilioSignatureCoversPublicURL: behind a proxy, Twilio signs the
// public URL it requested, not the address Parley listens on.
func TestTwilioSignatureCoversPublicURL(t *testing.T) {
	fake := newFakeTwilio(t)
	public := "https://parley.example.com"
	env := apitest.Start(t, "sqlite", func(c *server.Config) {
		fake.sms(c)
		c.PublicURL = public
	})
	ref := strings.Join([]string{env.AccountSID, parley.NewSID(parley.PrefixConversation), parley.NewSID(parley.PrefixMessage),
		parley.NewSID(parley.PrefixParticipant)}, "/")
	path := twilio.StatusPath + "?" + url.Values{"Delivery": {ref}}.Encode()
	form := url.Values{"MessageSid": {"SM" + strings.Repeat("0", 32)}, "MessageStatus": {"delivered"}}
	checked := &http.Client{Transport: env.Checking(nil)}
	for _, tc := range []struct {
		signed string
		want   int
	}{{env.URL + path, 403}, {public + path, 204}} { // a receipt-less delivery: nothing to update
		req, _ := http.NewRequest("POST", env.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Twilio-Signature", webhook.Signature(fake.token, tc.signed, form))
		resp, err := checked.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("signed over %s: %d, want %d", tc.signed, resp.StatusCode, tc.want)
		}
	}
}

// TestTwilioWhatsApp: WhatsApp through Twilio sends from the whatsapp:
// sender, and its onDeliveryUpdated webhooks say Source WHATSAPP though
// Twilio's message SIDs start SM.
func TestTwilioWhatsApp(t *testing.T) {
	fake := newFakeTwilio(t)
	env := apitest.Start(t, "sqlite", func(c *server.Config) {
		c.ChannelWhatsApp = server.ChannelTwilio
		c.Twilio = twilio.Config{AccountSID: fake.account, AuthToken: fake.token, APIBase: fake.URL}
	})
	api := env.Twilio().ConversationsV1
	rc := apitest.NewReceiver(t, nil)
	if _, err := api.UpdateConfigurationWebhook((&conv.UpdateConfigurationWebhookParams{}).SetMethod("POST").
		SetPostWebhookUrl(rc.URL + "/post").SetFilters([]string{"onDeliveryUpdated"})); err != nil {
		t.Fatal(err)
	}
	_, ch := env.MessagingConversation(t, "wa")
	p, err := api.CreateConversationParticipant(ch, (&conv.CreateConversationParticipantParams{}).
		SetMessagingBindingAddress("whatsapp:"+customer).SetMessagingBindingProxyAddress("whatsapp:"+proxy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("hi")); err != nil {
		t.Fatal(err)
	}
	sent := fake.next(t, 1)
	if sent.Get("From") != "whatsapp:"+proxy || sent.Get("To") != "whatsapp:"+customer {
		t.Fatalf("sent = %v", sent)
	}
	status := url.Values{"MessageSid": {fmt.Sprintf("SM%032d", 1)}, "MessageStatus": {"read"}, "From": {sent.Get("From")}, "To": {sent.Get("To")}}
	// The sent webhook first, so the read callback cannot overtake the send's receipt.
	got := []string{}
	first := rc.Next()
	got = append(got, first.Params.Get("Status")+"/"+first.Params.Get("Source"))
	if code, body := post(t, &http.Client{Transport: env.Checking(nil)}, fake.token, sent.Get("StatusCallback"), status); code != 204 {
		t.Fatalf("status callback = %d %s", code, body)
	}
	second := rc.Next()
	got = append(got, second.Params.Get("Status")+"/"+second.Params.Get("Source"))
	if strings.Join(got, " ") != "sent/WHATSAPP read/WHATSAPP" || second.Params.Get("ParticipantSid") != *p.Sid {
		t.Errorf("onDeliveryUpdated = %v (participant %s)", got, second.Params.Get("ParticipantSid"))
	}
}

// TestTwilioInboundRepeatsAtOnce: Twilio delivering one message's webhook
// several times at once adds it once, every delivery answered 200.
func TestTwilioInboundRepeatsAtOnce(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		fake := newFakeTwilio(t)
		env := apitest.Start(t, engine, fake.sms)
		api := env.Twilio().ConversationsV1
		_, ch := env.MessagingConversation(t, "sms")
		addPhone(t, env, ch, customer)
		reply := url.Values{"MessageSid": {"SM" + strings.Repeat("d", 32)}, "From": {customer}, "To": {proxy}, "Body": {"once"}}
		var wg sync.WaitGroup
		codes := make([]int, 8)
		for i := range codes {
			wg.Go(func() { // no t.Fatal off the test's goroutine: a failed request shows as code 0
				req, _ := http.NewRequest("POST", env.URL+twilio.InboundPath, strings.NewReader(reply.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Twilio-Signature", webhook.Signature(fake.token, env.URL+twilio.InboundPath, reply))
				if resp, err := http.DefaultClient.Do(req); err == nil {
					codes[i] = resp.StatusCode
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		for i, code := range codes {
			if code != 200 {
				t.Errorf("delivery %d answered %d", i, code)
			}
		}
		if msgs, err := api.ListConversationMessage(ch, nil); err != nil || len(msgs) != 1 {
			t.Errorf("messages = %d, %v, want 1", len(msgs), err)
		}
	})
}
