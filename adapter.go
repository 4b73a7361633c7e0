package parley

import (
	"context"
	"time"
)

// A channel adapter carries conversation messages to and from non-chat
// participants (SMS, WhatsApp, email): it sends, it reports delivery statuses, and
// it hands over what phones send. The simulator is the default adapter.

// OutboundMessage is one conversation message on its way to one non-chat
// participant.
type OutboundMessage struct {
	// Key names the delivery: message SID and participant SID. An adapter
	// that is given a key it already sent must not send it again (the job
	// that calls Send runs at least once).
	Key             string
	AccountSID      string
	ConversationSID string
	MessageSID      string
	ParticipantSID  string
	// Channel is the participant's binding type (BindingSMS,
	// BindingWhatsApp, BindingEmail).
	Channel  string
	From, To string
	Body     string
	// MediaURLs are public links, valid for a few hours, that the provider
	// fetches the message's media from; MediaTypes[i] is the content type
	// of MediaURLs[i].
	MediaURLs  []string
	MediaTypes []string
	// ContentSID names a content template (HX…) to send instead of Body
	// and media, filled with ContentVariables (a JSON object, "" for none).
	ContentSID       string
	ContentVariables string
	// Subject (the conversation's friendly name) and SenderName (its
	// Bindings.Email.Name) are set for email only.
	Subject, SenderName string
}

// DeliveryKey is the key of the delivery of a message to a participant.
func DeliveryKey(messageSID, participantSID string) string { return messageSID + "/" + participantSID }

// GroupRecipient is one phone of a group MMS message.
type GroupRecipient struct {
	ParticipantSID string
	Address        string
}

// GroupMessage is one conversation message on its way, as one group MMS,
// to the phones of a group MMS conversation: From is the projected address
// it is sent from, Recipients every phone it goes to (each sees the others).
type GroupMessage struct {
	// Key names the message's group delivery; each recipient's delivery
	// is DeliveryKey(MessageSID, its ParticipantSID), and an adapter
	// given a recipient's key it already sent must not send it again.
	Key             string
	AccountSID      string
	ConversationSID string
	MessageSID      string
	From            string
	Recipients      []GroupRecipient
	Body            string
	MediaURLs       []string
}

// GroupSender is a ChannelAdapter that can carry group MMS.
type GroupSender interface {
	// SendGroup hands m to the channel and answers one report per
	// recipient (ParticipantSID set), as Send does for one. An error
	// means "try again later".
	SendGroup(ctx context.Context, m *GroupMessage) ([]*ChannelReport, error)
}

// GroupUnsupportedCode is the error of the receipts of a group MMS that
// the SMS channel's adapter cannot carry: Twilio's 21653 "There are more
// recipient addresses than allowed" for a channel with one recipient per
// message (https://www.twilio.com/docs/api/errors/21653).
const GroupUnsupportedCode = 21653

// ChannelReport is a channel's word on one delivery: at Send, and later in
// its status callbacks. AccountSID, MessageSID and ParticipantSID name the
// delivery (with its ConversationSID); Status is a Delivery* status, ErrorCode the channel's error for
// failed and undelivered (Twilio's 3xxxx codes).
type ChannelReport struct {
	AccountSID        string
	ConversationSID   string
	MessageSID        string
	ParticipantSID    string
	ChannelMessageSID string
	Status            string
	ErrorCode         int
	// Channel is the delivery's binding type when the reporter knows it;
	// empty, the ChannelMessageSID's prefix tells (WA… is WhatsApp).
	Channel string
}

// ChannelAdapter sends messages through one channel.
type ChannelAdapter interface {
	// Send hands m to the channel and answers its report: Status sent when
	// the channel took the message, failed with an ErrorCode when it refused
	// it, or a later status straight away for channels that know it (the
	// simulator). An error means "try again later".
	Send(ctx context.Context, m *OutboundMessage) (*ChannelReport, error)
}

// InboundMessage is what a phone sent to one of the account's addresses.
type InboundMessage struct {
	AccountSID string
	// From is the phone (or whatsapp: or email address), To the account's
	// number (or email address).
	From, To string
	// Recipients are all the addresses a group MMS went to (To among
	// them); empty for a one-to-one message.
	Recipients []string
	Body       string
	MediaURLs  []string
	// Files are media the channel carried inline (email attachments),
	// where others give URLs.
	Files             []InboundFile
	ChannelMessageSID string
}

