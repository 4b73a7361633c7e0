// Package webhook calls Conversations webhooks as Twilio does: it builds
// each event's parameters, chooses the targets (conversation-scoped
// webhooks, else the service's configuration, else the account's), signs
// every request with X-Twilio-Signature, calls pre-event hooks
// synchronously and delivers post-event hooks as durable jobs with retries.
package webhook

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	parley "github.com/parley-dev/parley"
)

// timeFormat is the ISO-8601 form of webhook timestamps.
const timeFormat = "2006-01-02T15:04:05.000Z"

// params accumulates form parameters, skipping unset ones.
type params url.Values

func (p params) set(name, value string) { url.Values(p).Set(name, value) }

func (p params) opt(name string, value *string) {
	if value != nil {
		p.set(name, *value)
	}
}

func (p params) time(name string, t time.Time) {
	if !t.IsZero() {
		p.set(name, t.UTC().Format(timeFormat))
	}
}

func (p params) index(name string, n *int64) {
	if n != nil {
		p.set(name, strconv.FormatInt(*n, 10))
	}
}

// existing sets the SID and dates of the resource an event is about, once
// it exists: an add pre-event has none, and the added event (onXAdded) no
// DateUpdated. It reports whether the resource exists.
func (p params) existing(event, added, sidName, sid string, created, updated time.Time) bool {
	if isAdd(event) {
		return false
	}
	p.set(sidName, sid)
	p.time("DateCreated", created)
	if event != added {
		p.time("DateUpdated", updated)
	}
	return true
}

// messageCommon sets what both dialects send of a message: Body and
// Attributes, and once it exists its SID, Index and dates. It reports
// whether the event is about an edited message (an update or a removal),
// where Chat adds who edited it.
func messageCommon(p params, event string, m *parley.Message) (edited bool) {
	p.opt("Body", m.Body)
	p.set("Attributes", m.Attributes)
	if !p.existing(event, parley.EventMessageAdded, "MessageSid", m.SID, m.DateCreated, m.DateUpdated) {
		return false
	}
	p.index("Index", &m.Index)
	return event != parley.EventMessageAdded
}

// Params are the form parameters of ev, as Twilio's Conversations webhooks
// send them (reference: twilio-behaviour.md 1.2), or Programmable Chat's for
// an action through the Chat API (chatparams.go); now stamps DateRemoved.
func Params(ev *parley.Event, now time.Time) url.Values {
	if ev.Chat {
		return chatParams(ev)
	}
	p := params{}
	p.set("AccountSid", ev.AccountSID)
	p.set("EventType", ev.Type)
	p.set("Source", ev.Source)
	if ev.ClientIdentity != "" {
		p.set("ClientIdentity", ev.ClientIdentity)
	}
	if ev.ServiceSID != "" {
		p.set("ChatServiceSid", ev.ServiceSID)
	}
	switch {
	case ev.Type == parley.EventConversationStateUpdated:
		stateParams(p, ev)
	case ev.Receipt != nil:
		receiptParams(p, ev.Receipt)
	case ev.Type == parley.EventConversationAdd && ev.Message != nil:
		conversationParams(p, ev.Type, ev.Conversation)
		autoCreationParams(p, ev)
	case ev.Message != nil:
		messageParams(p, ev.Type, ev.Message, ev.Conversation)
	case ev.Participant != nil:
		participantParams(p, ev.Type, ev.Participant)
	case ev.User != nil:
		userParams(p, ev)
	case ev.Conversation != nil:
		conversationParams(p, ev.Type, ev.Conversation)
	}
	if isRemoved(ev.Type) {
		p.time("DateRemoved", now)
	}
	return url.Values(p)
}

func isRemoved(event string) bool {
	return event == parley.EventConversationRemoved || event == parley.EventParticipantRemoved ||
		event == parley.EventMessageRemoved
}

// isAdd reports whether event is a pre-event of a resource not yet created
// (it has no SID, index or dates).
func isAdd(event string) bool {
	return event == parley.EventConversationAdd || event == parley.EventParticipantAdd || event == parley.EventMessageAdd
}

func conversationParams(p params, event string, c *parley.Conversation) {
	// onConversationAdded carries DateUpdated too: no event is "added".
	p.existing(event, "", "ConversationSid", c.SID, c.DateCreated, c.DateUpdated)
	p.opt("FriendlyName", c.FriendlyName)
	p.opt("UniqueName", c.UniqueName)
	p.set("Attributes", c.Attributes)
	p.opt("MessagingServiceSid", c.MessagingServiceSID)
	p.set("State", c.State)
}

