package parley

// Non-chat participants: the channels a MessagingBinding reaches.
const (
	BindingSMS      = "sms"
	BindingWhatsApp = "whatsapp"
	// WhatsAppPrefix starts a WhatsApp address: "whatsapp:+15017122661".
	WhatsAppPrefix = "whatsapp:"
)

// MaxChannelParticipants is Twilio's limit of non-chat participants in one
// conversation.
const MaxChannelParticipants = 50

// ChannelsTx is the part of Tx for non-chat participants.
type ChannelsTx interface {
	// CountChannelParticipants counts a conversation's non-chat participants.
	CountChannelParticipants(conversationSID string) (int64, error)
}