// InboundFile is a file that came with an inbound message.
type InboundFile struct {
	ContentType, Filename string
	Data                  []byte
}

// InboundResult says where an inbound message went: the conversation and
// message it became, or (both nil) the Reason it was dropped.
type InboundResult struct {
	ConversationSID *string
	MessageSID      *string
	Reason          string
}

// ChannelReceiver is the domain as adapters see it: status callbacks and
// inbound messages go in through it.
type ChannelReceiver interface {
	// DeliveryStatus records a delivery's new status. Statuses only move
	// forward (sent, delivered, read; failed and undelivered are final): a
	// late or repeated report changes nothing.
	DeliveryStatus(ctx context.Context, r *ChannelReport) error
	// Receive routes an inbound message into its conversation.
	Receive(ctx context.Context, m *InboundMessage) (*InboundResult, error)
}

// Simulated message directions, seen from the phone.
const (
	SimulatedToPhone   = "to_phone"
	SimulatedFromPhone = "from_phone"
)

// SimulatedMessage is one message the simulated network carried: to a
// phone (a delivery) or from one (inbound).
type SimulatedMessage struct {
	Seq        int64
	SID        string // SM… for SMS, WA… for WhatsApp
	AccountSID string
	Direction  string
	From, To   string
	// Recipients are all the addresses of a group MMS (To among them);
	// empty for a one-to-one message.
	Recipients []string
	Body       string
	MediaURLs  []string
	Status     string
	ErrorCode  int
	// Key is the delivery key of a message to a phone.
	Key *string
	// ConversationSID is the conversation a message from a phone went to,
	// or the one a message to a phone came from; Reason why an inbound
	// message was dropped.
	ConversationSID *string
	Reason          *string
	DateCreated     time.Time
}

// SimulatedPhone is what the simulated network does with deliveries to an
// address: Outcome is a Delivery* status, ErrorCode Twilio's error for
// failed and undelivered.
type SimulatedPhone struct {
	AccountSID  string
	Address     string
	Outcome     string
	ErrorCode   int
	DateUpdated time.Time
}

// SimulatorFilter narrows a list of simulated messages; empty fields match
// everything. Address matches From or To.
type SimulatorFilter struct {
	Address   string
	From, To  string
	Direction string
}

// ChannelTx is the part of Tx that channel deliveries and the simulator use.
type ChannelTx interface {
	// ChannelParticipants lists a conversation's non-chat participants in
	// the order they joined.
	ChannelParticipants(conversationSID string) ([]*Participant, error)
	// BoundParticipant finds the participant holding the (address, proxy
	// address) pair in an account's conversation that is not closed.
	BoundParticipant(accountSID, address, proxyAddress string) (*Participant, error)
	// DeliveryReceiptOf is the receipt of a message to a participant.
	DeliveryReceiptOf(messageSID, participantSID string) (*DeliveryReceipt, error)
	// GroupMembers lists a conversation's group MMS members (phones
	// without proxy address, projected addresses) in the order they joined.
	GroupMembers(conversationSID string) ([]*Participant, error)
	// GroupConversations are the SIDs of an account's conversations that
	// are not closed and have address as a group MMS member (a phone
	// without proxy address, or a projected address).
	GroupConversations(accountSID, address string) ([]string, error)
	// RoutedInbound is where an account's inbound channel message went
	// (not found when it was never routed).
	RoutedInbound(accountSID, channelMessageSID string) (*InboundResult, error)
	// RecordInbound notes that an inbound channel message became message
	// messageSID of conversationSID, so that a provider's retry is not
	// added again.
	RecordInbound(accountSID, channelMessageSID, conversationSID, messageSID string, at time.Time) error

	// RecordSimulatedMessage stores m unless a message with m's Key is
	// stored, which then replaces *m; it reports whether m was new, so a
	// delivery retried after a crash is carried once.
	RecordSimulatedMessage(m *SimulatedMessage) (created bool, err error)
	// ListSimulatedMessages pages an account's simulated messages, oldest first.
	ListSimulatedMessages(accountSID string, f SimulatorFilter, p PageRequest) (Page[*SimulatedMessage], error)
	// SimulatedPhone is an address's settings (not found before the first).
	SimulatedPhone(accountSID, address string) (*SimulatedPhone, error)
	SetSimulatedPhone(p *SimulatedPhone) error
}
