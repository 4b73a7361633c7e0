package syncview

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// typeNames are the Sync types of the projections, for errors.
var typeNames = map[kind]string{kindUserInfo: "map", kindMyConversations: "map", kindRoster: "map",
	kindMessages: "list", kindDocument: "document"}

// authorize checks that the object exists and the caller may read it: any
// identity of the service reads a user's info (the SDK shows other
// participants' names), only its owner reads a user's conversations map,
// and only participants (and the identity that created it) read a
// conversation's objects.
func (v *View) authorize(ctx context.Context, c *parley.Caller, o object) error {
	missing := func(err error) error {
		if parley.IsNotFound(err) {
			return notFound(typeNames[o.kind], o.sid)
		}
		return err
	}
	switch o.kind {
	case kindUserInfo:
		_, err := v.app.User(ctx, c.ServiceSID, o.owner)
		return missing(err)
	case kindMyConversations:
		if o.owner != c.UserSID {
			return forbidden(o.sid)
		}
		return nil
	}
	conv, err := v.app.Conversation(ctx, c.ServiceSID, o.owner)
	if err != nil {
		return missing(err)
	}
	if conv.CreatedBy != nil && *conv.CreatedBy == c.Identity {
		// The SDK opens a conversation it created before it joins it.
		return nil
	}
	_, err = v.app.Participant(ctx, c.ServiceSID, o.owner, c.Identity)
	if parley.IsNotFound(err) {
		return forbidden(o.sid)
	}
	return err
}

// mapItems builds a map projection whole, sorted by key.
func (v *View) mapItems(ctx context.Context, c *parley.Caller, o object) ([]item, error) {
	var items []item
	var err error
	switch o.kind {
	case kindUserInfo:
		items, err = v.userInfo(ctx, c, o.owner)
	case kindMyConversations:
		items, err = v.myConversations(ctx, c)
	case kindRoster:
		items, err = v.roster(ctx, c, o.owner)
	}
	slices.SortFunc(items, func(a, b item) int { return cmpString(a.key, b.key) })
	return items, err
}

// valueJSON is a user info item: friendlyName and attributes are required
// (without them the SDK's login fails with 54201); attributes is a JSON
// string.
type valueJSON struct {
	Value *string `json:"value"`
}

type reachabilityJSON struct {
	Online     bool `json:"online"`
	Notifiable bool `json:"notifiable"`
}

func (v *View) userInfo(ctx context.Context, c *parley.Caller, userSID string) ([]item, error) {
	u, err := v.app.User(ctx, c.ServiceSID, userSID)
	if err != nil {
		return nil, err
	}
	svc, err := v.app.ServiceConfiguration(ctx, c.ServiceSID)
	if err != nil {
		return nil, err
	}
	items := []item{
		{key: "friendlyName", data: valueJSON{u.FriendlyName}, updated: u.DateUpdated},
		{key: "attributes", data: valueJSON{&u.Attributes}, updated: u.DateUpdated},
	}
	if svc.ReachabilityEnabled {
		r, err := v.app.Reachability(ctx, c.ServiceSID, u.SID)
		if err != nil {
			return nil, err
		}
		data := reachabilityJSON{}
		if r != nil {
			data.Online = r.Online != nil && *r.Online
			data.Notifiable = r.Notifiable != nil && *r.Notifiable
		}
		items = append(items, item{key: "reachability", data: data, updated: u.DateUpdated})
	}
	return items, nil
}

// myConversationJSON is an item of a user's conversations map; channel
// names the conversation document the SDK opens.
type myConversationJSON struct {
	Channel                  string `json:"channel"`
	Messages                 string `json:"messages"`
	Roster                   string `json:"roster"`
	Status                   string `json:"status"`
	LastConsumedMessageIndex *int64 `json:"lastConsumedMessageIndex"`
	NotificationLevel        string `json:"notificationLevel"`
}

// MyConversationItem is the data the conversations map holds for one
// membership.
func MyConversationItem(m *parley.Membership) any {
	sid := m.Conversation.SID
	return myConversationJSON{Channel: ConversationDocument(sid), Messages: MessagesList(sid), Roster: RosterMap(sid),
		Status: "joined", LastConsumedMessageIndex: m.Participant.LastReadMessageIndex, NotificationLevel: m.NotificationLevel}
}

func (v *View) myConversations(ctx context.Context, c *parley.Caller) ([]item, error) {
	identity := c.Identity
	var items []item
	pr := parley.PageRequest{Size: 100}
	for {
		page, err := v.app.ListParticipantConversations(ctx, c.ServiceSID, parley.MembershipFilter{Identity: &identity}, pr)
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			items = append(items, item{key: m.Conversation.SID, data: MyConversationItem(m), updated: m.Participant.DateUpdated})
		}
		if !page.More || len(page.Items) == 0 {
			return items, nil
		}
		pr.After = &page.Items[len(page.Items)-1].Participant.Seq
	}
}

