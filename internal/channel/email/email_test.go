package email_test

import (
	"bytes"
	"errors"
	"io"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/twilio/twilio-go/client"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/channel/email"
	"github.com/parley-dev/parley/internal/server"
)

const (
	sender   = "support@parley.test"
	customer = "kim@example.com"
	bouncing = "gone@example.com" // the fake peer refuses it for good
	busy     = "busy@example.com" // the fake peer refuses its first mail for now (451)
)

// sentMail is one mail the fake peer took.
type sentMail struct {
	from string
	to   []string
	msg  *mail.Message
	body string
}

// fakeMTA is a local SMTP server (go-smtp's) standing for the relay Parley
// sends through: it keeps each mail, and refuses bouncing with 550.
type fakeMTA struct {
	addr     string
	mu       sync.Mutex
	got      []sentMail
	deferred bool // busy was refused once
}

func newFakeMTA(t *testing.T) *fakeMTA {
	f := &fakeMTA{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &fakeSession{mta: f}, nil }))
	srv.Domain = "mta.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return f
}

type fakeSession struct {
	mta  *fakeMTA
	from string
	to   []string
}

func (s *fakeSession) Reset()        { s.from, s.to = "", nil }
func (s *fakeSession) Logout() error { return nil }
func (s *fakeSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *fakeSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == bouncing {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	s.mta.mu.Lock()
	defer s.mta.mu.Unlock()
	if to == busy && !s.mta.deferred {
		s.mta.deferred = true
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 2, 1}, Message: "Mailbox busy, try later"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *fakeSession) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		return err
	}
	s.mta.mu.Lock()
	defer s.mta.mu.Unlock()
	// SMTP ends the data with a line break of its own.
	s.mta.got = append(s.mta.got, sentMail{from: s.from, to: s.to, msg: msg, body: strings.TrimSuffix(string(body), "\r\n")})
	return nil
}

// next waits for the nth mail (1-based).
func (f *fakeMTA) next(t *testing.T, n int) sentMail {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		f.mu.Lock()
		if len(f.got) >= n {
			defer f.mu.Unlock()
			return f.got[n-1]
		}
		f.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("the fake SMTP peer got %d mails, want %d", len(f.got), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sendMail hands raw to Parley's SMTP listener with go-smtp's client.
func sendMail(t *testing.T, addr, from, to, raw string) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{to}, strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		return err
	}
	return c.Quit()
}

