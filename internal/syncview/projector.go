package syncview

import (
	"encoding/json"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Projector turns domain events into the Sync events of the five
// projections, inside the domain change's transaction: the store gives
// each its object's next event ID and logs it with the change. Because it
// hangs off domain events, a change made over REST, Chat, a timer or the
// SDK reaches SDK clients the same way.
type Projector struct{}

var _ parley.EventConsumer = Projector{}

// Consume logs the Sync events of ev.
func (Projector) Consume(tx parley.Tx, ev *parley.Event) error {
	p := projection{tx: tx, date: twilioapi.NewTime(tx.Now())}
	c := ev.Conversation
	switch ev.Type {
	case parley.EventMessageAdded:
		p.listItem("list_item_added", c.SID, ev.Message)
		p.document(c, ev.Message)
	case parley.EventMessageUpdated:
		p.listItem("list_item_updated", c.SID, ev.Message)
	case parley.EventMessageRemoved:
		p.listItem("list_item_removed", c.SID, ev.Message)
		// The document's lastMessage names the newest message: removing
		// it makes the one before the newest.
		last, err := newestMessage(tx, c)
		if err != nil {
			return err
		}
		if last == nil || last.Index < ev.Message.Index {
			p.document(c, last)
		}
	case parley.EventConversationUpdated, parley.EventConversationStateUpdated:
		last, err := newestMessage(tx, c)
		if err != nil {
			return err
		}
		p.document(c, last)
	case parley.EventConversationRemoved:
		return p.conversationRemoved(c)
	case parley.EventParticipantAdded:
		return p.participant("map_item_added", c, ev.Participant)
	case parley.EventParticipantUpdated, parley.EventMembershipUpdated:
		return p.participant("map_item_updated", c, ev.Participant)
	case parley.EventParticipantRemoved:
		return p.participant("map_item_removed", c, ev.Participant)
	case parley.EventUserUpdated:
		if r := ev.Reachability; r != nil {
			// Going online or offline changes only the reachability item:
			// the SDK's userUpdated with reachabilityOnline.
			p.mapItem("map_item_updated", UserInfoMap(ev.User.SID), "reachability", reachabilityJSON{Online: r.Online, Notifiable: ev.Notifiable})
			break
		}
		p.userUpdated(ev.User, ev.Replaced)
	case parley.EventUserRemoved:
		p.log(UserInfoMap(ev.User.SID), "map", "map_removed", removedEvent{MapSID: UserInfoMap(ev.User.SID)})
	case parley.EventServiceRemoved:
		return p.serviceRemoved(ev.ServiceSID)
	}
	return p.err
}

// userUpdated changes the user info map's items that changed: the SDK
// reports each item event as one reason of userUpdated. Without what the
// change replaced, both items are sent.
func (p *projection) userUpdated(u *parley.User, replaced *parley.Replaced) {
	var old *parley.User
	if replaced != nil {
		old = replaced.User
	}
	if old == nil || !equalPtr(old.FriendlyName, u.FriendlyName) {
		p.mapItem("map_item_updated", UserInfoMap(u.SID), "friendlyName", valueJSON{u.FriendlyName})
	}
	if old == nil || old.Attributes != u.Attributes {
		p.mapItem("map_item_updated", UserInfoMap(u.SID), "attributes", valueJSON{&u.Attributes})
	}
}

func equalPtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// serviceRemoved removes the objects of every conversation of a service
// being deleted (the event comes before the cascade), so its SDK clients
// see each conversation leave.
func (p *projection) serviceRemoved(serviceSID string) error {
	pr := parley.PageRequest{Size: 100}
	for {
		page, err := p.tx.ListConversations(serviceSID, parley.ConversationFilter{}, pr)
		if err != nil {
			return err
		}
		for _, c := range page.Items {
			if err := p.conversationRemoved(c); err != nil {
				return err
			}
		}
		if !page.More || len(page.Items) == 0 {
			return p.err
		}
		pr.After = &page.Items[len(page.Items)-1].Seq
	}
}

// projection renders the Sync events of one domain event.
type projection struct {
	tx   parley.Tx
	date twilioapi.Time
	err  error
}

// log queues one event; data is the event's fields but its id.
func (p *projection) log(object, objectType, eventType string, data any) {
	if p.err != nil {
		return
	}
	b, err := json.Marshal(data)
	if err != nil {
		p.err = err
		return
	}
	p.tx.LogSyncEvent(&parley.SyncEvent{Object: object, ObjectType: objectType, EventType: eventType, Data: b})
}

type listEvent struct {
	ListSID     string         `json:"list_sid"`
	ItemIndex   int64          `json:"item_index"`
	ItemData    any            `json:"item_data"`
	DateCreated twilioapi.Time `json:"date_created"`
}

type mapEvent struct {
	MapSID      string         `json:"map_sid"`
	ItemKey     string         `json:"item_key"`
	ItemData    any            `json:"item_data"`
	DateCreated twilioapi.Time `json:"date_created"`
}

type documentEvent struct {
	DocumentSID  string         `json:"document_sid"`
	DocumentData any            `json:"document_data,omitempty"`
	DateCreated  twilioapi.Time `json:"date_created"`
}

// removedEvent is the removal of a whole object.
type removedEvent struct {
	ListSID     string `json:"list_sid,omitempty"`
	MapSID      string `json:"map_sid,omitempty"`
	DocumentSID string `json:"document_sid,omitempty"`
}

func (p *projection) listItem(eventType, conversationSID string, m *parley.Message) {
	p.log(MessagesList(conversationSID), "list", eventType,
		listEvent{ListSID: MessagesList(conversationSID), ItemIndex: m.Index, ItemData: messageItem(m), DateCreated: p.date})
}

func (p *projection) mapItem(eventType, mapSID, key string, data any) {
	p.log(mapSID, "map", eventType, mapEvent{MapSID: mapSID, ItemKey: key, ItemData: data, DateCreated: p.date})
}

func (p *projection) document(c *parley.Conversation, last *parley.Message) {
	sid := ConversationDocument(c.SID)
	p.log(sid, "document", "document_updated", documentEvent{DocumentSID: sid, DocumentData: documentData(c, last), DateCreated: p.date})
}

func newestMessage(tx parley.Tx, c *parley.Conversation) (*parley.Message, error) {
	page, err := tx.ListMessages(c.SID, parley.PageRequest{Size: 1, Desc: true})
	if err != nil || len(page.Items) == 0 {
		return nil, err
	}
	return page.Items[0], nil
}

// participant changes the roster item of pt and, for a chat participant
// with a User, that user's conversations map (which is what fires
// conversationJoined and conversationLeft in the SDK).
func (p *projection) participant(eventType string, c *parley.Conversation, pt *parley.Participant) error {
	user, err := p.user(c, pt)
	if err != nil {
		return err
	}
	var userInfo *string
	if user != nil {
		userInfo = ptr(UserInfoMap(user.SID))
	}
	p.mapItem(eventType, RosterMap(c.SID), pt.SID, participantItem(pt, userInfo))
	if user == nil {
		return p.err
	}
	level := parley.NotificationDefault
	if eventType != "map_item_removed" && eventType != "map_item_added" {
		m, err := p.tx.Membership(c, user.Identity)
		if err != nil {
			return err
		}
		level = m.NotificationLevel
	}
	p.mapItem(eventType, MyConversationsMap(user.SID), c.SID,
		MyConversationItem(&parley.Membership{Participant: pt, Conversation: c, NotificationLevel: level}))
	return p.err
}

// user is the User behind a chat participant's identity, nil when there is
// none.
func (p *projection) user(c *parley.Conversation, pt *parley.Participant) (*parley.User, error) {
	if pt.Identity == nil {
		return nil, nil
	}
	u, err := p.tx.User(c.ServiceSID, *pt.Identity)
	if parley.IsNotFound(err) {
		return nil, nil
	}
	return u, err
}

// conversationRemoved removes the conversation's three objects and its
// item from every member's conversations map. It runs before the delete,
// while the participants are still there.
func (p *projection) conversationRemoved(c *parley.Conversation) error {
	pr := parley.PageRequest{Size: 100}
	for {
		page, err := p.tx.ListParticipants(c.SID, pr)
		if err != nil {
			return err
		}
		for _, pt := range page.Items {
			user, err := p.user(c, pt)
			if err != nil {
				return err
			}
			if user != nil {
				p.mapItem("map_item_removed", MyConversationsMap(user.SID), c.SID,
					MyConversationItem(&parley.Membership{Participant: pt, Conversation: c, NotificationLevel: parley.NotificationDefault}))
			}
		}
		if !page.More || len(page.Items) == 0 {
			break
		}
		pr.After = &page.Items[len(page.Items)-1].Seq
	}
	p.log(ConversationDocument(c.SID), "document", "document_removed", removedEvent{DocumentSID: ConversationDocument(c.SID)})
	p.log(RosterMap(c.SID), "map", "map_removed", removedEvent{MapSID: RosterMap(c.SID)})
	p.log(MessagesList(c.SID), "list", "list_removed", removedEvent{ListSID: MessagesList(c.SID)})
	return p.err
}
