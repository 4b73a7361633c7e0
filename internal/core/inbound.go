package core

import (
	"context"
	"errors"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Reasons an inbound message is dropped. Twilio hands a message that
// matches no conversation and no auto-creating Address Configuration to the
// Messaging Service's own inbound handling, outside Conversations
// (https://www.twilio.com/docs/conversations/inbound-autocreation); Parley
// drops it and says why.
const (
	reasonNoConversation = "no open conversation has a participant with this address and proxy address, and no enabled Address Configuration auto-creates one for the number"
	reasonUnknownAccount = "unknown account"
	reasonNoGroup        = "no open group MMS conversation has exactly the sender and the recipients of this group message as members"
)

// Receive routes a message from a phone (parley.ChannelReceiver): into the
// open conversation whose participant holds the (From, To) pair, else into
// a conversation that To's Address Configuration auto-creates, else nowhere.
// The message's author is the phone's address, its Source the channel, and
// it goes on to the conversation's other non-chat participants. A message
// whose ChannelMessageSID was routed before (a provider's retry) is not
// added again: the answer is the first one's.
func (a *App) Receive(ctx context.Context, in *parley.InboundMessage) (*parley.InboundResult, error) {
	// The system acts for the account the message arrived for.
	ctx = parley.WithSystemCaller(ctx, &parley.Account{SID: in.AccountSID})
	if earlier, found, err := a.routedBefore(ctx, in); err != nil || found {
		return earlier, err // a retry is not shown to the pre-event webhook again
	}
	files, err := a.inboundMedia(ctx, in)
	if err != nil {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "%s", err.Error())
	}
	pre, err := a.preInbound(ctx, in, files)
	if err != nil || pre.refused != "" {
		a.dropInboundMedia(ctx, files)
		return &parley.InboundResult{Reason: pre.refused}, err
	}
	if pre.body != in.Body {
		changed := *in
		changed.Body, in = pre.body, &changed
	}
	var res *parley.InboundResult
	var queued, added bool
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		res, queued, added = &parley.InboundResult{}, false, false
		acct, err := tx.Account(in.AccountSID)
		if parley.IsNotFound(err) {
			res.Reason = reasonUnknownAccount
			return nil
		}
		if err != nil {
			return err
		}
		if in.ChannelMessageSID != "" {
			// A provider's retry of a message routed before: its first answer.
			if earlier, err := tx.RoutedInbound(acct.SID, in.ChannelMessageSID); err == nil || !parley.IsNotFound(err) {
				res = earlier
				return err
			}
		}
		source := channelSource(in.From)
		p, err := inboundParticipant(tx, acct.SID, in)
		if parley.IsNotFound(err) && isGroupInbound(in) {
			res.Reason = reasonNoGroup
			return nil
		}
		if parley.IsNotFound(err) {
			p, err = a.autoCreate(ctx, tx, acct, in, source, pre.friendlyName)
			if p == nil && err == nil {
				res.Reason = reasonNoConversation
				return nil
			}
		}
		if err != nil {
			return err
		}
		m, c, err := a.addInbound(ctx, tx, acct, p, in, source, files)
		if err != nil {
			return err
		}
		res.ConversationSID, res.MessageSID, added = &c.SID, &m.SID, true
		if in.ChannelMessageSID != "" {
			if err := tx.RecordInbound(acct.SID, in.ChannelMessageSID, c.SID, m.SID, tx.Now()); err != nil {
				return err
			}
		}
		if isGroupInbound(in) {
			return nil // the carrier's group carried it to the other phones
		}
		queued, err = enqueueDeliveries(tx, c, m)
		return err
	})
	if err != nil || !added { // dropped, or a repeat found in the write
		a.dropInboundMedia(ctx, files)
	}
	if err == nil && a.hooks != nil {
		a.hooks.Notify()
	}
	a.wakeChannels(err == nil && queued)
	return res, err
}

// inboundPre is what the pre-event webhook made of an inbound message:
// the body to add, the friendly name of a conversation it auto-creates,
// or why it refused the message.
type inboundPre struct {
	body         string
	friendlyName *string
	refused      string
}

