package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
)

// Push notifications (https://www.twilio.com/docs/conversations/push-notification-configuration):
// a new message, and a chat participant added to or removed from a
// conversation, notify the devices registered as the service's bindings,
// as the service's Notifications configuration says. The event's own
// transaction enqueues one fan-out job; the fan-out, in its own
// transaction, finds the recipients and their bindings and enqueues one
// keyed send job per binding, so nothing on the message path reads
// participants or bindings, and a rerun never queues a send twice.

// Job kinds of push delivery.
const (
	PushFanoutJobKind = "push.fanout"
	PushSendJobKind   = "push.send"
)

// pushConfigTTL is how long a node trusts the notification configuration
// it read: the message path checks it without a read. A change on this
// node applies at once; one made on another node within this long.
const pushConfigTTL = 2 * time.Second

// keepPushDeliveries bounds the push inspector per account.
const keepPushDeliveries = 1000

// WithPush sets the transport pushes go through and what to wake when they
// are enqueued.
func WithPush(t parley.PushTransport, wake parley.Notifier) Option {
	return func(a *App) { a.push, a.pushWake = t, wake }
}

// pushConfigs caches each service's notification configuration.
type pushConfigs struct {
	mu      sync.Mutex
	entries map[string]pushConfigEntry
}

// serviceNotifications are a service's two push configurations: the
// Conversations one (/v1 .../Configuration/Notifications) for actions
// through /v1 and the SDK, and Chat's (/v2 Services' Notifications.*) for
// actions through /v2 and /v3, as Chat applications expect. nil: nothing
// enabled.
type serviceNotifications struct {
	conv, chat *parley.NotificationConfig
}

// of is the configuration an event of the Chat surface (chat) or not uses.
func (n serviceNotifications) of(chat bool) *parley.NotificationConfig {
	if chat {
		return n.chat
	}
	return n.conv
}

type pushConfigEntry struct {
	n    serviceNotifications
	read time.Time
}

func (c *pushConfigs) get(serviceSID string) (serviceNotifications, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[serviceSID]
	if !ok || time.Since(e.read) > pushConfigTTL {
		return serviceNotifications{}, false
	}
	return e.n, true
}

func (c *pushConfigs) put(serviceSID string, n serviceNotifications) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]pushConfigEntry{}
	}
	c.entries[serviceSID] = pushConfigEntry{n, time.Now()}
}

func (c *pushConfigs) forget(serviceSID string) {
	c.mu.Lock()
	delete(c.entries, serviceSID)
	c.mu.Unlock()
}

// pushConfig is a service's notification configurations, from the cache
// or read in tx.
func (a *App) pushConfig(tx parley.Tx, accountSID, serviceSID string) (serviceNotifications, error) {
	if n, ok := a.pushConfigs.get(serviceSID); ok {
		return n, nil
	}
	n, err := readNotifications(tx, accountSID, serviceSID)
	if err == nil {
		a.pushConfigs.put(serviceSID, n)
	}
	return n, err
}

// readNotifications reads a service's two push configurations, Chat's
// mapped onto the Conversations shape (channel for conversation).
func readNotifications(tx parley.Tx, accountSID, serviceSID string) (serviceNotifications, error) {
	var n serviceNotifications
	cfg, err := tx.NotificationConfig(serviceSID)
	switch {
	case err == nil:
		n.conv = cfg
	case !parley.IsNotFound(err):
		return n, err
	}
	svc, err := tx.Service(accountSID, serviceSID)
	if parley.IsNotFound(err) {
		return n, nil
	}
	if err != nil {
		return n, err
	}
	cn := svc.Chat.Notifications
	template := func(c parley.ChatNotification) parley.NotificationTemplate {
		return parley.NotificationTemplate{Enabled: c.Enabled, Template: c.Template, Sound: c.Sound}
	}
	n.chat = &parley.NotificationConfig{AccountSID: accountSID, ServiceSID: serviceSID,
		NewMessage: template(cn.NewMessage), AddedToConversation: template(cn.AddedToChannel),
		RemovedFromConversation: template(cn.RemovedFromChannel), InvitedToChannel: template(cn.InvitedToChannel),
		LogEnabled:           cn.LogEnabled,
		NewMessageBadgeCount: cn.NewMessage.BadgeCountEnabled != nil && *cn.NewMessage.BadgeCountEnabled}
	return n, nil
}

