package email

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"time"

	"github.com/emersion/go-smtp"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
)

// Limits of the SMTP listener: a mail carries at most 10 media files of a
// few megabytes, and goes to a few of the account's addresses.
const (
	maxMessageBytes = 32 << 20
	maxRecipients   = 20
	receiveTimeout  = time.Minute
)

// Listener is Parley's SMTP server for mail to email participants'
// conversations: each mail is routed like any inbound message, author the
// sender's address, To each recipient (the conversation's
// Bindings.Email.Address). It takes mail for any recipient and drops,
// with a logged reason, what no conversation or Address Configuration
// wants, as the other channels do; it runs no spam or sender checks, so
// it belongs behind a mail server that does.
type Listener struct {
	srv *smtp.Server
	ln  net.Listener
}

// Listen serves SMTP on addr; mail goes to recv in accountSID's account.
func Listen(addr string, recv parley.ChannelReceiver, accountSID string, log *slog.Logger) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	be := &backend{recv: recv, accountSID: accountSID, log: log}
	srv := smtp.NewServer(be)
	srv.Domain = "parley"
	srv.MaxMessageBytes = maxMessageBytes
	srv.MaxRecipients = maxRecipients
	srv.ReadTimeout, srv.WriteTimeout = 5*time.Minute, time.Minute
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	l := &Listener{srv: srv, ln: ln}
	go srv.Serve(ln)
	return l, nil
}

// Addr is the address the listener took.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Shutdown stops taking mail and waits for the sessions open (until ctx
// ends).
func (l *Listener) Shutdown(ctx context.Context) error { return l.srv.Shutdown(ctx) }

type backend struct {
	recv       parley.ChannelReceiver
	accountSID string
	log        *slog.Logger
}

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{backend: b}, nil }

// session is one SMTP connection's transaction: an envelope, then DATA.
type session struct {
	*backend
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data routes the mail to each recipient. A failure to store it answers
// 451, so the sending server tries again; the Message-ID keeps a mail
// delivered twice (a retry, or a resend after a lost 250) one message.
func (s *session) Data(r io.Reader) error {
	defer io.Copy(io.Discard, r)
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Unreadable message"}
	}
	in, err := s.inbound(msg)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Unreadable message body"}
	}
	messageID := msg.Header.Get("Message-Id")
	ctx, cancel := context.WithTimeout(context.Background(), receiveTimeout)
	defer cancel()
	for _, to := range s.to {
		m := *in
		m.To = to
		if messageID != "" {
			m.ChannelMessageSID = channel.MessageSID(SIDPrefix, messageID+" "+to)
		}
		res, err := s.recv.Receive(ctx, &m)
		var refused *parley.Error
		if errors.As(err, &refused) && refused.Code != parley.CodeInternal {
			// Bad input (too many attachments, say): sending it again cannot help.
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: refused.Message}
		}
		if err != nil {
			s.log.Error("email inbound failed", "from", m.From, "to", to, "message_id", messageID, "err", err)
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		if res.ConversationSID == nil {
			s.log.Info("email inbound dropped", "from", m.From, "to", to, "message_id", messageID, "reason", res.Reason)
		}
	}
	return nil
}

// inbound reads a mail into the message it becomes: author the From
// header's address (else the envelope sender), body the first text/plain
// part without the quoted earlier mail, attachments as media.
func (s *session) inbound(msg *mail.Message) (*parley.InboundMessage, error) {
	c, err := readContent(msg)
	if err != nil {
		return nil, err
	}
	in := &parley.InboundMessage{AccountSID: s.accountSID, From: s.from, Body: stripQuoted(c.text)}
	if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
		in.From = a.Address
	}
	for _, f := range c.files {
		in.Files = append(in.Files, parley.InboundFile{ContentType: f.contentType, Filename: f.filename, Data: f.data})
	}
	return in, nil
}
