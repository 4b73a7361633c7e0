package twilio

import (
	"crypto/hmac"
	"net/http"
	"strconv"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/channel"
	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/webhook"
)

// emptyTwiML answers an inbound message without a reply: Parley's reply,
// if any, comes from the conversation.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// Handler serves Twilio's webhooks: inbound messages go to recv in the
// Parley account the URL names (channel.AccountParam), else mainAccount;
// status callbacks update the receipt their URL names. A request whose
// X-Twilio-Signature does not match is refused with 403 and changes
// nothing (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
func (a *Adapter) Handler(recv parley.ChannelReceiver, mainAccount string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+InboundPath, twilioapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := a.verify(w, r); err != nil {
			return err
		}
		in := inbound(r, channel.InboundAccount(r, mainAccount))
		if in.From == "" || in.To == "" {
			return parley.Errorf(parley.CodeInvalidParameter, "From and To are required")
		}
		res, err := recv.Receive(r.Context(), in)
		if err != nil {
			return err
		}
		if res.ConversationSID == nil {
			twilioapi.Logger(r.Context()).Info("twilio inbound message dropped", "from", in.From, "to", in.To,
				"message_sid", in.ChannelMessageSID, "reason", res.Reason)
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write([]byte(emptyTwiML))
		return nil
	}))
	mux.Handle("POST "+StatusPath, twilioapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := a.verify(w, r); err != nil {
			return err
		}
		report, err := channel.ParseRef(r.URL.Query().Get("Delivery"))
		if err != nil {
			return err
		}
		status, ok := channel.DeliveryStatus(r.PostForm.Get("MessageStatus"))
		if !ok {
			w.WriteHeader(http.StatusNoContent) // a step before sent: nothing to record
			return nil
		}
		report.Status, report.ChannelMessageSID = status, r.PostForm.Get("MessageSid")
		report.ErrorCode, _ = strconv.Atoi(r.PostForm.Get("ErrorCode"))
		report.Channel = parley.BindingSMS
		if strings.HasPrefix(r.PostForm.Get("To"), parley.WhatsAppPrefix) {
			report.Channel = parley.BindingWhatsApp
		}
		// A message or participant removed since has no receipt to update.
		if err := recv.DeliveryStatus(r.Context(), report); err != nil && !parley.IsNotFound(err) {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
	return mux
}

// verify reads the form and checks its X-Twilio-Signature against the URL
// Twilio requested and the account's auth token.
func (a *Adapter) verify(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, channel.MaxBody)
	if err := r.ParseForm(); err != nil {
		return parley.Errorf(parley.CodeInvalidParameter, "Unreadable form: %v", err)
	}
	want := webhook.Signature(a.cfg.AuthToken, channel.SignedURL(r, a.cfg.PublicURL), r.PostForm)
	if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Twilio-Signature"))) {
		return channel.Forbidden("X-Twilio-Signature")
	}
	return nil
}

// inbound reads Twilio's incoming-message parameters: MediaUrl0… up to
// NumMedia (https://www.twilio.com/docs/messaging/guides/webhook-request).
func inbound(r *http.Request, accountSID string) *parley.InboundMessage {
	f := r.PostForm
	in := &parley.InboundMessage{AccountSID: accountSID, From: f.Get("From"), To: f.Get("To"), Body: f.Get("Body"),
		ChannelMessageSID: f.Get("MessageSid")}
	n, _ := strconv.Atoi(f.Get("NumMedia"))
	for i := 0; i < n && i < 10; i++ {
		if u := f.Get("MediaUrl" + strconv.Itoa(i)); u != "" {
			in.MediaURLs = append(in.MediaURLs, u)
		}
	}
	return in
}