func twilioCode(err error) int {
	var e *client.TwilioRestError
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// TestEmailChannel: email participants are validated as Twilio documents;
// a chat user's message goes out through a local SMTP peer from the
// conversation's Bindings.Email.Address, with the friendly name as subject
// and threading headers, and its receipt is sent; a mail to Parley's SMTP
// listener becomes a message by the sender's address, once however often
// it is delivered, without the quoted text and with its attachment as
// media; a 550 fails the receipt with an error code.
func TestEmailChannel(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		mta := newFakeMTA(t)
		env := apitest.Start(t, engine, func(c *server.Config) {
			c.ChannelEmail = server.ChannelSMTP
			c.Email = email.Config{URL: "smtp://" + mta.addr}
			c.SMTPListen = "127.0.0.1:0"
			apitest.FastRetries(c)
		})
		api := env.Twilio().ConversationsV1
		_, bare := env.MessagingConversation(t, "mail")
		_, ch := env.MessagingConversation(t, "mail2")

		// No sender yet: 50412; then the conversation gets one.
		add := func(ch, address, proxy string) (*conv.ConversationsV1ConversationParticipant, error) {
			p := (&conv.CreateConversationParticipantParams{}).SetMessagingBindingAddress(address)
			if proxy != "" {
				p.SetMessagingBindingProxyAddress(proxy)
			}
			return api.CreateConversationParticipant(ch, p)
		}
		if _, err := add(bare, customer, ""); twilioCode(err) != 50412 {
			t.Errorf("email participant without a conversation sender: %v, want 50412", err)
		}
		c, err := api.UpdateConversation(ch, (&conv.UpdateConversationParams{}).SetFriendlyName("Order 1234").
			SetBindingsEmailAddress(sender).SetBindingsEmailName("Parley Support"))
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := (*c.Bindings).(map[string]any)["email"].(map[string]any); b["projected_address"] != sender || b["name"] != "Parley Support" {
			t.Errorf("bindings = %v", *c.Bindings)
		}
		if _, err := api.UpdateConversation(ch, (&conv.UpdateConversationParams{}).SetBindingsEmailAddress("support")); twilioCode(err) != 50407 {
			t.Errorf("a sender that is no email address: %v, want 50407", err)
		}
		for _, tc := range []struct {
			address, proxy string
			code           int
		}{
			{customer, sender, 50453},       // email has no proxy address
			{"kim@", "", 50407},             // not an email address
			{"Kim <kim@x.test>", "", 50407}, // a display name is not an address
			{sender, "", 50409},             // the sender itself
		} {
			if _, err := add(ch, tc.address, tc.proxy); twilioCode(err) != tc.code {
				t.Errorf("participant %q via %q: %v, want %d", tc.address, tc.proxy, err, tc.code)
			}
		}
		p, err := add(ch, customer, "")
		if err != nil {
			t.Fatal(err)
		}
		if b := (*p.MessagingBinding).(map[string]any); b["type"] != "email" || b["address"] != customer {
			t.Errorf("messaging_binding = %v", b)
		}

		// Out: a chat user's message is mailed to the participant.
		m, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").
			SetBody("Your order shipped. Ünïcode too."))
		if err != nil {
			t.Fatal(err)
		}
		got := mta.next(t, 1)
		h := got.msg.Header
		thread := "<" + ch + "@parley.test>"
		if got.from != sender || len(got.to) != 1 || got.to[0] != customer ||
			h.Get("From") != `"Parley Support" <support@parley.test>` || h.Get("To") != "<"+customer+">" ||
			h.Get("Subject") != "Order 1234" || h.Get("Message-Id") != "<"+*m.Sid+"."+*p.Sid+"@parley.test>" ||
			h.Get("In-Reply-To") != thread || h.Get("References") != thread ||
			got.body != "Your order shipped. Ünïcode too." {
			t.Errorf("mail: envelope %s → %v, headers %v, body %q", got.from, got.to, h, got.body)
		}
		r := env.WaitReceipt(t, ch, *m.Sid, *p.Sid, "sent")
		if !strings.HasPrefix(*r.ChannelMessageSid, email.SIDPrefix) {
			t.Errorf("channel_message_sid = %s", *r.ChannelMessageSid)
		}

		// In: the customer replies, with a quote and an attachment; the
		// relay delivers it twice.
		reply := `From: Kim <kim@example.com>
To: Parley Support <support@parley.test>
Subject: Re: Order 1234
Message-ID: <reply-1@example.com>
In-Reply-To: ` + h.Get("Message-Id") + `
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Thanks! The label is attached.

On Mon, 30 Nov 2026 at 10:00, Parley Support <support@parley.test>
wrote:
> Your order shipped.
--b1
Content-Type: image/png
Content-Disposition: attachment; filename="label.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--b1--
`
		for range 2 {
			if err := sendMail(t, env.Server.SMTPAddr(), customer, sender, reply); err != nil {
				t.Fatal(err)
			}
		}
		msgs, err := api.ListConversationMessage(ch, nil)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("messages = %d, %v, want 2 (the repeat added none)", len(msgs), err)
		}
		in := msgs[1]
		if *in.Author != customer || *in.Body != "Thanks! The label is attached." || *in.ParticipantSid != *p.Sid {
			t.Errorf("inbound message = %s %q %s", *in.Author, *in.Body, *in.ParticipantSid)
		}
		if in.Media == nil || len(*in.Media) != 1 || (*in.Media)[0].(map[string]any)["filename"] != "label.png" {
			t.Errorf("inbound media = %v", in.Media)
		}

		// A 550 fails the delivery with an error code; the other recipient
		// still gets the message.
		gone, err := add(ch, bouncing, "")
		if err != nil {
			t.Fatal(err)
		}
		m2, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("Anything else?"))
		if err != nil {
			t.Fatal(err)
		}
		if r := env.WaitReceipt(t, ch, *m2.Sid, *gone.Sid, "failed"); r.ErrorCode != email.DefaultFailedCode {
			t.Errorf("failed receipt's error_code = %d, want %d", r.ErrorCode, email.DefaultFailedCode)
		}
		env.WaitReceipt(t, ch, *m2.Sid, *p.Sid, "sent")
		if got := mta.next(t, 2); !bytes.Contains([]byte(got.body), []byte("Anything else?")) || got.to[0] != customer {
			t.Errorf("second mail = %v %q", got.to, got.body)
		}

		// A 451 is retried: the mail arrives once, and its receipt is sent.
		if err := api.DeleteConversationParticipant(ch, *gone.Sid, nil); err != nil {
			t.Fatal(err)
		}
		later, err := add(ch, busy, "")
		if err != nil {
			t.Fatal(err)
		}
		m3, err := api.CreateConversationMessage(ch, (&conv.CreateConversationMessageParams{}).SetAuthor("agent").SetBody("Still there?"))
		if err != nil {
			t.Fatal(err)
		}
		env.WaitReceipt(t, ch, *m3.Sid, *later.Sid, "sent")
		env.WaitReceipt(t, ch, *m3.Sid, *p.Sid, "sent")
		mta.next(t, 4)
		mta.mu.Lock()
		if n := len(mta.got); n != 4 || !mta.deferred {
			t.Errorf("mails = %d (deferred %v), want 4: the busy address's once", n, mta.deferred)
		}
		mta.mu.Unlock()
	})
}
