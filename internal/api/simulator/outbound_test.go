package simulator_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

// phoneMessage is a simulated phone's message with its media links.
type phoneMessage struct {
	Body      string   `json:"body"`
	MediaURLs []string `json:"media_urls"`
}

// finalReceipts waits until each of n receipts of a message has left sent,
// and answers them as "status/error_code" by participant SID.
func finalReceipts(t *testing.T, env *apitest.Env, ch, msg string, n int) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, r := range env.WaitReceipts(t, ch, msg, func(list []apitest.Receipt) bool { return len(final(list)) == n }) {
		if *r.Status != "sent" {
			got[*r.ParticipantSid] = *r.Status + "/" + itoa(r.ErrorCode)
		}
	}
	return got
}

func phoneInbox(t *testing.T, env *apitest.Env, address string) []phoneMessage {
	t.Helper()
	var l struct {
		Messages []phoneMessage `json:"messages"`
	}
	do(t, env, "GET", "/parley/v1/Simulator/Phones/"+url.PathEscape(address)+"/Messages", nil, 200, &l)
	return l.Messages
}

// TestOutboundMediaAndChannelLimits: a message with media and a body
// reaches the SMS phone as one MMS and the WhatsApp phone as one message,
// each listing a link that works without credentials and serves the file;
// a file type a channel does not take, or a body over 1,600 characters, is
// kept in the conversation while its deliveries to phones fail with
// Twilio's codes (12300 MMS, 63021 WhatsApp, 21617 the body), and nothing
// reaches the phones.
func TestOutboundMediaAndChannelLimits(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		_, ch := smsConversation(t, env)
		sms := addPhone(t, env, ch, customer, proxy)
		wa := addPhone(t, env, ch, "whatsapp:+15558675311", waProxy)
		picture := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 500)

		png := env.UploadMedia(t, ch, "image/png", picture)
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").
			SetBody("your receipt").SetMediaSid(png))
		if err != nil {
			t.Fatal(err)
		}
		if got := finalReceipts(t, env, ch, *m.Sid, 2); got[sms] != "delivered/0" || got[wa] != "delivered/0" {
			t.Fatalf("receipts = %v", got)
		}
		for _, phone := range []string{customer, "whatsapp:+15558675311"} {
			in := phoneInbox(t, env, phone)
			if len(in) != 1 || in[0].Body != "your receipt" || len(in[0].MediaURLs) != 1 {
				t.Fatalf("inbox of %s = %+v, want one message with the body and one media link", phone, in)
			}
			resp, err := http.Get(in[0].MediaURLs[0]) // as the provider fetches it: no credentials
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, picture) {
				t.Errorf("media link of %s: %d %s, %d bytes", phone, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
			}
		}

		zip := env.UploadMedia(t, ch, "application/zip", []byte("PK\x03\x04"))
		m2, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetMediaSid(zip))
		if err != nil {
			t.Fatal(err)
		}
		if got := finalReceipts(t, env, ch, *m2.Sid, 2); got[sms] != "failed/12300" || got[wa] != "failed/63021" {
			t.Errorf("receipts of a zip file = %v, want failed/12300 (MMS) and failed/63021 (WhatsApp)", got)
		}

		long, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").
			SetBody(strings.Repeat("é", 1601)))
		if err != nil {
			t.Fatalf("a 1,601-character body is refused at create: %v; Twilio keeps it for chat", err)
		}
		if got := finalReceipts(t, env, ch, *long.Sid, 2); got[sms] != "failed/21617" || got[wa] != "failed/21617" {
			t.Errorf("receipts of a long body = %v, want failed/21617", got)
		}
		// Emoji count twice, as Twilio counts them: 800 of them fit.
		fits, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").
			SetBody(strings.Repeat("😀", 800)))
		if err != nil {
			t.Fatal(err)
		}
		if got := finalReceipts(t, env, ch, *fits.Sid, 2); got[sms] != "delivered/0" {
			t.Errorf("receipts of a 1,600-unit body = %v", got)
		}
		if n := len(phoneInbox(t, env, customer)); n != 2 {
			t.Errorf("the SMS phone got %d messages, want 2 (the refused ones never reached it)", n)
		}
		if msgs, _ := api.ListConversationMessage(ch, nil); len(msgs) != 4 {
			t.Errorf("the conversation holds %d messages, want 4", len(msgs))
		}
	})
}
