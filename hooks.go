package parley

import "context"

// Webhook event types (https://www.twilio.com/docs/conversations/conversations-webhooks).
const (
	EventConversationAdd          = "onConversationAdd"
	EventConversationUpdate       = "onConversationUpdate"
	EventConversationRemove       = "onConversationRemove"
	EventParticipantAdd           = "onParticipantAdd"
	EventParticipantUpdate        = "onParticipantUpdate"
	EventParticipantRemove        = "onParticipantRemove"
	EventMessageAdd               = "onMessageAdd"
	EventMessageUpdate            = "onMessageUpdate"
	EventMessageRemove            = "onMessageRemove"
	EventUserUpdate               = "onUserUpdate"
	EventConversationAdded        = "onConversationAdded"
	EventConversationUpdated      = "onConversationUpdated"
	EventConversationRemoved      = "onConversationRemoved"
	EventConversationStateUpdated = "onConversationStateUpdated"
	EventParticipantAdded         = "onParticipantAdded"
	EventParticipantUpdated       = "onParticipantUpdated"
	EventParticipantRemoved       = "onParticipantRemoved"
	EventMessageAdded             = "onMessageAdded"
	EventMessageUpdated           = "onMessageUpdated"
	EventMessageRemoved           = "onMessageRemoved"
	EventDeliveryUpdated          = "onDeliveryUpdated"
	EventUserAdded                = "onUserAdded"
	EventUserUpdated              = "onUserUpdated"
)

// Event is one domain event as webhooks see it: its type and a snapshot of
// the resources it concerns. Pre-events carry the proposed resource (no SID
// or dates yet for an add).
type Event struct {
	Type         string
	AccountSID   string
	ServiceSID   string
	Source       string // API or SDK
	Conversation *Conversation
	Participant  *Participant
	Message      *Message
	User         *User
	// StateFrom is the previous state of onConversationStateUpdated, and
	// Reason what changed it (ReasonAPI, ReasonTimer or ReasonEvent).
	StateFrom string
	Reason    string
	// ScopedWebhookSID, when set, sends the event to that conversation-scoped
	// webhook only: a replay for a webhook created with ReplayAfter.
	ScopedWebhookSID string
	// Receipt is the delivery receipt of onDeliveryUpdated.
	Receipt *DeliveryReceipt
	// Chat reports that the action came through the Programmable Chat API
	// (/v2, /v3): its webhooks use Chat's event names, parameters and
	// retries. Type is the Conversations name either way.
	Chat bool
	// RequestID names the HTTP request that caused the event (its
	// Twilio-Request-Id), "" for events no request caused (timers).
	RequestID string
	// ClientIdentity is the SDK user whose action caused the event; ""
	// for REST actions and the system.
	ClientIdentity string
	// Role, Invite and Binding are the resource of the domain-only events
	// about them (see DomainOnly).
	Role    *Role
	Invite  *Invite
	Binding *Binding
	// Replaced is what an update replaced, copied before the change, for
	// consumers that need the old value (which fields changed, a role's
	// former permissions); nil for adds and removals, whose resource is
	// the one they concern.
	Replaced *Replaced
	// Reachability is the user's new reachability when an onUserUpdated
	// reports an identity going online or offline (nil otherwise).
	Reachability *Reachability
	// Notifiable is whether that user has push bindings.
	Notifiable bool
}

// Replaced holds the resources of an event as they were before the change;
// only the changed resource is set.
type Replaced struct {
	Conversation *Conversation
	Participant  *Participant
	Message      *Message
	User         *User
	Role         *Role
}

// chatEvents maps each Conversations event that Programmable Chat also
// fires to Chat's name for it
// (https://www.twilio.com/docs/chat/webhook-events). Webhook filters are
// stored under the Conversations names; the Chat surface translates.
var chatEvents = map[string]string{
	EventMessageAdd: "onMessageSend", EventMessageUpdate: "onMessageUpdate", EventMessageRemove: "onMessageRemove",
	EventConversationAdd: "onChannelAdd", EventConversationUpdate: "onChannelUpdate",
	EventConversationRemove: "onChannelDestroy", EventParticipantAdd: "onMemberAdd",
	EventParticipantUpdate: "onMemberUpdate", EventParticipantRemove: "onMemberRemove", EventUserUpdate: "onUserUpdate",
	EventMessageAdded: "onMessageSent", EventMessageUpdated: "onMessageUpdated", EventMessageRemoved: "onMessageRemoved",
	EventConversationAdded: "onChannelAdded", EventConversationUpdated: "onChannelUpdated",
	EventConversationRemoved: "onChannelDestroyed", EventParticipantAdded: "onMemberAdded",
	EventParticipantUpdated: "onMemberUpdated", EventParticipantRemoved: "onMemberRemoved",
	EventUserAdded: "onUserAdded", EventUserUpdated: "onUserUpdated"}

var conversationsEvents = func() map[string]string {
	out := make(map[string]string, len(chatEvents))
	for k, v := range chatEvents {
		out[v] = k
	}
	return out
}()

// ChatEvent is Chat's name for the Conversations event, false when Chat
// has no such event (state and delivery-receipt events).
func ChatEvent(event string) (string, bool) {
	name, ok := chatEvents[event]
	return name, ok
}

// ConversationsEvent is the Conversations event a Chat event name stands
// for, false for names Chat does not define.
func ConversationsEvent(chatName string) (string, bool) {
	event, ok := conversationsEvents[chatName]
	for k, v := range chatMediaEvents {
		if v == chatName {
			// A filter on a media event is kept as the message event,
			// which selects messages with and without media alike.
			event, ok = k, true
		}
	}
	return event, ok
}

// Reasons of a state change, as onConversationStateUpdated reports them.
const (
	ReasonAPI   = "API"   // a REST update
	ReasonTimer = "TIMER" // the inactive or closed timer elapsed
	ReasonEvent = "EVENT" // an event, such as a new message waking an inactive conversation
)

// PreCall calls a pre-event webhook synchronously. An error rejects the
// action; otherwise the returned overrides (lower-case Twilio keys such as
// "body" or "friendly_name") replace the action's fields.
type PreCall func(ctx context.Context) (map[string]string, error)

// Hooks calls webhooks for domain operations.
type Hooks interface {
	// PreTarget reads, inside tx, where ev's pre-event webhook goes and
	// returns the call to make once tx has ended (nil when none is
	// configured), so the lookup shares the operation's other reads.
	PreTarget(tx Tx, ev *Event) (PreCall, error)
	// Post enqueues the post-event deliveries for ev inside tx, so they are
	// committed with the change and delivered after it.
	Post(tx Tx, ev *Event) error
	Notifier
}