// fanoutJob is a PushFanoutJobKind job's payload: one push-worthy event.
type fanoutJob struct {
	AccountSID      string `json:"account_sid"`
	ServiceSID      string `json:"service_sid"`
	ConversationSID string `json:"conversation_sid"`
	Kind            string `json:"kind"`
	MessageSID      string `json:"message_sid,omitempty"`
	// Identity is the participant added or removed; Actor who caused it
	// (the message's author).
	Identity string `json:"identity,omitempty"`
	Actor    string `json:"actor,omitempty"`
	// Conversation is what the notification names, kept for a removal
	// (the conversation may be gone when the job runs).
	Conversation string `json:"conversation"`
	Key          string `json:"key"`
	// Chat: the action came through Chat, whose configuration, message
	// types (twilio.channel.*) and payload fields apply.
	Chat bool `json:"chat,omitempty"`
}

// enqueuePush enqueues the fan-out of a push-worthy event when the
// service's configuration enables its kind.
func (a *App) enqueuePush(tx parley.Tx, ev *parley.Event) error {
	if a.push == nil || ev.Conversation == nil {
		return nil
	}
	var kind, key, identity, actor string
	switch ev.Type {
	case parley.EventMessageAdded:
		kind, key, actor = parley.PushNewMessage, ev.Message.SID, ev.Message.Author
	case parley.EventParticipantAdded, parley.EventParticipantRemoved:
		if ev.Participant == nil || ev.Participant.Identity == nil {
			return nil // only chat participants have devices
		}
		kind, identity = parley.PushAddedToConversation, *ev.Participant.Identity
		if ev.Type == parley.EventParticipantRemoved {
			kind = parley.PushRemovedFromConversation
		}
		key = ev.Participant.SID + "/" + strconv.FormatInt(tx.Now().UnixNano(), 36)
		actor = ev.ClientIdentity
	case parley.EventInviteAdded:
		if ev.Invite == nil {
			return nil
		}
		kind, key, identity, actor = parley.PushInvitedToChannel, ev.Invite.SID, ev.Invite.Identity, ev.ClientIdentity
		if ev.Invite.CreatedBy != nil {
			actor = *ev.Invite.CreatedBy
		}
	default:
		return nil
	}
	chat := ev.Chat || kind == parley.PushInvitedToChannel // invites are Chat's alone
	n, err := a.pushConfig(tx, ev.Conversation.AccountSID, ev.Conversation.ServiceSID)
	if err != nil || !pushEnabled(n.of(chat), kind) {
		return err
	}
	j := fanoutJob{AccountSID: ev.Conversation.AccountSID, ServiceSID: ev.Conversation.ServiceSID,
		ConversationSID: ev.Conversation.SID, Kind: kind, Identity: identity, Actor: actor,
		Conversation: conversationTitle(ev.Conversation), Key: kind + "/" + key, Chat: chat}
	if ev.Message != nil {
		j.MessageSID = ev.Message.SID
	}
	payload, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return tx.EnqueueJob(&parley.Job{Kind: PushFanoutJobKind, Key: "push/" + j.Key, Payload: payload, RunAt: tx.Now()})
}

// pushEnabled reports whether cfg sends pushes of kind (a media message is
// new_message too: its own template when enabled, else new_message's).
func pushEnabled(cfg *parley.NotificationConfig, kind string) bool {
	if cfg == nil {
		return false
	}
	switch kind {
	case parley.PushNewMessage:
		return cfg.NewMessage.Enabled || cfg.NewMessageWithMedia.Enabled
	case parley.PushAddedToConversation:
		return cfg.AddedToConversation.Enabled
	case parley.PushRemovedFromConversation:
		return cfg.RemovedFromConversation.Enabled
	case parley.PushInvitedToChannel:
		return cfg.InvitedToChannel.Enabled
	}
	return false
}

