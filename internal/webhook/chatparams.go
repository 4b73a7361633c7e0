package webhook

import (
	"net/url"
	"strconv"

	parley "github.com/parley-dev/parley"
)

// Programmable Chat's webhook parameters
// (https://www.twilio.com/docs/chat/webhook-events; reference:
// twilio-behaviour.md 1.7). An action through the Chat API sends these
// instead of the Conversations ones: Chat's EventType, InstanceSid for the
// service, ChannelSid/MemberSid/From for the conversation, participant and
// author. ClientIdentity names the SDK user that acted, so REST actions
// leave it out; RetryCount is added per attempt, and
// WebhookSid/WebhookType per channel webhook, at delivery.

// Chat's member-event Reason: a REST add or remove is ADDED or REMOVED (a
// user's own join or leave through the SDK would be JOINED or LEFT).
const (
	reasonAdded   = "ADDED"
	reasonRemoved = "REMOVED"
)

// chatParams are the form parameters of ev in Chat's dialect. ev.Type must
// have a Chat name (parley.ChatEvent).
func chatParams(ev *parley.Event) url.Values {
	p := params{}
	name, _ := parley.ChatEventOf(ev)
	p.set("EventType", name)
	p.set("AccountSid", ev.AccountSID)
	p.set("InstanceSid", ev.ServiceSID)
	p.set("Source", ev.Source)
	if ev.ClientIdentity != "" {
		p.set("ClientIdentity", ev.ClientIdentity)
	}
	switch {
	case ev.Message != nil:
		chatMessageParams(p, ev.Type, ev.Message)
	case ev.Participant != nil:
		chatMemberParams(p, ev.Type, ev.Participant)
	case ev.User != nil:
		chatUserParams(p, ev.Type, ev.User)
	case ev.Conversation != nil:
		chatChannelParams(p, ev.Type, ev.Conversation)
	}
	return url.Values(p)
}

// chatMessageParams: onMessageSend carries ChannelSid, Body, Attributes and
// From; onMessageSent adds MessageSid, Index and DateCreated; the update and
// remove events also DateUpdated and ModifiedBy (who edited it last).
func chatMessageParams(p params, event string, m *parley.Message) {
	p.set("ChannelSid", m.ConversationSID)
	p.set("From", m.Author)
	if len(m.Media) > 0 {
		// The media events' own parameters (Chat shows one file).
		md := m.Media[0]
		p.set("MediaSid", md.SID)
		p.set("MediaContentType", md.ContentType)
		p.opt("MediaFilename", md.Filename)
		p.set("MediaSize", strconv.FormatInt(md.Size, 10))
	}
	if messageCommon(p, event, m) {
		p.opt("ModifiedBy", m.LastUpdatedBy)
	}
}

// chatChannelParams: onChannelAdd carries FriendlyName, UniqueName,
// Attributes, CreatedBy and ChannelType; onChannelAdded adds ChannelSid and
// DateCreated; the update and destroy events also DateUpdated.
func chatChannelParams(p params, event string, c *parley.Conversation) {
	p.opt("FriendlyName", c.FriendlyName)
	p.opt("UniqueName", c.UniqueName)
	p.set("Attributes", c.Attributes)
	p.opt("CreatedBy", c.CreatedBy)
	p.set("ChannelType", c.Type)
	p.existing(event, parley.EventConversationAdded, "ChannelSid", c.SID, c.DateCreated, c.DateUpdated)
}

// chatMemberParams: onMemberAdd carries ChannelSid, Identity, RoleSid and
// Reason; onMemberAdded adds MemberSid and DateCreated; onMemberUpdate(d)
// carries MemberSid, Identity, RoleSid, LastConsumedMessageIndex,
// DateCreated and DateUpdated; onMemberRemove(d) MemberSid, Identity,
// RoleSid, Reason and DateCreated.
func chatMemberParams(p params, event string, m *parley.Participant) {
	p.set("ChannelSid", m.ConversationSID)
	p.opt("Identity", m.Identity)
	p.opt("RoleSid", m.RoleSID)
	switch event {
	case parley.EventParticipantAdd, parley.EventParticipantAdded:
		p.set("Reason", reasonAdded)
	case parley.EventParticipantRemove, parley.EventParticipantRemoved:
		p.set("Reason", reasonRemoved)
	}
	if isAdd(event) {
		return
	}
	p.set("MemberSid", m.SID)
	p.time("DateCreated", m.DateCreated)
	if event == parley.EventParticipantUpdate || event == parley.EventParticipantUpdated {
		p.index("LastConsumedMessageIndex", m.LastReadMessageIndex)
		p.time("DateUpdated", m.DateUpdated)
	}
}

// chatUserParams: onUserAdded carries UserSid, Identity, FriendlyName,
// RoleSid, Attributes and DateCreated; onUserUpdate(d) also DateUpdated.
func chatUserParams(p params, event string, u *parley.User) {
	userCommon(p, u)
	p.time("DateCreated", u.DateCreated)
	if event != parley.EventUserAdded {
		p.time("DateUpdated", u.DateUpdated)
	}
}
