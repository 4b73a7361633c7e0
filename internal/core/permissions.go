package core

import (
	"context"
	"slices"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Role permissions bind SDK users only: "Enforcement is for SDK (client)
// actions" — REST with account credentials acts as admin (see the roles
// section of https://www.twilio.com/docs/conversations/api/role-resource and
// https://www.twilio.com/docs/chat/permissions). An SDK user may do in a
// conversation what its User's service role and its participant's
// conversation role permit together; "Own" permissions cover what the
// identity wrote or is, "Any" permissions everyone's.

// grants is what an SDK caller may do in one service and, for actions on a
// conversation, in that conversation.
type grants struct {
	identity string
	svc      *parley.Service
	perms    []string
	// self is the caller's own participant in the conversation, nil when
	// it takes no part (or the action concerns no conversation).
	self *parley.Participant
}

// require refuses the action unless one of perms is granted (50107).
func (g *grants) require(action string, perms ...string) error {
	for _, p := range perms {
		if slices.Contains(g.perms, p) {
			return nil
		}
	}
	return parley.Errorf(parley.CodePermissionDenied, "User %s is not authorized to %s: its roles lack %s",
		g.identity, action, strings.Join(perms, " or "))
}

// addRole adds a role's permissions; a role deleted since it was assigned
// grants nothing.
func (g *grants) addRole(tx parley.Tx, sid *string) error {
	if sid == nil || *sid == "" {
		return nil
	}
	r, err := tx.Role(g.svc.SID, *sid)
	if parley.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	g.perms = append(g.perms, r.Permissions...)
	return nil
}

// own reports whether the participant p is the caller.
func (g *grants) own(p *parley.Participant) bool {
	return g.self != nil && p != nil && p.SID == g.self.SID
}

// check decides from the caller's grants whether an action may proceed; c
// is the conversation it concerns, nil for service-wide actions.
type check func(tx parley.Tx, g *grants, c *parley.Conversation) error

// guard is the permission check of one action: ck, for the conversation
// conversationID ("" for actions on no conversation) of a service.
type guard struct {
	serviceSID, conversationID string
	ck                         check
}

// permit names the check of an action for pre, which runs it in the read
// transaction it shares with the pre-event webhook's build.
func permit(serviceSID, conversationID string, ck check) *guard {
	return &guard{serviceSID: serviceSID, conversationID: conversationID, ck: ck}
}

// authorize runs the check for an SDK caller in a read transaction of its
// own, before the write, for operations without a pre-event (those with
// one pass their guard to pre). Admin callers pass unchecked, at no cost.
func (a *App) authorize(ctx context.Context, acct *parley.Account, serviceSID, conversationID string, ck check) error {
	caller := parley.CallerFrom(ctx)
	if caller.Admin() {
		return nil
	}
	return a.store.Read(ctx, func(tx parley.Tx) error {
		return a.authorizeIn(ctx, tx, acct, caller, permit(serviceSID, conversationID, ck))
	})
}

// authorizeIn runs g's check for an SDK caller inside tx, so that a
// refused action calls no webhook and changes nothing.
func (a *App) authorizeIn(ctx context.Context, tx parley.Tx, acct *parley.Account, caller *parley.Caller, g *guard) error {
	svc, err := service(tx, acct, g.serviceSID)
	if err != nil {
		return err
	}
	gr := &grants{identity: caller.Identity, svc: svc}
	role := &svc.DefaultChatServiceRoleSID
	switch u, err := tx.User(svc.SID, caller.Identity); {
	case err == nil && u.RoleSID != nil:
		role = u.RoleSID
	case err != nil && !parley.IsNotFound(err):
		return err
	}
	if err := gr.addRole(tx, role); err != nil {
		return err
	}
	var c *parley.Conversation
	if g.conversationID != "" {
		if c, err = a.conversation(ctx, tx, acct, g.serviceSID, g.conversationID); err != nil {
			return err
		}
		p, err := tx.Participant(c.SID, caller.Identity)
		switch {
		case err == nil && p.Identity != nil && *p.Identity == caller.Identity:
			gr.self = p
			if err := gr.addRole(tx, p.RoleSID); err != nil {
				return err
			}
		case err != nil && !parley.IsNotFound(err):
			return err
		}
	}
	return g.ck(tx, gr, c)
}

func mayCreateConversation(_ parley.Tx, g *grants, _ *parley.Conversation) error {
	return g.require("create a conversation", "createConversation")
}

func mayDeleteConversation(_ parley.Tx, g *grants, _ *parley.Conversation) error {
	return g.require("delete the conversation", "deleteConversation")
}

// mayUpdateConversation: the names need editConversationName, the
// attributes editConversationAttributes.
func mayUpdateConversation(f parley.ConversationFields) check {
	return func(_ parley.Tx, g *grants, _ *parley.Conversation) error {
		if f.FriendlyName != nil || f.UniqueName != nil {
			if err := g.require("rename the conversation", "editConversationName"); err != nil {
				return err
			}
		}
		if f.Attributes != nil {
			return g.require("change the conversation's attributes", "editConversationAttributes")
		}
		return nil
	}
}

// mayAddParticipant: joining (adding oneself) needs joinConversation or
// addParticipant, adding someone else addParticipant, an SMS or WhatsApp
// participant addNonChatParticipant. The identity that created a
// conversation joins it with the service's conversation creator role, as
// Twilio assigns default_conversation_creator_role_sid
// (https://www.twilio.com/docs/conversations/api/service-configuration-resource).
func mayAddParticipant(f *parley.ParticipantFields) check {
	return func(_ parley.Tx, g *grants, c *parley.Conversation) error {
		switch {
		case isChannelParticipant(*f):
			return g.require("add a non-chat participant", "addNonChatParticipant")
		case f.Identity == nil || *f.Identity != g.identity:
			return g.require("add a participant", "addParticipant")
		}
		if err := g.require("join the conversation", "joinConversation", "addParticipant"); err != nil {
			return err
		}
		if f.RoleSID == nil && c.CreatedBy != nil && *c.CreatedBy == g.identity {
			f.RoleSID = &g.svc.DefaultConversationCreatorRoleSID
		}
		return nil
	}
}

// mayUpdateParticipant: one's own attributes need
// editOwnParticipantAttributes (or the Any one), anyone else's
// editAnyParticipantAttributes.
func mayUpdateParticipant(id string) check {
	return func(tx parley.Tx, g *grants, c *parley.Conversation) error {
		p, err := tx.Participant(c.SID, id)
		if err != nil {
			return err
		}
		if g.own(p) {
			return g.require("change its participant's attributes", "editOwnParticipantAttributes", "editAnyParticipantAttributes")
		}
		return g.require("change another participant's attributes", "editAnyParticipantAttributes")
	}
}

// mayRemoveParticipant: leaving needs leaveConversation, removing someone
// else removeParticipant.
func mayRemoveParticipant(id string) check {
	return func(tx parley.Tx, g *grants, c *parley.Conversation) error {
		p, err := tx.Participant(c.SID, id)
		if err != nil {
			return err
		}
		if g.own(p) {
			return g.require("leave the conversation", "leaveConversation")
		}
		return g.require("remove a participant", "removeParticipant")
	}
}

func maySendMessage(f parley.MessageFields) check {
	return func(_ parley.Tx, g *grants, _ *parley.Conversation) error {
		if len(mediaSIDs(f)) > 0 {
			return g.require("send a media message", "sendMediaMessage")
		}
		return g.require("send a message", "sendMessage")
	}
}

// mayUpdateMessage: a body change needs editOwnMessage for the caller's
// own message or editAnyMessage, an attributes change the
// ...MessageAttributes pair likewise.
func mayUpdateMessage(sid string, f parley.MessageFields) check {
	return func(tx parley.Tx, g *grants, c *parley.Conversation) error {
		m, err := tx.Message(c.SID, sid)
		if err != nil {
			return err
		}
		own := m.Author == g.identity
		if f.Body != nil || f.Author != nil || f.Subject != nil {
			if err := g.require("edit the message", ownOrAny(own, "editOwnMessage", "editAnyMessage")...); err != nil {
				return err
			}
		}
		if f.Attributes != nil {
			return g.require("edit the message's attributes", ownOrAny(own, "editOwnMessageAttributes", "editAnyMessageAttributes")...)
		}
		return nil
	}
}

func mayDeleteMessage(sid string) check {
	return func(tx parley.Tx, g *grants, c *parley.Conversation) error {
		m, err := tx.Message(c.SID, sid)
		if err != nil {
			return err
		}
		return g.require("delete the message", ownOrAny(m.Author == g.identity, "deleteOwnMessage", "deleteAnyMessage")...)
	}
}

// mayUpdateUser: one's own user needs editOwnUserInfo (or the Any one),
// anyone else's editAnyUserInfo.
func mayUpdateUser(id string) check {
	return func(tx parley.Tx, g *grants, _ *parley.Conversation) error {
		u, err := tx.User(g.svc.SID, id)
		if err != nil {
			return err
		}
		return g.require("edit the user", ownOrAny(u.Identity == g.identity, "editOwnUserInfo", "editAnyUserInfo")...)
	}
}

// mayUpdateMembership: the notification level needs editNotificationLevel;
// one's read horizon needs nothing.
func mayUpdateMembership(f parley.MembershipFields) check {
	return func(_ parley.Tx, g *grants, _ *parley.Conversation) error {
		if f.NotificationLevel != nil {
			return g.require("change its notification level", "editNotificationLevel")
		}
		return nil
	}
}

// ownOrAny is the permissions that allow an action on the caller's own
// resource (either) or on another's (the Any one only).
func ownOrAny(own bool, ownPerm, anyPerm string) []string {
	if own {
		return []string{ownPerm, anyPerm}
	}
	return []string{anyPerm}
}
