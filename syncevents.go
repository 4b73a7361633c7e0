package parley

import (
	"strconv"
	"strings"
	"time"
)

// SyncEvent is one change of a virtual Sync object (a user's info or
// conversations map; a conversation's document, roster map or messages
// list) as the client SDK receives it. Its ID is the object's own event
// sequence: 1, 2, 3… with no gap, assigned in the transaction of the
// domain change that caused it and logged with it, so a reconnecting
// client replays exactly what it missed.
type SyncEvent struct {
	Object     string // the Sync object's SID
	ObjectType string // "map", "list" or "document"
	EventType  string // e.g. "list_item_added"
	ID         int64
	// Data is the event's JSON object without its id (Sync's event fields:
	// item_key or item_index, item_data, the object's SID, ...), rendered
	// when the change was made.
	Data []byte
	Date time.Time
}

// Notification is the event as Sync's notification payload:
// {"event_type":…,"event":{"id":…,…}}.
func (e *SyncEvent) Notification() []byte {
	b := make([]byte, 0, len(e.Data)+len(e.EventType)+48)
	b = append(b, `{"event_type":`...)
	b = strconv.AppendQuote(b, e.EventType)
	b = append(b, `,"event":{"id":`...)
	b = strconv.AppendInt(b, e.ID, 10)
	if len(e.Data) > 2 {
		b = append(b, ',')
		b = append(b, e.Data[1:]...) // Data is an object: drop its "{"
	} else {
		b = append(b, '}')
	}
	return append(b, '}')
}

// EventLogTx is the part of Tx that keeps the Sync event log.
type EventLogTx interface {
	// LogSyncEvent queues ev (its ID unset) for the log. When the write's
	// function has returned without error, the store gives every queued
	// event the next ID of its object — objects in SID order, so two
	// writers never lock counters in opposite orders — and logs it in the
	// same transaction; a write (or a group-commit member) rolled back
	// takes its IDs with it, leaving no gap.
	LogSyncEvent(ev *SyncEvent)
	// SyncEvents reads up to limit logged events of object with IDs above
	// after, in ID order.
	SyncEvents(object string, after int64, limit int) ([]SyncEvent, error)
	// LastSyncEventID is the ID of object's latest event (0 before its
	// first). Pruning the log never lowers it.
	LastSyncEventID(object string) (int64, error)
	// PruneSyncEvents deletes logged events beyond the newest keep of
	// their object, and those older than before, at most limit of them.
	PruneSyncEvents(keep int, before time.Time, limit int) (int64, error)
}

// EventPublisher hears the Sync events of every committed write, after the
// commit and never for a write that rolled back (the store's after-commit
// hook). Publish must not block: it runs on the store's commit path.
type EventPublisher interface {
	Publish(events []SyncEvent)
}

// Bus carries committed Sync events to the nodes' live subscribers. The
// in-process bus serves one node; a NATS bus would carry them between
// nodes. Subscribers receive each published batch in publish order, but a
// bus may reorder across publishers: consumers order by event ID.
type Bus interface {
	EventPublisher
	// Subscribe calls fn with every batch published from now on until
	// cancel is called.
	Subscribe(fn func([]SyncEvent)) (cancel func())
}

// EventConsumer turns domain events into changes of derived views inside
// the event's transaction (the virtual Sync projector).
type EventConsumer interface {
	Consume(tx Tx, ev *Event) error
}

// Domain-only events: changes every consumer but webhooks hears (Twilio
// sends no webhook for them). Their names are Parley's own, prefixed
// "parley.".
const (
	// EventMembershipUpdated is a participant's own view of a conversation
	// changing: read horizon or notification level (Participant and
	// Conversation set, NotificationLevel in Reason).
	EventMembershipUpdated = "parley.membershipUpdated"
	// EventUserImplied is a User created because a participant was given
	// an identity the service had no User for (User set). Twilio's
	// onUserAdded is documented for the Users resource only.
	EventUserImplied = "parley.userImplied"
	// EventUserRemoved is a User deleted (User set); its participants stay.
	EventUserRemoved = "parley.userRemoved"
	// EventInviteAdded and EventInviteRemoved are a Chat invite made and
	// withdrawn or declined (Invite and Conversation set). An invite
	// accepted by joining has no event of its own: the participant added
	// stands for it.
	EventInviteAdded   = "parley.inviteAdded"
	EventInviteRemoved = "parley.inviteRemoved"
	// EventRoleAdded, EventRoleUpdated and EventRoleRemoved are a
	// service's role changes (Role set; Replaced.Role on an update).
	EventRoleAdded   = "parley.roleAdded"
	EventRoleUpdated = "parley.roleUpdated"
	EventRoleRemoved = "parley.roleRemoved"
	// EventBindingAdded and EventBindingRemoved are a push binding
	// registered and removed (Binding set; a removal by endpoint has no
	// SID).
	EventBindingAdded   = "parley.bindingAdded"
	EventBindingRemoved = "parley.bindingRemoved"
	// EventServiceRemoved is a service deleted with everything in it
	// (ServiceSID set). It is emitted before the rows go, so consumers can
	// still read what the cascade removes.
	EventServiceRemoved = "parley.serviceRemoved"
	// EventAccountPurged is a closed account's data deleted (AccountSID
	// set), emitted before the rows go.
	EventAccountPurged = "parley.accountPurged"
)

// DomainOnly reports whether events of typ are never sent to webhooks.
func DomainOnly(typ string) bool { return strings.HasPrefix(typ, "parley.") }