// conversationTitle names a conversation in a notification: its friendly
// name, else its unique name, else its SID.
func conversationTitle(c *parley.Conversation) string {
	switch {
	case c.FriendlyName != nil && *c.FriendlyName != "":
		return *c.FriendlyName
	case c.UniqueName != nil && *c.UniqueName != "":
		return *c.UniqueName
	}
	return c.SID
}

// Parley's default templates, used when the configuration sets none.
const (
	defaultNewMessageTemplate = "${PARTICIPANT}: ${MESSAGE}"
	defaultMediaTemplate      = "${PARTICIPANT} sent ${MEDIA_COUNT} media file(s)"
	defaultAddedTemplate      = "You have been added to ${CONVERSATION}"
	defaultRemovedTemplate    = "You have been removed from ${CONVERSATION}"
	defaultInvitedTemplate    = "${USER} has invited you to join the channel ${CHANNEL}"
)

// sendJob is a PushSendJobKind job's payload: one rendered notification for
// one binding.
type sendJob struct {
	AccountSID  string            `json:"account_sid"`
	ServiceSID  string            `json:"service_sid"`
	BindingSID  string            `json:"binding_sid"`
	Identity    string            `json:"identity"`
	Kind        string            `json:"kind"`
	Key         string            `json:"key"`
	MessageType string            `json:"message_type"`
	Title       string            `json:"title"`
	Body        string            `json:"body"`
	Sound       *string           `json:"sound,omitempty"`
	Badge       *int              `json:"badge,omitempty"`
	Data        map[string]string `json:"data"`
}

// RunPushFanout is the handler of PushFanoutJobKind: it renders the
// notification of each recipient and enqueues one send per binding of
// theirs registered for the kind, in one transaction.
func (a *App) RunPushFanout(ctx context.Context, j *parley.Job) error {
	var f fanoutJob
	if err := json.Unmarshal(j.Payload, &f); err != nil {
		return parley.PermanentJobError(fmt.Errorf("push fan-out payload: %w", err))
	}
	queued := false
	err := a.store.Write(ctx, func(tx parley.Tx) error {
		queued = false
		all, err := readNotifications(tx, f.AccountSID, f.ServiceSID)
		if err != nil {
			return err
		}
		cfg := all.of(f.Chat)
		if !pushEnabled(cfg, f.Kind) {
			return nil // turned off meanwhile
		}
		n, err := a.pushNotification(tx, cfg, &f)
		if n == nil || err != nil {
			return err
		}
		for _, r := range n.recipients {
			sends, err := a.pushSends(tx, cfg, &f, n, r)
			if err != nil {
				return err
			}
			for _, s := range sends {
				payload, err := json.Marshal(s)
				if err != nil {
					return err
				}
				if err := tx.EnqueueJob(&parley.Job{Kind: PushSendJobKind, Key: "push/" + s.Key, Payload: payload, RunAt: tx.Now()}); err != nil {
					return err
				}
				queued = true
			}
		}
		return nil
	})
	if err == nil && queued && a.pushWake != nil {
		a.pushWake.Notify()
	}
	return err
}

// notification is one event's rendered notification and its recipients.
type notification struct {
	messageType string
	body        string
	sound       *string
	data        map[string]string
	recipients  []string // identities
	withBadge   bool
}

