package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// roleOfType checks that roleSID names a role of the given type in the service.
func roleOfType(tx parley.Tx, serviceSID, roleSID, typ string) error {
	role, err := tx.Role(serviceSID, roleSID)
	if err != nil {
		return err
	}
	if role.Type != typ {
		return parley.Errorf(parley.CodeInvalidParameter, "Role %s is a %s role; a %s role is required", roleSID, role.Type, typ)
	}
	return nil
}

// participantRole checks a participant's (or invite's) RoleSid: an unknown
// role is Twilio's 50109 "Conversation role not found"
// (https://www.twilio.com/docs/api/errors/50109), which Chat answers as
// 50101 "Channel role not found".
func participantRole(tx parley.Tx, serviceSID, roleSID string) error {
	err := roleOfType(tx, serviceSID, roleSID, parley.RoleTypeConversation)
	if parley.IsNotFound(err) {
		return parley.ParamError(parley.CodeConversationRoleNotFound, "RoleSid", parley.ProblemNone, "Conversation role %s not found", roleSID)
	}
	return err
}

// userRole checks a user's RoleSid. An unknown one is the not-found it
// always was on Conversations (Twilio documents no code of its own there),
// marked as the RoleSid's so that Chat answers its 50100 "Role not found"
// (https://www.twilio.com/docs/api/errors/50100).
func userRole(tx parley.Tx, serviceSID, roleSID string) error {
	err := roleOfType(tx, serviceSID, roleSID, parley.RoleTypeService)
	if parley.IsNotFound(err) {
		return parley.ParamError(parley.CodeNotFound, "RoleSid", parley.ProblemNone, "Role %s not found", roleSID)
	}
	return err
}

func validateParticipant(f parley.ParticipantFields) error {
	if err := maxLength("Identity", f.Identity, maxIdentityLength); err != nil {
		return err
	}
	if f.LastReadMessageIndex != nil && *f.LastReadMessageIndex < 0 {
		return parley.Errorf(parley.CodeInvalidParameter, "LastReadMessageIndex must not be negative")
	}
	return sidParam("RoleSid", f.RoleSID, parley.PrefixRole)
}

// AddParticipant adds a chat participant to a conversation. A participant
// whose identity has no User yet gets one, with the service's default role:
// "Every Conversation Participant who connects with a Chat SDK is backed by
// a User" (https://www.twilio.com/docs/conversations/api/user-resource).
func (a *App) AddParticipant(ctx context.Context, serviceSID, conversationID string, f parley.ParticipantFields) (*parley.Participant, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return a.addParticipantVia(ctx, viaConversations, acct, serviceSID, conversationID, f)
}

// addParticipantVia is AddParticipant through the given API, whose
// per-identity conversation limit applies.
func (a *App) addParticipantVia(ctx context.Context, via api, acct *parley.Account, serviceSID, conversationID string, f parley.ParticipantFields) (*parley.Participant, error) {
	attrs, err := checkNewParticipant(f)
	if err != nil {
		return nil, err
	}
	// Twilio documents no overridable participant fields: the pre-event
	// can only reject.
	_, err = a.pre(ctx, acct, permit(serviceSID, conversationID, mayAddParticipant(&f)), func(tx parley.Tx) (*parley.Event, error) {
		c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return nil, err
		}
		p := &parley.Participant{ConversationSID: c.SID, Identity: f.Identity, Attributes: attrs, RoleSID: f.RoleSID}
		if isChannelParticipant(f) {
			p.MessagingBinding, _ = parseBinding(f) // validated by checkNewParticipant
		}
		return &parley.Event{Type: parley.EventParticipantAdd, ServiceSID: c.ServiceSID, Conversation: c, Participant: p}, nil
	})
	if err != nil {
		return nil, err
	}
	var p *parley.Participant
	err = a.write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		if p, err = a.addParticipant(ctx, tx, via, acct, c, f, attrs); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventParticipantAdded, ServiceSID: c.ServiceSID, Conversation: c, Participant: p})
	})
	return p, err
}

