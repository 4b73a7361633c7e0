package parley

// Non-chat participants: the channels a MessagingBinding reaches.
const (
	BindingSMS      = "sms"
	BindingWhatsApp = "whatsapp"
	// WhatsAppPrefix starts a WhatsApp address: "whatsapp:+15017122661".
	WhatsAppPrefix = "whatsapp:"
)

// Twilio's errors for non-chat participants
// (https://www.twilio.com/docs/conversations/api/conversation-participant-resource).
const (
	// CodeNoMessagingService: the conversation has no Messaging Service
	// to reach the participant through (https://www.twilio.com/docs/api/errors/50340).
	CodeNoMessagingService = 50340
	// CodeInvalidProxyAddress: MessagingBinding.ProxyAddress is not an
	// address of the participant's channel (https://www.twilio.com/docs/api/errors/50408).
	CodeInvalidProxyAddress = 50408
	// CodeAddressIsProxy: address and proxy address are equal
	// (https://twilio.com/docs/api/errors/50409).
	CodeAddressIsProxy = 50409
	// CodeEmptyProxyAddress (https://www.twilio.com/docs/api/errors/50412).
	CodeEmptyProxyAddress = 50412
	// CodeBindingPairInUse: the (address, proxy address) pair is bound in
	// another non-closed conversation; CodeBindingPairInUseBulk is the
	// same refusal from ConversationWithParticipants.
	CodeBindingPairInUse     = 50416
	CodeBindingPairInUseBulk = 50425
	// CodeChannelParticipantLimit: a conversation holds at most
	// MaxChannelParticipants non-chat participants
	// (https://twilio.com/docs/api/errors/50418).
	CodeChannelParticipantLimit = 50418
)

// MaxChannelParticipants is Twilio's limit of non-chat participants in one
// conversation.
const MaxChannelParticipants = 50

// ChannelsTx is the part of Tx for non-chat participants.
type ChannelsTx interface {
	// CountChannelParticipants counts a conversation's non-chat participants.
	CountChannelParticipants(conversationSID string) (int64, error)
}