// participantJSON is a roster item.
type participantJSON struct {
	Identity                 *string         `json:"identity"`
	Type                     string          `json:"type"`
	Attributes               string          `json:"attributes"`
	RoleSID                  *string         `json:"roleSid"`
	DateCreated              twilioapi.Time  `json:"dateCreated"`
	DateUpdated              twilioapi.Time  `json:"dateUpdated"`
	LastConsumedMessageIndex *int64          `json:"lastConsumedMessageIndex"`
	LastConsumptionTimestamp *twilioapi.Time `json:"lastConsumptionTimestamp"`
	UserInfo                 *string         `json:"userInfo,omitempty"`
	Bindings                 map[string]any  `json:"bindings"`
}

// participantItem is the roster item of p; userInfo names the info map of
// its identity's User, when there is one.
func participantItem(p *parley.Participant, userInfo *string) participantJSON {
	data := participantJSON{Identity: p.Identity, Type: "chat", Attributes: p.Attributes, RoleSID: p.RoleSID,
		DateCreated: twilioapi.NewTime(p.DateCreated), DateUpdated: twilioapi.NewTime(p.DateUpdated),
		LastConsumedMessageIndex: p.LastReadMessageIndex, LastConsumptionTimestamp: twilioapi.OptTime(p.LastReadTimestamp),
		UserInfo: userInfo, Bindings: map[string]any{}}
	if p.MessagingBinding != nil {
		data.Type = p.MessagingBinding.Type
	}
	return data
}

func (v *View) roster(ctx context.Context, c *parley.Caller, conversationSID string) ([]item, error) {
	var items []item
	pr := parley.PageRequest{Size: 100}
	for {
		page, err := v.app.ListParticipants(ctx, c.ServiceSID, conversationSID, pr)
		if err != nil {
			return nil, err
		}
		for _, p := range page.Items {
			var userInfo *string
			if p.Identity != nil {
				// A participant's identity need not have a User yet.
				if u, err := v.app.User(ctx, c.ServiceSID, *p.Identity); err == nil {
					userInfo = ptr(UserInfoMap(u.SID))
				} else if !parley.IsNotFound(err) {
					return nil, err
				}
			}
			data := participantItem(p, userInfo)
			items = append(items, item{key: p.SID, data: data, updated: p.DateUpdated})
		}
		if !page.More || len(page.Items) == 0 {
			return items, nil
		}
		pr.After = &page.Items[len(page.Items)-1].Seq
	}
}

// documentJSON is a conversation document. messages and roster are how the
// SDK finds the other two objects. Per-user fields (read horizon,
// notification level) stay out: the SDK would apply them to every viewer.
type documentJSON struct {
	Messages     string          `json:"messages"`
	Roster       string          `json:"roster"`
	FriendlyName *string         `json:"friendlyName"`
	UniqueName   *string         `json:"uniqueName"`
	Attributes   json.RawMessage `json:"attributes"`
	CreatedBy    string          `json:"createdBy"`
	DateCreated  twilioapi.Time  `json:"dateCreated"`
	DateUpdated  twilioapi.Time  `json:"dateUpdated"`
	LastMessage  *lastMessage    `json:"lastMessage,omitempty"`
	State        stateJSON       `json:"state"`
	Bindings     map[string]any  `json:"bindings"`
}

type lastMessage struct {
	Index     int64          `json:"index"`
	Timestamp twilioapi.Time `json:"timestamp"`
}

type stateJSON struct {
	Current     string         `json:"current"`
	DateUpdated twilioapi.Time `json:"dateUpdated"`
}

func (v *View) document(r *http.Request, c *parley.Caller, o object) (any, time.Time, error) {
	ctx := r.Context()
	if err := v.authorize(ctx, c, o); err != nil {
		return nil, time.Time{}, err
	}
	conv, err := v.app.Conversation(ctx, c.ServiceSID, o.owner)
	if err != nil {
		return nil, time.Time{}, err
	}
	newest, err := v.app.ListMessages(ctx, c.ServiceSID, conv.SID, parley.PageRequest{Size: 1, Desc: true})
	if err != nil {
		return nil, time.Time{}, err
	}
	var last *parley.Message
	if len(newest.Items) == 1 {
		last = newest.Items[0]
	}
	d := documentData(conv, last)
	return d, conv.DateUpdated, nil
}