// preInbound calls the pre-event webhook of an inbound message, with the
// channel as Source: onMessageAdd for a message bound for a conversation
// that exists, as for any other message add (a body it answers replaces
// the phone's); onConversationAdd, with the message's body, media and
// number pair, for one that auto-creates its conversation, which fires no
// onMessageAdd or onParticipantAdd (a friendly_name it answers names the
// new conversation) (https://www.twilio.com/docs/conversations/inbound-autocreation).
// A refusal drops the message: refused says why.
func (a *App) preInbound(ctx context.Context, in *parley.InboundMessage, files []inboundFile) (inboundPre, error) {
	pre := inboundPre{body: in.Body}
	if a.hooks == nil {
		return pre, nil
	}
	var call parley.PreCall
	var event string
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		ev, err := inboundPreEvent(tx, in, files)
		if err != nil || ev == nil {
			call = nil
			return err
		}
		event = ev.Type
		call, err = a.hooks.PreTarget(tx, ev)
		return err
	})
	if err != nil || call == nil {
		return pre, err
	}
	o, err := call(ctx)
	var perr *parley.Error
	if errors.As(err, &perr) {
		pre.refused = "the " + event + " pre-event webhook refused it: " + perr.Message
		return pre, nil
	}
	if err != nil {
		return pre, err
	}
	b := &pre.body
	override(o, "body", &b)
	if b != nil && event == parley.EventMessageAdd {
		pre.body = *b
	}
	if event == parley.EventConversationAdd {
		override(o, "friendly_name", &pre.friendlyName)
		if err := validateConversation(parley.ConversationFields{FriendlyName: pre.friendlyName}); err != nil {
			pre.refused = "the onConversationAdd pre-event webhook answered an invalid friendly_name: " + err.Error()
		}
	}
	return pre, nil
}

// inboundPreEvent is the pre-event of an inbound message: onMessageAdd into
// the conversation of its number pair, onConversationAdd when an Address
// Configuration auto-creates one, nil when it will be dropped.
func inboundPreEvent(tx parley.Tx, in *parley.InboundMessage, files []inboundFile) (*parley.Event, error) {
	body := in.Body
	m := &parley.Message{Author: in.From, Body: &body, Attributes: "{}"}
	withInboundMedia(m, files)
	ev := &parley.Event{AccountSID: in.AccountSID, Source: channelSource(in.From), Message: m}
	p, err := inboundParticipant(tx, in.AccountSID, in)
	if err == nil {
		c, err := tx.Conversation(p.ServiceSID, p.ConversationSID)
		if err != nil {
			return nil, err
		}
		m.ConversationSID, m.ServiceSID, m.ParticipantSID = c.SID, c.ServiceSID, &p.SID
		ev.Type, ev.ServiceSID, ev.Conversation, ev.Participant = parley.EventMessageAdd, c.ServiceSID, c, p
		return ev, nil
	}
	if !parley.IsNotFound(err) {
		return nil, err
	}
	if isGroupInbound(in) {
		return nil, nil // a group message to no group is dropped
	}
	c, err := autoCreated(tx, in)
	if c == nil || err != nil {
		return nil, err
	}
	from, to := in.From, in.To
	ev.Type, ev.ServiceSID, ev.Conversation = parley.EventConversationAdd, c.ServiceSID, c
	ev.Participant = &parley.Participant{MessagingBinding: &parley.MessagingBinding{Type: channelOf(from), Address: &from, ProxyAddress: &to}}
	return ev, nil
}

// autoCreated is the conversation that in would auto-create, as it would
// be before it exists; nil when no enabled Address Configuration of its To
// address auto-creates one.
func autoCreated(tx parley.Tx, in *parley.InboundMessage) (*parley.Conversation, error) {
	acct, err := tx.Account(in.AccountSID)
	if parley.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cfg, err := tx.AddressConfig(acct.SID, in.To)
	if parley.IsNotFound(err) || (err == nil && !cfg.AutoCreation.Enabled) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	serviceSID := acct.DefaultServiceSID
	if cfg.AutoCreation.ConversationServiceSID != nil {
		serviceSID = *cfg.AutoCreation.ConversationServiceSID
	}
	c := &parley.Conversation{AccountSID: acct.SID, ServiceSID: serviceSID, Attributes: "{}", State: parley.StateActive}
	mg, err := senderService(tx, acct.SID, in.To)
	if err != nil {
		return nil, err
	}
	c.MessagingServiceSID = nonEmpty(&mg)
	if c.MessagingServiceSID == nil {
		c.MessagingServiceSID = acct.DefaultMessagingServiceSID
	}
	return c, nil
}

