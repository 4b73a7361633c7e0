package email

import (
	"bytes"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// MessageID is the Message-ID of the mail that carries a delivery: its key
// (message and participant SIDs) at the sender's domain, the same on each
// attempt.
func MessageID(m *parley.OutboundMessage) string {
	return "<" + strings.ReplaceAll(m.Key, "/", ".") + "@" + domainOf(m.From) + ">"
}

// ThreadID is the Message-ID of a conversation's thread: each mail of the
// conversation answers it (In-Reply-To, References), so mail clients show
// the conversation as one thread.
func ThreadID(m *parley.OutboundMessage) string {
	return "<" + m.ConversationSID + "@" + domainOf(m.From) + ">"
}

func domainOf(address string) string {
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		return address[i+1:]
	}
	return "parley.invalid"
}

// compose writes m as an RFC 5322 message: a UTF-8 text/plain body in
// quoted-printable, the conversation's friendly name as subject (its SID
// when it has none, so the thread still has one subject).
func compose(m *parley.OutboundMessage, now time.Time) []byte {
	subject := m.Subject
	if subject == "" {
		subject = "Conversation " + m.ConversationSID
	}
	from := mail.Address{Name: m.SenderName, Address: m.From}
	var b bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", from.String())
	header("To", (&mail.Address{Address: m.To}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.UTC().Format(time.RFC1123Z))
	header("Message-ID", MessageID(m))
	header("In-Reply-To", ThreadID(m))
	header("References", ThreadID(m))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(m.Body))
	w.Close()
	return b.Bytes()
}
