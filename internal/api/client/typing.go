package client

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Pulses sends notifications that are never logged (typing) to the
// connections watching a Sync object; syncview.Hub is the one.
type Pulses interface {
	Pulse(object, messageType string, payload []byte, skip string) int
}

// typingMessageType is the notification the SDK turns into typingStarted
// (reference §4.9); it registers it at init.
const typingMessageType = "twilio.ipmsg.typing_indicator"

// defaultTypingTimeout stands in for a service whose Chat settings hold
// none: Twilio's default (https://www.twilio.com/docs/chat/rest/service-resource).
const defaultTypingTimeout = 5 * time.Second

type typingReply struct {
	TypingTimeout int64 `json:"typing_timeout"`
}

type typingNotification struct {
	ChannelSID    string `json:"channel_sid"`
	Identity      string `json:"identity"`
	TypingTimeout int64  `json:"typing_timeout"`
}

// typing answers conversation.typing(): a form body ChannelSid=CH….
// The reply's typing_timeout is the service's, which the SDK waits before
// it signals again; the notification's is one second more, the margin the
// SDK expects for latency before it fires typingEnded (the SDK's
// typing-indicator.js says so). The notification goes to the connections
// that watch the conversation's participants map, which every SDK client
// of a participant opens, except the typist's own.
func (a *API) typing(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return err
	}
	form, err := url.ParseQuery(string(raw))
	if err != nil || form.Get("ChannelSid") == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "Required parameter ChannelSid missing")
	}
	t, err := a.app.StartTyping(r.Context(), c.ServiceSID, form.Get("ChannelSid"))
	if err != nil {
		return err
	}
	timeout := int64(t.Timeout / time.Second)
	if timeout <= 0 {
		timeout = int64(defaultTypingTimeout / time.Second)
	}
	if a.pulses != nil {
		payload, err := json.Marshal(typingNotification{ChannelSID: t.ConversationSID, Identity: c.Identity, TypingTimeout: timeout + 1})
		if err != nil {
			return err
		}
		a.pulses.Pulse(syncview.RosterMap(t.ConversationSID), typingMessageType, payload, c.Identity)
	}
	twilioapi.WriteJSON(w, http.StatusOK, typingReply{TypingTimeout: timeout})
	return nil
}