// participantEvent resolves a conversation and one of its participants into
// an event of type typ.
func (a *App) participantEvent(ctx context.Context, tx parley.Tx, acct *parley.Account, serviceSID, conversationID, id, typ string) (*parley.Event, error) {
	c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
	if err != nil {
		return nil, err
	}
	p, err := tx.Participant(c.SID, id)
	return &parley.Event{Type: typ, ServiceSID: c.ServiceSID, Conversation: c, Participant: p}, err
}

// checkNewParticipant validates an add request before any transaction and
// returns the participant's attributes.
func checkNewParticipant(f parley.ParticipantFields) (string, error) {
	if err := validateParticipant(f); err != nil {
		return "", err
	}
	if isChannelParticipant(f) {
		if _, err := parseBinding(f); err != nil {
			return "", err
		}
	} else if f.Identity == nil || *f.Identity == "" {
		return "", parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Identity in the post body")
	}
	return attributes(f.Attributes, maxParticipantAttributesBytes)
}

// addParticipant adds to c, inside tx, the participant that
// checkNewParticipant accepted, creating its User when needed.
func (a *App) addParticipant(ctx context.Context, tx parley.Tx, via api, acct *parley.Account, c *parley.Conversation, f parley.ParticipantFields, attrs string) (*parley.Participant, error) {
	// The conversation's row lock serialises adds to it, so that concurrent
	// adds count each other against the limit below, and holds off its
	// deletion until this add commits; a conversation deleted since c was
	// read is not found.
	locked, err := tx.LockConversation(c.SID)
	if err != nil {
		return nil, err
	}
	*c = *locked
	if err := notClosed(c); err != nil {
		return nil, err
	}
	svc, err := tx.Service(acct.SID, c.ServiceSID)
	if err != nil {
		return nil, err
	}
	// The service's channel member limit is Chat's limits.channel_members and
	// Conversations' participant limit alike: "100 by default, can be
	// increased to 1000" (https://www.twilio.com/docs/api/errors/50417).
	if c.MembersCount >= svc.Chat.ChannelMembersLimit {
		return nil, parley.Errorf(parley.CodeParticipantLimit, "Conversation %s already has %d participants, the service's limit",
			c.SID, svc.Chat.ChannelMembersLimit)
	}
	var binding *parley.MessagingBinding
	if isChannelParticipant(f) {
		if binding, err = parseBinding(f); err != nil {
			return nil, err
		}
		if err := checkChannelRoom(tx, c); err != nil {
			return nil, err
		}
		if err := bindEmail(c, binding); err != nil {
			return nil, err
		}
	}
	if err := checkGroupJoin(tx, acct, c, binding); err != nil {
		return nil, err
	}
	if f.Identity != nil { // a chat participant, perhaps with a projected address
		// The User's lock (ensureUser) makes concurrent joins of one identity
		// count each other against the user's conversation limit.
		if err := a.ensureUser(ctx, tx, acct, svc, *f.Identity); err != nil {
			return nil, err
		}
		if err := checkUserConversations(tx, via, svc, c, *f.Identity); err != nil {
			return nil, err
		}
	}
	role := svc.DefaultConversationRoleSID
	if f.RoleSID != nil {
		if err := participantRole(tx, svc.SID, *f.RoleSID); err != nil {
			return nil, err
		}
		role = *f.RoleSID
	}
	now := tx.Now()
	p := &parley.Participant{SID: parley.NewSID(parley.PrefixParticipant), AccountSID: acct.SID,
		ServiceSID: svc.SID, ConversationSID: c.SID, Identity: f.Identity, Attributes: attrs, MessagingBinding: binding,
		RoleSID: &role, LastReadMessageIndex: f.LastReadMessageIndex, LastReadTimestamp: f.LastReadTimestamp,
		DateCreated: now, DateUpdated: now}
	if p.LastReadMessageIndex != nil && p.LastReadTimestamp == nil {
		p.LastReadTimestamp = &now
	}
	applyDates(&p.DateCreated, &p.DateUpdated, f.DateCreated, f.DateUpdated)
	if err := tx.CreateParticipant(p); err != nil {
		return nil, err
	}
	if p.Identity == nil {
		return p, nil
	}
	// Joining a channel accepts a pending Chat invite.
	return p, tx.DeleteInvitesOf(c.SID, *p.Identity)
}

