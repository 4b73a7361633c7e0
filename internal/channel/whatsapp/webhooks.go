package whatsapp

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// notification is the part of a webhook notification Parley reads
// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).
type notification struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string `json:"field"`
			Value value  `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type value struct {
	Metadata struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Messages []struct {
		From string `json:"from"`
		ID   string `json:"id"`
		Type string `json:"type"`
		Text struct {
			Body string `json:"body"`
		} `json:"text"`
		// Media messages carry a caption instead of a body; their files
		// take Graph API calls with the token and are not fetched.
		Image    caption `json:"image"`
		Video    caption `json:"video"`
		Document caption `json:"document"`
	} `json:"messages"`
	Statuses []struct {
		ID           string `json:"id"`
		Status       string `json:"status"`
		CallbackData string `json:"biz_opaque_callback_data"`
		Errors       []struct {
			Code int `json:"code"`
		} `json:"errors"`
	} `json:"statuses"`
}

type caption struct {
	Caption string `json:"caption"`
}

// Handler serves Meta's webhook: the verification handshake (GET), then
// notifications (POST) whose X-Hub-Signature-256 must match the body's
// HMAC-SHA256 under the app secret, else 403 and nothing changes
// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started).
// Inbound messages go to recv in the Parley account the URL names
// (channel.AccountParam), else mainAccount.
func (a *Adapter) Handler(recv parley.ChannelReceiver, mainAccount string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+WebhookPath, twilioapi.HandlerFunc(a.verifyHandshake))
	mux.Handle("POST "+WebhookPath, twilioapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, channel.MaxBody))
		if err != nil {
			return parley.Errorf(parley.CodeInvalidParameter, "Unreadable body: %v", err)
		}
		if !a.signed(body, r.Header.Get("X-Hub-Signature-256")) {
			return channel.Forbidden("X-Hub-Signature-256")
		}
		var n notification
		if err := json.Unmarshal(body, &n); err != nil {
			return parley.Errorf(parley.CodeInvalidParameter, "Unreadable notification: %v", err)
		}
		if err := a.apply(r.Context(), recv, channel.InboundAccount(r, mainAccount), &n); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
	return mux
}

// verifyHandshake answers Meta's subscription check: the challenge, when
// the mode is subscribe and the verify token is Parley's.
func (a *Adapter) verifyHandshake(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	token := q.Get("hub.verify_token")
	if q.Get("hub.mode") != "subscribe" || subtle.ConstantTimeCompare([]byte(token), []byte(a.cfg.VerifyToken)) != 1 {
		return parley.Errorf(parley.CodeForbidden, "Invalid hub.mode or hub.verify_token")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(q.Get("hub.challenge")))
	return nil
}

// signed reports whether header is "sha256=" and the hex HMAC-SHA256 of
// body under the app secret.
func (a *Adapter) signed(body []byte, header string) bool {
	mac := hmac.New(sha256.New, []byte(a.cfg.AppSecret))
	mac.Write(body)
	return hmac.Equal([]byte("sha256="+hex.EncodeToString(mac.Sum(nil))), []byte(header))
}

// apply hands a notification's statuses and inbound messages to recv.
// Statuses without Parley's callback data (messages Parley did not send)
// and messages of other phone numbers are skipped.
func (a *Adapter) apply(ctx context.Context, recv parley.ChannelReceiver, accountSID string, n *notification) error {
	log := twilioapi.Logger(ctx)
	for _, e := range n.Entry {
		for _, c := range e.Changes {
			v := c.Value
			if c.Field != "messages" || v.Metadata.PhoneNumberID != a.cfg.PhoneNumberID {
				continue
			}
			for _, s := range v.Statuses {
				report, err := channel.ParseRef(s.CallbackData)
				status, ok := channel.DeliveryStatus(s.Status)
				if err != nil || !ok {
					continue
				}
				report.Status, report.ChannelMessageSID, report.Channel = status, ChannelMessageSID(s.ID), parley.BindingWhatsApp
				if len(s.Errors) > 0 {
					report.ErrorCode = twilioCode(s.Errors[0].Code)
				}
				if err := recv.DeliveryStatus(ctx, report); err != nil && !parley.IsNotFound(err) {
					return err
				}
			}
			for _, m := range v.Messages {
				body := cmp.Or(m.Text.Body, m.Image.Caption, m.Video.Caption, m.Document.Caption)
				in := &parley.InboundMessage{AccountSID: accountSID, From: address(m.From),
					To: address(v.Metadata.DisplayPhoneNumber), Body: body, ChannelMessageSID: m.ID}
				res, err := recv.Receive(ctx, in)
				if err != nil {
					return err
				}
				if res.ConversationSID == nil {
					log.Info("whatsapp inbound message dropped", "from", in.From, "to", in.To, "wamid", m.ID, "reason", res.Reason)
				}
			}
		}
	}
	return nil
}
