// Package whatsapp is the channel adapter for Meta's WhatsApp Cloud API:
// it sends text messages from one business phone number and takes Meta's
// webhook (the verification handshake, then signed notifications of
// inbound messages and statuses).
package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
)

// Defaults: Meta's Graph API and the version Parley was written against.
const (
	DefaultAPIBase = "https://graph.facebook.com"
	DefaultVersion = "v21.0"
)

// WebhookPath is the callback URL to configure in the Meta app's WhatsApp
// webhook settings (subscribe it to the messages field).
const WebhookPath = "/parley/v1/Channels/WhatsApp/Webhook"

// Config is a WhatsApp Business phone number as Parley uses it.
type Config struct {
	// Token is the access token sends carry as a bearer token.
	Token string
	// PhoneNumberID is the business number messages are sent from.
	PhoneNumberID string
	// AppSecret signs Meta's webhook notifications (X-Hub-Signature-256).
	AppSecret string
	// VerifyToken is the token Meta's verification request must carry.
	VerifyToken string
	APIBase     string // default DefaultAPIBase
	Version     string // default DefaultVersion
	Client      *http.Client
}

// Adapter sends through the WhatsApp Cloud API (parley.ChannelAdapter).
type Adapter struct {
	cfg   Config
	store parley.Store
}

// New checks cfg and returns the adapter; store holds the receipts that
// keep a retried delivery from being sent twice.
func New(cfg Config, store parley.Store) (*Adapter, error) {
	if cfg.Token == "" || cfg.PhoneNumberID == "" || cfg.AppSecret == "" || cfg.VerifyToken == "" {
		return nil, errors.New("whatsapp-cloud channel: an access token, phone number ID, app secret and verify token are required")
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Adapter{cfg: cfg, store: store}, nil
}

// sendRequest is a text message; biz_opaque_callback_data comes back in
// each of its statuses, naming the delivery
// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
type sendRequest struct {
	MessagingProduct string   `json:"messaging_product"`
	RecipientType    string   `json:"recipient_type"`
	To               string   `json:"to"`
	Type             string   `json:"type"`
	Text             textBody `json:"text"`
	CallbackData     string   `json:"biz_opaque_callback_data"`
}

type textBody struct {
	Body string `json:"body"`
}

type sendAnswer struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Send posts a text message to the participant's number. Meta taking it
// reports sent (with ChannelMessageSID of its wamid); Meta refusing it (a 4xx with an error code)
// reports failed with that code (Meta's own codes, such as 131026, not
// Twilio's); anything else (network, 5xx, 429, a bad token) is an error,
// retried later. The configured phone number is the sender, whatever the
// participant's proxy address.
func (a *Adapter) Send(ctx context.Context, m *parley.OutboundMessage) (*parley.ChannelReport, error) {
	if r, found, err := channel.Earlier(ctx, a.store, m); err != nil || found {
		return r, err
	}
	payload, err := json.Marshal(sendRequest{MessagingProduct: "whatsapp", RecipientType: "individual",
		To: waID(m.To), Type: "text", Text: textBody{Body: m.Body}, CallbackData: channel.Ref(m)})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		a.cfg.APIBase+"/"+a.cfg.Version+"/"+a.cfg.PhoneNumberID+"/messages", bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.cfg.Token)
	resp, err := a.cfg.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("whatsapp send: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, channel.MaxBody))
	if err != nil {
		return nil, fmt.Errorf("whatsapp send: %w", err)
	}
	return sendReport(resp.StatusCode, body)
}

// sendReport reads the messages endpoint's answer.
func sendReport(status int, body []byte) (*parley.ChannelReport, error) {
	var ans sendAnswer
	decoded := json.Unmarshal(body, &ans) == nil
	switch {
	case status < 300 && decoded && len(ans.Messages) > 0 && ans.Messages[0].ID != "":
		return &parley.ChannelReport{ChannelMessageSID: ChannelMessageSID(ans.Messages[0].ID), Status: parley.DeliverySent}, nil
	case status >= 400 && status < 500 && status != http.StatusUnauthorized && status != http.StatusTooManyRequests &&
		decoded && ans.Error != nil && ans.Error.Code != 0:
		return &parley.ChannelReport{Status: parley.DeliveryFailed, ErrorCode: ans.Error.Code}, nil
	}
	return nil, fmt.Errorf("whatsapp send: %d %s", status, body)
}

// ChannelMessageSID is a receipt's channel_message_sid for a Cloud API
// message ID (wamid.…): WA and a hash of it.
func ChannelMessageSID(wamid string) string { return channel.MessageSID("WA", wamid) }

// waID is an address as the Cloud API writes numbers: digits only, no
// whatsapp: prefix and no +.
func waID(address string) string {
	return strings.TrimPrefix(strings.TrimPrefix(address, parley.WhatsAppPrefix), "+")
}

// address is a Cloud API number as a Parley WhatsApp address.
func address(number string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
	return parley.WhatsAppPrefix + "+" + digits
}