// api names the API a request came through, where the two enforce a rule
// differently on the same data.
type api int

const (
	viaConversations api = iota
	viaChat
)

// conversationsUserLimit is how many open (active or inactive) conversations
// one identity may take part in through the Conversations API: Twilio
// documents 1,000 per identity ("Conversations per Identity",
// https://www.twilio.com/docs/conversations/conversations-limits) with no
// setting to change it.
const conversationsUserLimit = 1000

// userConversationLimit is the limit of open conversations per identity that
// a request through via enforces. Chat's is the service's
// limits.user_channels ("Channels per User", 250 by default, at most 1,000,
// https://www.twilio.com/docs/chat/chat-limits); Conversations' is its fixed
// 1,000. Both count the same memberships, whichever API made them, so a
// Chat service with a lower limit refuses Chat joins that Conversations
// still accepts.
func userConversationLimit(via api, svc *parley.Service) int64 {
	if via == viaChat {
		return svc.Chat.UserChannelsLimit
	}
	return conversationsUserLimit
}

// checkUserConversations refuses to make identity a participant of c when it
// already takes part in as many other open conversations as the request's
// API allows (50214, "User conversation limit exceeded",
// https://www.twilio.com/docs/api/errors/50214; Chat's AddMember turns it
// into 50208). Closed conversations do not count
// (https://www.twilio.com/docs/conversations/states-timers).
func checkUserConversations(tx parley.Tx, via api, svc *parley.Service, c *parley.Conversation, identity string) error {
	n, err := tx.CountOpenMemberships(svc.SID, identity, c.SID)
	if err != nil {
		return err
	}
	if limit := userConversationLimit(via, svc); n >= limit {
		return parley.Errorf(parley.CodeUserConversationLimit, "User %s already takes part in %d conversations, the limit", identity, limit)
	}
	return nil
}

// ensureUser creates the service's User for identity if there is none (a
// concurrent request creating the same User is no error), emitting that it
// did, and holds it until the transaction ends.
func (a *App) ensureUser(ctx context.Context, tx parley.Tx, acct *parley.Account, svc *parley.Service, identity string) error {
	now := tx.Now()
	u := &parley.User{SID: parley.NewSID(parley.PrefixUser), AccountSID: svc.AccountSID,
		ServiceSID: svc.SID, Identity: identity, Attributes: emptyAttributes,
		RoleSID: &svc.DefaultChatServiceRoleSID, DateCreated: now, DateUpdated: now}
	created, err := tx.EnsureUser(u)
	if err != nil || !created {
		return err
	}
	return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventUserImplied, ServiceSID: svc.SID, User: u})
}

// Participant fetches a participant by SID or identity.
func (a *App) Participant(ctx context.Context, serviceSID, conversationID, id string) (*parley.Participant, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	return readConversation(ctx, a, acct, serviceSID, conversationID, func(tx parley.Tx, conversationSID string) (*parley.Participant, error) {
		return tx.Participant(conversationSID, id)
	})
}

// ListParticipants lists a conversation's participants in the order they joined.
func (a *App) ListParticipants(ctx context.Context, serviceSID, conversationID string, pr parley.PageRequest) (parley.Page[*parley.Participant], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Participant]{}, err
	}
	return readConversation(ctx, a, acct, serviceSID, conversationID, func(tx parley.Tx, conversationSID string) (parley.Page[*parley.Participant], error) {
		return tx.ListParticipants(conversationSID, pr)
	})
}