// documentData is the document of conv whose newest message is last (nil
// without messages).
func documentData(conv *parley.Conversation, last *parley.Message) documentJSON {
	d := documentJSON{Messages: MessagesList(conv.SID), Roster: RosterMap(conv.SID), FriendlyName: conv.FriendlyName,
		UniqueName: conv.UniqueName, Attributes: jsonValue(conv.Attributes), CreatedBy: "system",
		DateCreated: twilioapi.NewTime(conv.DateCreated), DateUpdated: twilioapi.NewTime(conv.DateUpdated),
		State: stateJSON{Current: conv.State, DateUpdated: twilioapi.NewTime(conv.DateUpdated)}, Bindings: map[string]any{}}
	if conv.CreatedBy != nil {
		d.CreatedBy = *conv.CreatedBy
	}
	if last != nil {
		d.LastMessage = &lastMessage{Index: last.Index, Timestamp: twilioapi.NewTime(last.DateCreated)}
	}
	return d
}

// jsonValue embeds stored attributes as JSON when they are JSON (they are
// validated on write), else as a JSON string.
func jsonValue(s string) json.RawMessage {
	if json.Valid([]byte(s)) && strings.TrimSpace(s) != "" {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

// messageJSON is a messages list item.
type messageJSON struct {
	SID             string         `json:"sid"`
	Author          string         `json:"author"`
	Text            *string        `json:"text"`
	Timestamp       twilioapi.Time `json:"timestamp"`
	DateUpdated     twilioapi.Time `json:"dateUpdated"`
	LastUpdatedBy   *string        `json:"lastUpdatedBy"`
	Attributes      string         `json:"attributes"`
	Type            string         `json:"type"`
	MemberSID       *string        `json:"memberSid"`
	Subject         *string        `json:"subject"`
	ContentSID      *string        `json:"contentSid"`
	ChannelMetadata bool           `json:"channelMetadata"`
	Medias          []mediaJSON    `json:"medias,omitempty"`
}

// mediaJSON is one media file of a messages list item, as the SDK's Media
// reads it; it fetches the record and its links from the media service.
type mediaJSON struct {
	SID         string  `json:"sid"`
	Category    string  `json:"category"`
	Filename    *string `json:"filename"`
	ContentType string  `json:"contentType"`
	Size        int64   `json:"size"`
}

// messageItem is a message as the messages list shows it: of type media
// when it carries any.
func messageItem(m *parley.Message) messageJSON {
	out := messageJSON{SID: m.SID, Author: m.Author, Text: m.Body, Timestamp: twilioapi.NewTime(m.DateCreated),
		DateUpdated: twilioapi.NewTime(m.DateUpdated), LastUpdatedBy: m.LastUpdatedBy, Attributes: m.Attributes,
		Type: "text", MemberSID: m.ParticipantSID, Subject: m.Subject, ContentSID: m.ContentSID}
	for _, md := range m.Media {
		out.Type = "media"
		out.Medias = append(out.Medias, mediaJSON{SID: md.SID, Category: md.Category, Filename: md.Filename,
			ContentType: md.ContentType, Size: md.Size})
	}
	return out
}

// messages pages the messages list by index: From is inclusive, so it
// becomes an exclusive bound one step back.
func (v *View) messages(ctx context.Context, c *parley.Caller, o object, q query) (result, error) {
	var res result
	pr := parley.PageRequest{Size: q.size, Desc: q.desc}
	switch {
	case q.index != nil:
		pr = parley.PageRequest{Size: 1, After: ptr(*q.index - 1)}
	case q.from != nil:
		from, _ := parseIndex(*q.from)
		bound := from
		if !q.exclusive {
			bound = from - 1
			if q.desc {
				bound = from + 1
			}
		}
		pr.After = &bound
		// Anything before the page's start, in traversal order?
		before := from
		if q.exclusive {
			before = from + 1
			if q.desc {
				before = from - 1
			}
		}
		prev, err := v.app.ListMessages(ctx, c.ServiceSID, o.owner, parley.PageRequest{Size: 1, After: &before, Desc: !q.desc})
		if err != nil {
			return res, err
		}
		res.prev = len(prev.Items) > 0
	}
	page, err := v.app.ListMessages(ctx, c.ServiceSID, o.owner, pr)
	if err != nil {
		return res, err
	}
	for _, m := range page.Items {
		if q.index != nil && m.Index != *q.index {
			break
		}
		res.items = append(res.items, item{index: m.Index, updated: m.DateUpdated, data: messageItem(m)})
		if m.DateUpdated.After(res.updated) {
			res.updated = m.DateUpdated
		}
	}
	res.next = page.More && q.index == nil
	return res, nil
}

func ptr[T any](v T) *T { return &v }
