// Package email is the channel adapter of email participants: it sends
// conversation messages as mail through an SMTP server (a relay or a
// provider's submission port), and its Listener takes mail for the
// account's addresses over SMTP and routes it into the conversations.
package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
)

// SIDPrefix starts the channel_message_sid of a mail's receipt.
const SIDPrefix = "EM"

// DefaultFailedCode is a refused mail's receipt error: 30008 "Unknown
// error" (https://www.twilio.com/docs/api/errors/30008). Twilio documents
// no code per SMTP reply; the reply itself is logged.
const DefaultFailedCode = 30008

// sendTimeout bounds one mail's whole SMTP exchange.
const sendTimeout = time.Minute

// Config is the SMTP server mail goes out through.
type Config struct {
	// URL names it: smtp://host:port (plain), smtp+starttls://host:port
	// (STARTTLS required) or smtps://host:port (TLS from the start), with
	// user:password@ for AUTH PLAIN; a bare host:port is smtp://.
	URL string
	// TLS, when set, checks the server's certificate (tests trust their own).
	TLS *tls.Config
	// Logger hears why a mail was refused.
	Logger *slog.Logger
}

// Adapter sends mail (parley.ChannelAdapter).
type Adapter struct {
	store    parley.Store
	addr     string
	security string // "", "starttls" or "tls"
	auth     sasl.Client
	tls      *tls.Config
	log      *slog.Logger
}

// New checks cfg and returns the adapter; store holds the receipts that
// keep a retried delivery from being sent twice.
func New(cfg Config, store parley.Store) (*Adapter, error) {
	raw := cfg.URL
	if raw == "" {
		return nil, errors.New("email channel: an SMTP server URL is required (--smtp-url)")
	}
	if !strings.Contains(raw, "://") {
		raw = "smtp://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Port() == "" {
		return nil, fmt.Errorf("email channel: --smtp-url %q: want smtp://host:port, smtp+starttls://… or smtps://…", cfg.URL)
	}
	a := &Adapter{store: store, addr: u.Host, tls: cfg.TLS, log: cfg.Logger}
	switch u.Scheme {
	case "smtp":
	case "smtp+starttls":
		a.security = "starttls"
	case "smtps":
		a.security = "tls"
	default:
		return nil, fmt.Errorf("email channel: --smtp-url scheme %q: want smtp, smtp+starttls or smtps", u.Scheme)
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		a.auth = sasl.NewPlainClient("", u.User.Username(), pass)
	}
	if a.tls == nil {
		a.tls = &tls.Config{ServerName: u.Hostname()}
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	return a, nil
}

// Send mails m from its conversation's email sender to the participant.
// The server accepting it (250) reports sent, with the mail's Message-ID
// hashed as channel_message_sid; refusing it for good (5xx) reports failed
// with DefaultFailedCode; a 4xx or a lost connection is an error, retried
// later. The Message-ID comes from the delivery key, so a retry after a
// crash between the server's 250 and the receipt's write sends the same
// mail again, which receiving systems recognise as a duplicate.
func (a *Adapter) Send(ctx context.Context, m *parley.OutboundMessage) (*parley.ChannelReport, error) {
	if r, found, err := channel.Earlier(ctx, a.store, m); err != nil || found {
		return r, err
	}
	id := MessageID(m)
	err := a.deliver(ctx, m.From, m.To, compose(m, time.Now()))
	var refused *smtp.SMTPError
	if errors.As(err, &refused) && refused.Code >= 500 {
		a.log.Warn("email refused", "to", m.To, "message_id", id, "smtp_code", refused.Code, "reply", refused.Message)
		return &parley.ChannelReport{Status: parley.DeliveryFailed, ErrorCode: DefaultFailedCode}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("email send: %w", err)
	}
	return &parley.ChannelReport{ChannelMessageSID: channel.MessageSID(SIDPrefix, id), Status: parley.DeliverySent}, nil
}

// deliver runs one SMTP transaction: MAIL FROM, RCPT TO, DATA.
func (a *Adapter) deliver(ctx context.Context, from, to string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	c, err := a.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if a.auth != nil {
		if err := c.Auth(a.auth); err != nil {
			return err
		}
	}
	if err := c.SendMail(from, []string{to}, strings.NewReader(string(msg))); err != nil {
		return err
	}
	return c.Quit()
}

// dial connects to the server, with TLS as configured; the connection
// ends with ctx.
func (a *Adapter) dial(ctx context.Context) (*smtp.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", a.addr)
	if err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	var c *smtp.Client
	switch a.security {
	case "tls":
		c = smtp.NewClient(tls.Client(conn, a.tls))
	case "starttls":
		c, err = smtp.NewClientStartTLS(conn, a.tls)
	default:
		c = smtp.NewClient(conn)
	}
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}
