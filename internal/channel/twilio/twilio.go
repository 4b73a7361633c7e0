// Package twilio is the channel adapter that reaches phones through a real
// Twilio account: it sends with Programmable Messaging's Messages API and
// takes Twilio's inbound-message webhook and status callbacks, each checked
// by its X-Twilio-Signature.
package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
)

// DefaultAPIBase is Twilio's REST API.
const DefaultAPIBase = "https://api.twilio.com"

// Webhook routes, under Parley's public URL: configure InboundPath as the
// number's (or Messaging Service's) incoming-message webhook; StatusPath is
// the StatusCallback of every message Parley sends.
const (
	InboundPath = "/parley/v1/Channels/Twilio/Inbound"
	StatusPath  = "/parley/v1/Channels/Twilio/Status"
)

// Config is a Twilio account as Parley uses it.
type Config struct {
	AccountSID string
	// AuthToken signs Twilio's webhooks, and authenticates sends unless an
	// API key is set.
	AuthToken               string
	APIKeySID, APIKeySecret string
	// MessagingServiceSID, when set, goes with each send: the service's
	// settings (and its sender pool, when From is not in it) apply.
	MessagingServiceSID string
	APIBase             string // default DefaultAPIBase
	// PublicURL is Parley's base URL as Twilio reaches it: the status
	// callbacks' base, and the URL webhook signatures are checked against.
	PublicURL string
	Client    *http.Client
}

// Adapter sends through a Twilio account (parley.ChannelAdapter).
type Adapter struct {
	cfg   Config
	store parley.Store
}

// New checks cfg and returns the adapter; store holds the receipts that
// keep a retried delivery from being sent twice.
func New(cfg Config, store parley.Store) (*Adapter, error) {
	if !strings.HasPrefix(cfg.AccountSID, parley.PrefixAccount) || cfg.AuthToken == "" {
		return nil, errors.New("twilio channel: an account SID (AC…) and its auth token are required")
	}
	if (cfg.APIKeySID == "") != (cfg.APIKeySecret == "") {
		return nil, errors.New("twilio channel: an API key needs both its SID and its secret")
	}
	if cfg.PublicURL == "" {
		return nil, errors.New("twilio channel: Parley's public URL is required for status callbacks")
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Adapter{cfg: cfg, store: store}, nil
}

// message is the part of Twilio's Message resource Parley reads
// (https://www.twilio.com/docs/messaging/api/message-resource).
type message struct {
	SID       string `json:"sid"`
	Status    string `json:"status"`
	ErrorCode *int   `json:"error_code"`
}

// apiError is Twilio's error body.
type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Send creates a Message from the participant's proxy address to its
// address, with a StatusCallback that names the delivery. Twilio taking the
// message reports sent; Twilio refusing it (a 4xx with an error code, such
// as 21211 for an invalid To) reports failed with that code; anything else
// (network, 5xx, 429, bad credentials) is an error, retried later.
func (a *Adapter) Send(ctx context.Context, m *parley.OutboundMessage) (*parley.ChannelReport, error) {
	if r, found, err := channel.Earlier(ctx, a.store, m); err != nil || found {
		return r, err
	}
	form := sendForm(m)
	form.Set("StatusCallback", a.cfg.PublicURL+StatusPath+"?"+url.Values{"Delivery": {channel.Ref(m)}}.Encode())
	if a.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", a.cfg.MessagingServiceSID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		a.cfg.APIBase+"/2010-04-01/Accounts/"+a.cfg.AccountSID+"/Messages.json", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	user, pass := a.cfg.AccountSID, a.cfg.AuthToken
	if a.cfg.APIKeySID != "" {
		user, pass = a.cfg.APIKeySID, a.cfg.APIKeySecret
	}
	req.SetBasicAuth(user, pass)
	status, body, err := channel.Call(a.cfg.Client, req)
	if err != nil {
		return nil, fmt.Errorf("twilio send: %w", err)
	}
	return sendReport(status, body)
}

// sendForm is the Messages API create of m: its body and media (one
// message: an MMS on SMS, a captioned file on WhatsApp), or its content
// template, which Twilio sends in their stead, passed as is
// (https://www.twilio.com/docs/messaging/api/message-resource).
func sendForm(m *parley.OutboundMessage) url.Values {
	form := url.Values{"To": {m.To}, "From": {m.From}}
	if m.ContentSID != "" {
		form.Set("ContentSid", m.ContentSID)
		if m.ContentVariables != "" {
			form.Set("ContentVariables", m.ContentVariables)
		}
		return form
	}
	if m.Body != "" || len(m.MediaURLs) == 0 {
		form.Set("Body", m.Body)
	}
	for _, u := range m.MediaURLs {
		form.Add("MediaUrl", u)
	}
	return form
}

// sendReport reads the Messages API's answer to a create.
func sendReport(status int, body []byte) (*parley.ChannelReport, error) {
	if status >= 400 {
		var e apiError
		refused := status < 500 && status != http.StatusTooManyRequests && status != http.StatusUnauthorized
		if json.Unmarshal(body, &e) != nil || e.Code == 0 || !refused {
			return nil, fmt.Errorf("twilio send: %d %s", status, body)
		}
		return &parley.ChannelReport{Status: parley.DeliveryFailed, ErrorCode: e.Code}, nil
	}
	var m message
	if err := json.Unmarshal(body, &m); err != nil || m.SID == "" {
		return nil, fmt.Errorf("twilio send: unreadable answer %d %s", status, body)
	}
	r := &parley.ChannelReport{ChannelMessageSID: m.SID, Status: parley.DeliverySent}
	if s, ok := channel.DeliveryStatus(m.Status); ok {
		r.Status = s
	}
	if m.ErrorCode != nil {
		r.ErrorCode = *m.ErrorCode
	}
	return r, nil
}
