// Package whatsapp is the channel adapter for Meta's WhatsApp Cloud API:
// it sends text, media and template messages from one business phone number and takes Meta's
// webhook (the verification handshake, then signed notifications of
// inbound messages and statuses).
package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	// Templates maps Content SIDs to approved templates (see
	// ParseTemplates): a message with a ContentSid goes out as that
	// template.
	Templates string
	Client    *http.Client
}

// Adapter sends through the WhatsApp Cloud API (parley.ChannelAdapter).
type Adapter struct {
	cfg       Config
	store     parley.Store
	templates map[string]Template
}

// New checks cfg and returns the adapter; store holds the receipts that
// keep a retried delivery from being sent twice.
func New(cfg Config, store parley.Store) (*Adapter, error) {
	if cfg.Token == "" || cfg.PhoneNumberID == "" || cfg.AppSecret == "" || cfg.VerifyToken == "" {
		return nil, errors.New("whatsapp-cloud channel: an access token, phone number ID, app secret and verify token are required")
	}
	templates, err := ParseTemplates(cfg.Templates)
	if err != nil {
		return nil, err
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
	return &Adapter{cfg: cfg, store: store, templates: templates}, nil
}

// sendRequest is one Cloud API message: text, a media file by link, or a
// template; biz_opaque_callback_data comes back in each of its statuses,
// naming the delivery
// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
type sendRequest struct {
	MessagingProduct string        `json:"messaging_product"`
	RecipientType    string        `json:"recipient_type"`
	To               string        `json:"to"`
	Type             string        `json:"type"`
	Text             *textBody     `json:"text,omitempty"`
	Image            *mediaBody    `json:"image,omitempty"`
	Audio            *mediaBody    `json:"audio,omitempty"`
	Video            *mediaBody    `json:"video,omitempty"`
	Document         *mediaBody    `json:"document,omitempty"`
	Template         *templateBody `json:"template,omitempty"`
	CallbackData     string        `json:"biz_opaque_callback_data"`
}

type textBody struct {
	Body string `json:"body"`
}

// mediaBody is a file Meta fetches from link; audio takes no caption.
type mediaBody struct {
	Link    string `json:"link"`
	Caption string `json:"caption,omitempty"`
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

// Send posts the delivery to the participant's number: a text message; a
// message with media as one Cloud API message per file, the body as the
// first file's caption (a separate text first when that file is audio,
// which takes none); a template message for a ContentSid. Meta taking it
// reports sent (with ChannelMessageSID of the first part's wamid); Meta
// refusing a part (a 4xx with an error code) reports failed with that code
// (Meta's own codes, such as 131026, except those Twilio names otherwise:
// see twilioCode); a ContentSid with no configured template fails with
// 21655. Anything else (network, 5xx, 429, a bad token) is an error,
// retried later. The configured phone number is the sender, whatever the
// participant's proxy address.
func (a *Adapter) Send(ctx context.Context, m *parley.OutboundMessage) (*parley.ChannelReport, error) {
	if r, found, err := channel.Earlier(ctx, a.store, m); err != nil || found {
		return r, err
	}
	parts, err := a.parts(m)
	if err != nil {
		return &parley.ChannelReport{Status: parley.DeliveryFailed, ErrorCode: parley.CodeContentSIDInvalid}, nil
	}
	var first *parley.ChannelReport
	for _, p := range parts {
		p.MessagingProduct, p.RecipientType, p.To, p.CallbackData = "whatsapp", "individual", waID(m.To), channel.Ref(m)
		r, err := a.post(ctx, p)
		if err != nil || r.Status == parley.DeliveryFailed {
			return r, err
		}
		if first == nil {
			first = r
		}
	}
	return first, nil
}

// parts are the Cloud API messages of a delivery.
func (a *Adapter) parts(m *parley.OutboundMessage) ([]*sendRequest, error) {
	if m.ContentSID != "" {
		t, err := a.template(m.ContentSID, m.ContentVariables)
		if err != nil {
			return nil, err
		}
		return []*sendRequest{{Type: "template", Template: t}}, nil
	}
	var parts []*sendRequest
	caption := m.Body
	for i, link := range m.MediaURLs {
		typ := mediaType(m.MediaTypes[i])
		p := &sendRequest{Type: typ}
		body := &mediaBody{Link: link}
		switch typ {
		case "image":
			p.Image = body
		case "video":
			p.Video = body
		case "document":
			p.Document = body
		default:
			p.Audio = body
		}
		if typ != "audio" {
			body.Caption, caption = caption, ""
		}
		parts = append(parts, p)
	}
	if caption != "" || len(parts) == 0 {
		parts = append([]*sendRequest{{Type: "text", Text: &textBody{Body: caption}}}, parts...)
	}
	return parts, nil
}

// mediaType is the Cloud API message type of a file: image, video, audio,
// or a document for anything else.
func mediaType(contentType string) string {
	top, _, _ := strings.Cut(contentType, "/")
	switch top {
	case "image", "video", "audio":
		return top
	}
	return "document"
}

// post sends one Cloud API message.
func (a *Adapter) post(ctx context.Context, p *sendRequest) (*parley.ChannelReport, error) {
	payload, err := json.Marshal(p)
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
	status, body, err := channel.Call(a.cfg.Client, req)
	if err != nil {
		return nil, fmt.Errorf("whatsapp send: %w", err)
	}
	return sendReport(status, body)
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
		return &parley.ChannelReport{Status: parley.DeliveryFailed, ErrorCode: twilioCode(ans.Error.Code)}, nil
	}
	return nil, fmt.Errorf("whatsapp send: %d %s", status, body)
}

// metaReengagement is Meta's refusal of a free-form message more than 24
// hours after the user last wrote
// (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
const metaReengagement = 131047

// twilioCode is the receipt's error code for a Meta error code: Twilio's
// 63016 for the 24-hour window, which Twilio documents for exactly this
// refusal; Meta's own code otherwise, as Twilio has no counterpart.
func twilioCode(meta int) int {
	if meta == metaReengagement {
		return parley.CodeOutsideSessionWindow
	}
	return meta
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