// UpdateParticipant changes a participant's attributes, role, identity or
// read horizon.
func (a *App) UpdateParticipant(ctx context.Context, serviceSID, conversationID, id string, f parley.ParticipantFields) (*parley.Participant, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateParticipant(f); err != nil {
		return nil, err
	}
	if isChannelParticipant(f) {
		return nil, parley.Errorf(parley.CodeInvalidParameter,
			"MessagingBinding.ProxyAddress and MessagingBinding.ProjectedAddress cannot be changed by an update yet")
	}
	if f.Identity != nil && *f.Identity == "" {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Identity must not be empty")
	}
	_, err = a.pre(ctx, acct, permit(serviceSID, conversationID, mayUpdateParticipant(id)), func(tx parley.Tx) (*parley.Event, error) {
		return a.participantEvent(ctx, tx, acct, serviceSID, conversationID, id, parley.EventParticipantUpdate)
	})
	if err != nil {
		return nil, err
	}
	var p *parley.Participant
	err = a.write(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err == nil {
			err = notClosed(c)
		}
		if err != nil {
			return err
		}
		if p, err = tx.Participant(c.SID, id); err != nil {
			return err
		}
		old := *p
		if f.Attributes != nil {
			if p.Attributes, err = attributes(f.Attributes, maxParticipantAttributesBytes); err != nil {
				return err
			}
		}
		if f.RoleSID != nil {
			if err := participantRole(tx, c.ServiceSID, *f.RoleSID); err != nil {
				return err
			}
			p.RoleSID = f.RoleSID
		}
		if f.Identity != nil && p.MessagingBinding != nil {
			// "You are trying to add an identity to a participant without
			// projected address" (https://www.twilio.com/docs/api/errors/50444).
			return parley.ParamError(parley.CodeIdentityNotAllowed, "Identity", parley.ProblemNone,
				"Participant %s is reached through %s: it cannot have an Identity", p.SID, p.MessagingBinding.Type)
		}
		if f.Identity != nil && (p.Identity == nil || *p.Identity != *f.Identity) {
			svc, err := tx.Service(acct.SID, c.ServiceSID)
			if err != nil {
				return err
			}
			if err := a.ensureUser(ctx, tx, acct, svc, *f.Identity); err != nil {
				return err
			}
			if err := checkUserConversations(tx, viaConversations, svc, c, *f.Identity); err != nil {
				return err
			}
			p.Identity = f.Identity
		}
		now := tx.Now()
		if f.LastReadMessageIndex != nil {
			p.LastReadMessageIndex, p.LastReadTimestamp = f.LastReadMessageIndex, &now
		}
		if f.LastReadTimestamp != nil {
			p.LastReadTimestamp = f.LastReadTimestamp
		}
		p.DateUpdated = now
		applyDates(&p.DateCreated, &p.DateUpdated, f.DateCreated, f.DateUpdated)
		if err := tx.UpdateParticipant(p); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventParticipantUpdated, ServiceSID: c.ServiceSID, Conversation: c, Participant: p,
			Replaced: &parley.Replaced{Participant: &old}})
	})
	return p, err
}

// RemoveParticipant removes a participant; their past messages stay.
func (a *App) RemoveParticipant(ctx context.Context, serviceSID, conversationID, id string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	_, err = a.pre(ctx, acct, permit(serviceSID, conversationID, mayRemoveParticipant(id)), func(tx parley.Tx) (*parley.Event, error) {
		return a.participantEvent(ctx, tx, acct, serviceSID, conversationID, id, parley.EventParticipantRemove)
	})
	if err != nil {
		return err
	}
	return a.write(ctx, func(tx parley.Tx) error {
		ev, err := a.participantEvent(ctx, tx, acct, serviceSID, conversationID, id, parley.EventParticipantRemoved)
		if err != nil {
			return err
		}
		if err := tx.DeleteParticipant(ev.Conversation.SID, ev.Participant.SID); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, ev)
	})
}