// inboundParticipant is the participant an inbound message comes from:
// the one holding its (From, To) pair, or for a group MMS the phone From in
// the open group whose members are exactly From and the recipients
// (https://www.twilio.com/docs/conversations/inbound-autocreation).
func inboundParticipant(tx parley.Tx, accountSID string, in *parley.InboundMessage) (*parley.Participant, error) {
	if !isGroupInbound(in) {
		return tx.BoundParticipant(accountSID, in.From, in.To)
	}
	sid, err := groupWith(tx, accountSID, append([]string{in.From}, in.Recipients...), "")
	if err != nil {
		return nil, err
	}
	if sid != "" {
		members, err := tx.GroupMembers(sid)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if m.MessagingBinding.IsGroupPhone() && *m.MessagingBinding.Address == in.From {
				return m, nil
			}
		}
	}
	return nil, parley.NotFound("Participant", in.From)
}

// isGroupInbound reports whether in is a group MMS: sent to more than one address.
func isGroupInbound(in *parley.InboundMessage) bool { return len(in.Recipients) > 1 }

// routedBefore is where a message with in's ChannelMessageSID went, when
// one was routed before. Receive checks again in its write, for a repeat
// that arrives meanwhile.
func (a *App) routedBefore(ctx context.Context, in *parley.InboundMessage) (earlier *parley.InboundResult, found bool, err error) {
	if in.ChannelMessageSID == "" {
		return nil, false, nil
	}
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		r, err := tx.RoutedInbound(in.AccountSID, in.ChannelMessageSID)
		if parley.IsNotFound(err) {
			return nil
		}
		earlier, found = r, err == nil
		return err
	})
	return earlier, found, err
}

// addInbound posts in as participant p's message.
func (a *App) addInbound(ctx context.Context, tx parley.Tx, acct *parley.Account, p *parley.Participant, in *parley.InboundMessage, source string, files []inboundFile) (*parley.Message, *parley.Conversation, error) {
	c, idx, err := tx.ReserveMessageIndex(p.ServiceSID, p.ConversationSID)
	if err != nil {
		return nil, nil, err
	}
	if err := a.acceptMessage(ctx, tx, acct, c); err != nil {
		return nil, nil, err
	}
	now := tx.Now()
	body := in.Body
	m := &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: acct.SID, ServiceSID: c.ServiceSID,
		ConversationSID: c.SID, Index: idx, Author: in.From, Body: &body, Attributes: "{}", ParticipantSID: &p.SID,
		DateCreated: now, DateUpdated: now}
	withInboundMedia(m, files)
	if err := tx.CreateMessage(m); err != nil {
		return nil, nil, err
	}
	if err := recordInboundMedia(tx, m); err != nil {
		return nil, nil, err
	}
	err = a.postChannelEvent(tx, acct.SID, source, &parley.Event{Type: parley.EventMessageAdded, ServiceSID: c.ServiceSID,
		Conversation: c, Message: m, Participant: p})
	return m, c, err
}

