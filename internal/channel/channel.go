// Package channel holds what Parley's real channel adapters (Twilio,
// WhatsApp Cloud, email) share: the reference that names a delivery in a
// provider's status callback, the check that keeps a retried delivery job
// from sending twice, and the URL a provider signed.
package channel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// MaxBody bounds what a provider's webhook request, or its API's answer,
// may carry.
const MaxBody = 1 << 20

// Call sends a provider API request and reads its answer, at most MaxBody
// of it.
func Call(client *http.Client, req *http.Request) (status int, body []byte, err error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	return resp.StatusCode, body, err
}

// AccountParam is the query parameter of a webhook URL that names the
// Parley account inbound messages belong to (default: the main account).
const AccountParam = "Account"

// Ref names a delivery in a provider's callback, which gives it back with
// each status: account, conversation, message and participant SIDs.
func Ref(m *parley.OutboundMessage) string {
	return strings.Join([]string{m.AccountSID, m.ConversationSID, m.MessageSID, m.ParticipantSID}, "/")
}

// ParseRef reads a Ref back into a report naming its delivery.
func ParseRef(ref string) (*parley.ChannelReport, error) {
	parts := strings.Split(ref, "/")
	if len(parts) != 4 || !strings.HasPrefix(parts[0], parley.PrefixAccount) || !strings.HasPrefix(parts[2], parley.PrefixMessage) {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Invalid delivery reference %q", ref)
	}
	return &parley.ChannelReport{AccountSID: parts[0], ConversationSID: parts[1], MessageSID: parts[2], ParticipantSID: parts[3]}, nil
}

// Earlier is the report of a delivery that already has a receipt: the job
// sending it ran before and the provider took it (its answer or its first
// status callback was recorded), so it must not be sent again. A provider
// without idempotency keys can still be sent a message twice when a job
// dies between the provider's answer and the receipt's write.
func Earlier(ctx context.Context, store parley.Store, m *parley.OutboundMessage) (report *parley.ChannelReport, found bool, err error) {
	err = store.Read(ctx, func(tx parley.Tx) error {
		r, err := tx.DeliveryReceiptOf(m.MessageSID, m.ParticipantSID)
		if parley.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		report, found = &parley.ChannelReport{Status: r.Status, ErrorCode: r.ErrorCode}, true
		if r.ChannelMessageSID != nil {
			report.ChannelMessageSID = *r.ChannelMessageSID
		}
		return nil
	})
	return report, found, err
}

// SignedURL is the URL a provider requested, as it saw it: Parley's public
// URL (else the request's scheme and host) and the request's path and
// query. Signatures that cover the URL are checked against it.
func SignedURL(r *http.Request, publicURL string) string {
	return twilioapi.BaseURL(r, publicURL) + r.URL.RequestURI()
}

// InboundAccount is the Parley account a webhook's inbound messages go to:
// the one its URL names, else mainAccount.
func InboundAccount(r *http.Request, mainAccount string) string {
	if sid := r.URL.Query().Get(AccountParam); sid != "" {
		return sid
	}
	return mainAccount
}

// Forbidden is the answer to a webhook whose signature does not match.
func Forbidden(what string) error {
	return parley.Errorf(parley.CodeForbidden, "Invalid %s signature", what)
}

// DeliveryStatus maps a provider's message status to a receipt status:
// Twilio's Messages API and Meta's Cloud API name them alike (sent,
// delivered, read, failed; Twilio also undelivered, and canceled for a
// scheduled message withdrawn, which was never sent: failed). The steps
// before sent (queued, accepted, scheduled, sending) map to nothing.
func DeliveryStatus(s string) (string, bool) {
	switch s {
	case "sent":
		return parley.DeliverySent, true
	case "delivered":
		return parley.DeliveryDelivered, true
	case "read":
		return parley.DeliveryRead, true
	case "undelivered":
		return parley.DeliveryUndelivered, true
	case "failed", "canceled":
		return parley.DeliveryFailed, true
	}
	return "", false
}

// MessageSID is a receipt's channel_message_sid for a provider's message
// ID: Twilio's shape, a two-letter prefix and 32 hex digits, which clients
// check, taken from the ID's SHA-256 so that each report about the message
// names the same receipt.
func MessageSID(prefix, providerID string) string {
	sum := sha256.Sum256([]byte(providerID))
	return prefix + hex.EncodeToString(sum[:16])
}