// pushNotification renders f's notification, nil when nothing is left to
// notify (the message or conversation was deleted meanwhile).
func (a *App) pushNotification(tx parley.Tx, cfg *parley.NotificationConfig, f *fanoutJob) (*notification, error) {
	// Conversations' placeholders and Chat's (${USER}, ${CHANNEL}, …),
	// whichever the template uses.
	vars := map[string]string{"CONVERSATION": f.Conversation, "CONVERSATION_SID": f.ConversationSID,
		"PARTICIPANT": f.Actor, "PARTICIPANT_IDENTITY": f.Actor, "USER_IDENTITY": f.Actor}
	n := &notification{messageType: pushMessageType(f.Chat, f.Kind),
		data: map[string]string{"conversation_sid": f.ConversationSID, "conversation_title": f.Conversation}}
	if f.Chat {
		n.data["channel_sid"], n.data["channel_title"] = f.ConversationSID, f.Conversation
	}

	var c *parley.Conversation
	if f.Kind != parley.PushRemovedFromConversation {
		var err error
		if c, err = tx.Conversation(f.ServiceSID, f.ConversationSID); parley.IsNotFound(err) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if c.FriendlyName != nil {
			vars["CONVERSATION_FRIENDLY_NAME"] = *c.FriendlyName
		}
		if c.UniqueName != nil {
			vars["CONVERSATION_UNIQUE_NAME"] = *c.UniqueName
		}
	}
	template, fallback := (*string)(nil), ""
	switch f.Kind {
	case parley.PushNewMessage:
		m, err := tx.Message(f.ConversationSID, f.MessageSID)
		if parley.IsNotFound(err) {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		if m.ParticipantSID != nil {
			vars["PARTICIPANT_SID"] = *m.ParticipantSID
		}
		vars["PARTICIPANT"] = a.displayName(tx, f.ServiceSID, m.Author)
		vars["PARTICIPANT_FRIENDLY_NAME"] = vars["PARTICIPANT"]
		if m.Body != nil {
			vars["MESSAGE"] = *m.Body
		}
		vars["MEDIA_COUNT"] = strconv.Itoa(len(m.Media))
		n.sound, n.withBadge = cfg.NewMessage.Sound, cfg.NewMessageBadgeCount
		template, fallback = cfg.NewMessage.Template, defaultNewMessageTemplate
		if len(m.Media) > 0 && cfg.NewMessageWithMedia.Enabled {
			template, fallback = cfg.NewMessageWithMedia.Template, defaultMediaTemplate
			if media, err := json.Marshal(m.Media[0]); err == nil {
				vars["MEDIA"], n.data["media"] = derefOr(m.Media[0].Filename, ""), string(media)
			}
		} else if !cfg.NewMessage.Enabled {
			return nil, nil
		}
		n.data["message_sid"], n.data["message_index"] = m.SID, strconv.FormatInt(m.Index, 10)
		n.data["media_count"] = strconv.Itoa(len(m.Media))
		n.data["author"] = m.Author
		recipients, err := pushRecipients(tx, c, m.Author)
		if err != nil {
			return nil, err
		}
		n.recipients = recipients
	case parley.PushAddedToConversation:
		n.sound = cfg.AddedToConversation.Sound
		template, fallback = cfg.AddedToConversation.Template, defaultAddedTemplate
		n.recipients = []string{f.Identity}
	case parley.PushRemovedFromConversation:
		n.sound = cfg.RemovedFromConversation.Sound
		template, fallback = cfg.RemovedFromConversation.Template, defaultRemovedTemplate
		n.recipients = []string{f.Identity}
	case parley.PushInvitedToChannel:
		vars["PARTICIPANT"] = a.displayName(tx, f.ServiceSID, f.Actor)
		n.sound = cfg.InvitedToChannel.Sound
		template, fallback = cfg.InvitedToChannel.Template, defaultInvitedTemplate
		n.recipients = []string{f.Identity}
	}
	tpl := fallback
	if template != nil && *template != "" {
		tpl = *template
	}
	for chat, conv := range chatPlaceholders {
		if v, ok := vars[conv]; ok {
			vars[chat] = v
		}
	}
	n.body = renderTemplate(tpl, vars)
	return n, nil
}

// chatPlaceholders are Chat's template placeholders
// (https://www.twilio.com/docs/chat/push-notification-configuration) and
// the Conversations ones they equal.
var chatPlaceholders = map[string]string{"USER": "PARTICIPANT", "USER_FRIENDLY_NAME": "PARTICIPANT_FRIENDLY_NAME",
	"CHANNEL": "CONVERSATION", "CHANNEL_SID": "CONVERSATION_SID", "CHANNEL_FRIENDLY_NAME": "CONVERSATION_FRIENDLY_NAME",
	"CHANNEL_UNIQUE_NAME": "CONVERSATION_UNIQUE_NAME"}

// chatKinds are Chat's names of the push kinds.
var chatKinds = map[string]string{parley.PushNewMessage: "new_message",
	parley.PushAddedToConversation: "added_to_channel", parley.PushRemovedFromConversation: "removed_from_channel",
	parley.PushInvitedToChannel: "invited_to_channel"}

// pushMessageType is a push's twi_message_type: twilio.conversations.* or,
// for an action through Chat, twilio.channel.*.
func pushMessageType(chat bool, kind string) string {
	if chat {
		return "twilio.channel." + chatKinds[kind]
	}
	return "twilio.conversations." + kind
}

// displayName is how a notification names an identity: its User's
// friendly name, else the identity (an SMS author is its address).
func (a *App) displayName(tx parley.Tx, serviceSID, identity string) string {
	if u, err := tx.User(serviceSID, identity); err == nil && u.FriendlyName != nil && *u.FriendlyName != "" {
		return *u.FriendlyName
	}
	return identity
}

// pushRecipients are the chat identities of c to notify of a message by
// author: every one but the author's, unless muted.
func pushRecipients(tx parley.Tx, c *parley.Conversation, author string) ([]string, error) {
	var out []string
	pr := parley.PageRequest{Size: 100}
	for {
		page, err := tx.ListParticipants(c.SID, pr)
		if err != nil {
			return nil, err
		}
		for _, p := range page.Items {
			if p.Identity == nil || *p.Identity == author {
				continue
			}
			m, err := tx.Membership(c, *p.Identity)
			if err != nil && !parley.IsNotFound(err) {
				return nil, err
			}
			if m != nil && m.NotificationLevel == parley.NotificationMuted {
				continue
			}
			out = append(out, *p.Identity)
		}
		if !page.More || len(page.Items) == 0 {
			return out, nil
		}
		pr.After = &page.Items[len(page.Items)-1].Seq
	}
}

// pushSends are the sends of n to identity's bindings registered for the
// kind.
func (a *App) pushSends(tx parley.Tx, cfg *parley.NotificationConfig, f *fanoutJob, n *notification, identity string) ([]sendJob, error) {
	var badge *int
	if n.withBadge {
		count, err := unreadConversations(tx, f.ServiceSID, identity)
		if err != nil {
			return nil, err
		}
		badge = &count
	}
	var out []sendJob
	pr := parley.PageRequest{Size: 50}
	filter := parley.BindingFilter{Identities: []string{identity},
		BindingTypes: []string{parley.BindingTypeAPN, parley.BindingTypeFCM, parley.BindingTypeGCM}}
	for {
		page, err := tx.ListBindings(f.ServiceSID, filter, pr)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Items {
			// The SDK registers full names (twilio.conversations.new_message),
			// REST fixtures show short ones (new_message).
			if len(b.MessageTypes) > 0 && !slices.Contains(b.MessageTypes, f.Kind) &&
				!slices.Contains(b.MessageTypes, chatKinds[f.Kind]) &&
				!slices.Contains(b.MessageTypes, pushMessageType(false, f.Kind)) &&
				!slices.Contains(b.MessageTypes, pushMessageType(true, f.Kind)) {
				continue
			}
			out = append(out, sendJob{AccountSID: f.AccountSID, ServiceSID: f.ServiceSID, BindingSID: b.SID,
				Identity: identity, Kind: f.Kind, Key: f.Key + "/" + b.SID, MessageType: n.messageType,
				Body: n.body, Sound: n.sound, Badge: badge, Data: n.data})
		}
		if !page.More || len(page.Items) == 0 {
			return out, nil
		}
		pr.After = &page.Items[len(page.Items)-1].Seq
	}
}

// unreadConversations is the badge count: how many of identity's
// conversations have messages after its read horizon (or any message and
// no horizon).
func unreadConversations(tx parley.Tx, serviceSID, identity string) (int, error) {
	count := 0
	pr := parley.PageRequest{Size: 100}
	for {
		page, err := tx.ListMemberships(serviceSID, parley.MembershipFilter{Identity: &identity, PrivateOnly: true}, pr)
		if err != nil {
			return 0, err
		}
		for _, m := range page.Items {
			last, read := m.Conversation.LastMessageIndex, m.Participant.LastReadMessageIndex
			if last != nil && (read == nil || *read < *last) {
				count++
			}
		}
		if !page.More || len(page.Items) == 0 {
			return count, nil
		}
		pr.After = &page.Items[len(page.Items)-1].Participant.Seq
	}
}

// renderTemplate fills a template's ${NAME} placeholders from vars; an
// unknown placeholder is left as written, so a typo shows in the
// notification.
func renderTemplate(template string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(template, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(template[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(template[:i])
		if v, ok := vars[template[i+2:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(template[i : i+j+1])
		}
		template = template[i+j+1:]
	}
	b.WriteString(template)
	return b.String()
}

func derefOr(s *string, or string) string {
	if s == nil {
		return or
	}
	return *s
}

// errPushRetry asks the job runner to send again later.
var errPushRetry = errors.New("push service asked to retry")

// RunPushSend is the handler of PushSendJobKind: it sends one notification
// through the transport and records the attempt for the inspector. A
// binding the service calls invalid is removed; a throttled or failing
// service is retried with the job runner's backoff.
func (a *App) RunPushSend(ctx context.Context, j *parley.Job) error {
	var s sendJob
	if err := json.Unmarshal(j.Payload, &s); err != nil {
		return parley.PermanentJobError(fmt.Errorf("push send payload: %w", err))
	}
	p, b, err := a.pushOf(ctx, &s)
	if parley.IsNotFound(err) {
		return nil // the binding was removed meanwhile
	}
	if err != nil {
		return err
	}
	res, sendErr := a.push.Send(ctx, p)
	d := &parley.PushDelivery{AccountSID: s.AccountSID, Key: s.Key, Kind: s.Kind, BindingSID: b.SID,
		BindingType: b.BindingType, Identity: s.Identity, Endpoint: b.Endpoint, Transport: res.Transport,
		Attempts: j.Attempts, Title: s.Title, Body: s.Body}
	if res.Status != 0 {
		d.Status = &res.Status
	}
	if len(res.Request) > 0 {
		req := string(res.Request)
		d.Request = &req
	}
	var outcome error
	switch {
	case sendErr != nil:
		d.Outcome, outcome = "retrying", sendErr
		detail := sendErr.Error()
		d.Detail = &detail
	case res.Invalid:
		d.Outcome = "invalid_token"
	case res.Retry:
		d.Outcome, outcome = "retrying", errPushRetry
	case res.Status/100 == 2:
		d.Outcome = "sent"
	default:
		d.Outcome, outcome = "failed", parley.PermanentJobError(fmt.Errorf("push refused: %d %s", res.Status, res.Detail))
	}
	if res.Detail != "" {
		d.Detail = &res.Detail
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		d.Date = tx.Now()
		if res.Invalid {
			if err := tx.DeleteBinding(s.ServiceSID, b.SID); err != nil && !parley.IsNotFound(err) {
				return err
			}
		}
		return tx.SavePushDelivery(d, keepPushDeliveries)
	})
	if err != nil {
		return err
	}
	return outcome
}

// pushOf reads what a send job sends: its binding and the binding's
// credential with its secrets opened (none: the simulator sends it).
func (a *App) pushOf(ctx context.Context, s *sendJob) (*parley.Push, *parley.Binding, error) {
	p := &parley.Push{Key: s.Key, AccountSID: s.AccountSID, BindingSID: s.BindingSID, MessageType: s.MessageType,
		Title: s.Title, Body: s.Body, Sound: s.Sound, Badge: s.Badge, Data: s.Data}
	var b *parley.Binding
	err := a.store.Read(ctx, func(tx parley.Tx) (err error) {
		if b, err = tx.Binding(s.ServiceSID, s.BindingSID); err != nil {
			return err
		}
		if b.CredentialSID == nil {
			return nil
		}
		p.Credential, err = tx.Credential(s.AccountSID, *b.CredentialSID)
		if parley.IsNotFound(err) {
			p.Credential, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	p.BindingType, p.Endpoint = b.BindingType, b.Endpoint
	if p.Credential != nil {
		if p.Secrets, err = a.open(p.Credential); err != nil {
			return nil, nil, err
		}
	}
	return p, b, nil
}

// RecentPushDeliveries lists the account's newest push inspector records.
func (a *App) RecentPushDeliveries(ctx context.Context, accountSID string) (out []parley.PushDelivery, err error) {
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		out, err = tx.RecentPushDeliveries(accountSID, keepPushDeliveries)
		return err
	})
	return out, err
}