// autoCreate makes a conversation for an inbound message that matches none,
// as the Address Configuration of its To address says: nil when there is
// no enabled one. The new conversation gets the phone as participant and
// fires onConversationAdded (and onParticipantAdded) with the channel as
// Source (https://www.twilio.com/docs/conversations/inbound-autocreation).
func (a *App) autoCreate(ctx context.Context, tx parley.Tx, acct *parley.Account, in *parley.InboundMessage, source string, friendlyName *string) (*parley.Participant, error) {
	cfg, err := tx.AddressConfig(acct.SID, in.To)
	if parley.IsNotFound(err) || (err == nil && !cfg.AutoCreation.Enabled) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	serviceSID := ""
	if cfg.AutoCreation.ConversationServiceSID != nil {
		serviceSID = *cfg.AutoCreation.ConversationServiceSID
	}
	f := parley.ConversationFields{FriendlyName: friendlyName}
	if channelOf(in.To) == parley.BindingEmail {
		// Mail to the conversation comes from the address it was sent to.
		f.EmailAddress = &in.To
	}
	if mg, err := senderService(tx, acct.SID, in.To); err != nil {
		return nil, err
	} else if mg != "" {
		f.MessagingServiceSID = &mg
	}
	c, err := createConversation(tx, acct, serviceSID, f, "{}")
	if err != nil {
		return nil, err
	}
	if c.MessagingServiceSID == nil {
		// The number's pool names no service and the account has no
		// default: the phone could not be reached in this conversation.
		return nil, parley.Errorf(parley.CodeNoMessagingService,
			"Auto-creation for %s needs a Messaging Service: add the number to one, or set the account's default", in.To)
	}
	if err := a.autoCreationWebhook(tx, c, cfg); err != nil {
		return nil, err
	}
	pf := parley.ParticipantFields{Address: &in.From, ProxyAddress: &in.To}
	if c.EmailAddress != nil {
		pf.ProxyAddress = nil // email's sender is the conversation's
	}
	p, err := a.addParticipant(ctx, tx, viaConversations, acct, c, pf, "{}")
	if err != nil {
		return nil, err
	}
	if err := a.postChannelEvent(tx, acct.SID, source, &parley.Event{Type: parley.EventConversationAdded, ServiceSID: c.ServiceSID, Conversation: c}); err != nil {
		return nil, err
	}
	return p, a.postChannelEvent(tx, acct.SID, source, &parley.Event{Type: parley.EventParticipantAdded, ServiceSID: c.ServiceSID, Conversation: c, Participant: p})
}

// senderService is the Messaging Service whose sender pool holds the
// number an address belongs to ("" when none does).
func senderService(tx parley.Tx, accountSID, address string) (string, error) {
	number := strings.TrimPrefix(address, parley.WhatsAppPrefix)
	page, err := tx.ListPhoneNumbers(accountSID, parley.PhoneNumberFilter{PhoneNumber: &number}, parley.PageRequest{Size: 1})
	if err != nil || len(page.Items) == 0 {
		return "", err
	}
	mg, err := tx.SenderService(page.Items[0].SID)
	if parley.IsNotFound(err) {
		return "", nil
	}
	return mg, err
}

// channelSource is the webhook Source of a message from address.
func channelSource(address string) string {
	return sourceOfChannel(channelOf(address))
}

// sourceOfChannel is the webhook Source of a binding type's messages.
func sourceOfChannel(binding string) string {
	switch binding {
	case parley.BindingWhatsApp:
		return "WHATSAPP"
	case parley.BindingEmail:
		return "EMAIL"
	}
	return "SMS"
}

// autoCreationWebhook gives a conversation that a webhook- or studio-type
// Address Configuration created its conversation-scoped webhook, so that
// the configured URL or Flow hears about it
// (https://www.twilio.com/docs/conversations/api/address-configuration-resource).
func (a *App) autoCreationWebhook(tx parley.Tx, c *parley.Conversation, cfg *parley.AddressConfig) error {
	auto := cfg.AutoCreation
	if auto.Type == nil || *auto.Type == "default" {
		return nil
	}
	now := tx.Now()
	w := &parley.ScopedWebhook{SID: parley.NewSID(parley.PrefixScopedWebhook), AccountSID: c.AccountSID,
		ServiceSID: c.ServiceSID, ConversationSID: c.SID, Target: *auto.Type, URL: auto.WebhookURL,
		Method: auto.WebhookMethod, Filters: auto.WebhookFilters, Triggers: []string{}, FlowSID: auto.StudioFlowSID, DateCreated: now, DateUpdated: now}
	if w.Filters == nil {
		w.Filters = []string{}
	}
	if auto.StudioRetryCount != nil {
		w.RetryCount = *auto.StudioRetryCount
	}
	return tx.CreateScopedWebhook(w)
}