// autoCreationParams are what onConversationAdd says of the inbound
// message that auto-creates the conversation: its body and media, and the
// number pair of the participant it will have (reference:
// twilio-behaviour.md 1.2, 1.4).
func autoCreationParams(p params, ev *parley.Event) {
	p.opt("MessageBody", ev.Message.Body)
	if len(ev.Message.Media) > 0 {
		p.set("Media", mediaParam(ev.Message.Media))
	}
	if pt := ev.Participant; pt != nil && pt.MessagingBinding != nil {
		p.opt("MessagingBinding.Address", pt.MessagingBinding.Address)
		p.opt("MessagingBinding.ProxyAddress", pt.MessagingBinding.ProxyAddress)
	}
}

func stateParams(p params, ev *parley.Event) {
	c := ev.Conversation
	p.set("ConversationSid", c.SID)
	p.opt("MessagingServiceSid", c.MessagingServiceSID)
	// The change happened when the conversation was last updated: for a
	// timer that is its deadline, even when the timer ran later.
	p.time("StateUpdated", c.DateUpdated)
	p.set("StateFrom", ev.StateFrom)
	p.set("StateTo", c.State)
	p.set("Reason", ev.Reason)
}

func messageParams(p params, event string, m *parley.Message, c *parley.Conversation) {
	p.set("ConversationSid", m.ConversationSID)
	messageCommon(p, event, m)
	if event == parley.EventMessageAdded && c != nil {
		p.opt("MessagingServiceSid", c.MessagingServiceSID)
	}
	p.set("Author", m.Author)
	p.opt("ParticipantSid", m.ParticipantSID)
	if len(m.Media) > 0 {
		p.set("Media", mediaParam(m.Media))
	}
}

func participantParams(p params, event string, pt *parley.Participant) {
	p.set("ConversationSid", pt.ConversationSID)
	p.existing(event, parley.EventParticipantAdded, "ParticipantSid", pt.SID, pt.DateCreated, pt.DateUpdated)
	p.opt("Identity", pt.Identity)
	p.opt("RoleSid", pt.RoleSID)
	p.set("Attributes", pt.Attributes)
	if b := pt.MessagingBinding; b != nil {
		p.opt("MessagingBinding.Address", b.Address)
		p.opt("MessagingBinding.ProxyAddress", b.ProxyAddress)
		p.opt("MessagingBinding.ProjectedAddress", b.ProjectedAddress)
		if b.Type != "" {
			p.set("MessagingBinding.Type", b.Type)
		}
	}
	if event == parley.EventParticipantUpdated {
		p.index("LastReadMessageIndex", pt.LastReadMessageIndex)
	}
}

func userParams(p params, ev *parley.Event) {
	event, u := ev.Type, ev.User
	userCommon(p, u)
	p.time("DateUpdated", u.DateUpdated)
	if event != parley.EventUserUpdate {
		p.time("DateCreated", u.DateCreated)
	}
	if event == parley.EventUserUpdated {
		// A reachability change carries the new state; a profile update
		// does not know it and reports the user offline.
		online, notifiable := false, false
		if ev.Reachability != nil {
			online, notifiable = ev.Reachability.Online, ev.Notifiable
		}
		p.set("isOnline", strconv.FormatBool(online))
		p.set("isNotifiable", strconv.FormatBool(notifiable))
	}
}

// userCommon sets what both dialects send of a user.
func userCommon(p params, u *parley.User) {
	p.set("UserSid", u.SID)
	p.set("Identity", u.Identity)
	p.opt("FriendlyName", u.FriendlyName)
	p.opt("RoleSid", u.RoleSID)
	p.set("Attributes", u.Attributes)
}

// mediaParam is the Media parameter: a JSON array of the message's media
// (https://www.twilio.com/docs/conversations/conversations-webhooks).
func mediaParam(media []parley.MessageMedia) string {
	type item struct {
		SID         string  `json:"Sid"`
		Filename    *string `json:"Filename"`
		ContentType string  `json:"ContentType"`
		Size        int64   `json:"Size"`
	}
	out := make([]item, len(media))
	for i, md := range media {
		out[i] = item{SID: md.SID, Filename: md.Filename, ContentType: md.ContentType, Size: md.Size}
	}
	raw, _ := json.Marshal(out)
	return string(raw)
}

// receiptParams are onDeliveryUpdated's parameters
// (https://www.twilio.com/docs/events/event-types/conversations/delivery).
func receiptParams(p params, r *parley.DeliveryReceipt) {
	p.set("ConversationSid", r.ConversationSID)
	p.set("MessageSid", r.MessageSID)
	p.set("DeliveryReceiptSid", r.SID)
	p.opt("ChannelMessageSid", r.ChannelMessageSID)
	p.set("ParticipantSid", r.ParticipantSID)
	p.set("Status", r.Status)
	p.set("ErrorCode", strconv.Itoa(r.ErrorCode))
	p.time("DateCreated", r.DateCreated)
	p.time("DateUpdated", r.DateUpdated)
}
