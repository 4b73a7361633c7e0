package core

import (
	"strings"

	parley "github.com/parley-dev/parley"
)

// maxAddressLength is the limit of a binding's address and proxy address
// (https://www.twilio.com/docs/api/errors/50407).
const maxAddressLength = 256

// channelOf is the binding type of an address: "sms" for a number in
// E.164, "whatsapp" for "whatsapp:" and such a number, "email" for an
// email address; "" for anything else.
func channelOf(address string) string {
	if rest, ok := strings.CutPrefix(address, parley.WhatsAppPrefix); ok {
		if isE164(rest) {
			return parley.BindingWhatsApp
		}
		return ""
	}
	if isE164(address) {
		return parley.BindingSMS
	}
	if isEmail(address) {
		return parley.BindingEmail
	}
	return ""
}

// isChannelParticipant reports whether f asks for a non-chat participant.
func isChannelParticipant(f parley.ParticipantFields) bool {
	return f.Address != nil || f.ProxyAddress != nil || f.ProjectedAddress != nil
}

// parseBinding validates a non-chat participant's MessagingBinding with
// Twilio's codes (50407 address, 50412 empty proxy, 50408 proxy of another
// channel or malformed, 50409 address equal to proxy, 50453 a proxy for
// email, which has none: the conversation's Bindings.Email.Address sends,
// see bindEmail). The docs check the
// proxy's syntax only, not that it is a sender of the conversation's
// Messaging Service (https://www.twilio.com/docs/api/errors/50408), so
// neither does Parley. An SMS address without ProxyAddress is a group MMS
// phone, and a ProjectedAddress a group MMS member's number
// (parseProjected); checkGroupJoin applies the group's rules.
func parseBinding(f parley.ParticipantFields) (*parley.MessagingBinding, error) {
	if f.ProjectedAddress != nil {
		return parseProjected(f)
	}
	if f.Identity != nil {
		// https://www.twilio.com/docs/api/errors/50211
		return nil, parley.ParamError(parley.CodeIdentityWithBinding, "Identity", parley.ProblemNone,
			"A participant has either an Identity or a MessagingBinding.Address, not both")
	}
	if f.Address == nil || *f.Address == "" {
		return nil, parley.Errorf(parley.CodeInvalidAddress, "MessagingBinding.Address is required for a non-chat participant")
	}
	typ := channelOf(*f.Address)
	if typ == "" || len(*f.Address) > maxAddressLength {
		return nil, parley.Errorf(parley.CodeInvalidAddress,
			"MessagingBinding.Address %q is not a phone number in E.164, a whatsapp: address or an email address", *f.Address)
	}
	if typ == parley.BindingEmail {
		if f.ProxyAddress != nil && *f.ProxyAddress != "" {
			return nil, parley.Errorf(parley.CodeProxyNotSupported,
				"MessagingBinding.ProxyAddress is not supported for email: the conversation's Bindings.Email.Address sends")
		}
		return &parley.MessagingBinding{Type: typ, Address: f.Address}, nil
	}
	if f.ProxyAddress == nil && typ == parley.BindingSMS {
		// "SMS participants are added with only an address" to a group
		// MMS conversation (https://www.twilio.com/docs/conversations/group-texting).
		return &parley.MessagingBinding{Type: typ, Address: f.Address}, nil
	}
	if f.ProxyAddress == nil || *f.ProxyAddress == "" {
		return nil, parley.Errorf(parley.CodeEmptyProxyAddress, "MessagingBinding.ProxyAddress must not be empty")
	}
	if channelOf(*f.ProxyAddress) != typ || len(*f.ProxyAddress) > maxAddressLength {
		return nil, parley.Errorf(parley.CodeInvalidProxyAddress,
			"MessagingBinding.ProxyAddress %q is not a %s address", *f.ProxyAddress, typ)
	}
	if *f.Address == *f.ProxyAddress {
		return nil, parley.Errorf(parley.CodeAddressIsProxy, "MessagingBinding.Address must not equal MessagingBinding.ProxyAddress")
	}
	return &parley.MessagingBinding{Type: typ, Address: f.Address, ProxyAddress: f.ProxyAddress}, nil
}

// parseProjected validates the binding of a group MMS member seen by the
// phones as a number of the account: a chat participant's (with Identity)
// or a bare one's. It has no Address or ProxyAddress
// (https://www.twilio.com/docs/api/errors/50443).
func parseProjected(f parley.ParticipantFields) (*parley.MessagingBinding, error) {
	if f.Address != nil || f.ProxyAddress != nil {
		return nil, parley.Errorf(parley.CodeProjectedAddressWithBinding,
			"MessagingBinding.ProjectedAddress is for a chat participant or a bare number: it cannot have an Address or ProxyAddress")
	}
	if channelOf(*f.ProjectedAddress) != parley.BindingSMS {
		return nil, parley.Errorf(parley.CodeInvalidAddress, "MessagingBinding.ProjectedAddress %q is not a phone number in E.164", *f.ProjectedAddress)
	}
	return &parley.MessagingBinding{Type: parley.BindingSMS, ProjectedAddress: f.ProjectedAddress}, nil
}

// checkChannelRoom refuses a non-chat participant in a conversation without
// a Messaging Service ("Before you can include non-chat Participants (SMS
// or WhatsApp), you'll need to attach a Messaging Service SID",
// https://www.twilio.com/docs/conversations/migrating-chat-conversations)
// or one that already has MaxChannelParticipants of them. c must be locked.
func checkChannelRoom(tx parley.Tx, c *parley.Conversation) error {
	if c.MessagingServiceSID == nil {
		return parley.Errorf(parley.CodeNoMessagingService,
			"Conversation %s has no Messaging Service; set its MessagingServiceSid (or the account's default) first", c.SID)
	}
	n, err := tx.CountChannelParticipants(c.SID)
	if err != nil {
		return err
	}
	if n >= parley.MaxChannelParticipants {
		return parley.Errorf(parley.CodeChannelParticipantLimit, "Conversation %s already has %d non-chat participants",
			c.SID, parley.MaxChannelParticipants)
	}
	return nil
}
