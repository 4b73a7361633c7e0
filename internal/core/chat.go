package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// Chat's documented limits (https://www.twilio.com/docs/chat/rest/service-resource).
const (
	maxChatLimit      = 1000
	maxWebhookRetries = 3
)

// apiCreator is the created_by of what the REST API makes.
var apiCreator = "system"

// validateChannelType accepts Chat's two channel types.
func validateChannelType(t *string) error {
	if t != nil && *t != parley.ChannelPublic && *t != parley.ChannelPrivate {
		return parley.Errorf(parley.CodeInvalidParameter, "Type must be one of public, private")
	}
	return nil
}

// CreateChannel creates a Chat channel: a conversation with a type (public
// unless asked, as Chat does) and a creator ("system" through the API). The
// conversation rules all apply.
func (a *App) CreateChannel(ctx context.Context, serviceSID string, f parley.ConversationFields) (*parley.Conversation, error) {
	if err := validateChannelType(f.Type); err != nil {
		return nil, err
	}
	if f.Type == nil {
		public := parley.ChannelPublic
		f.Type = &public
	}
	if nonEmpty(f.CreatedBy) == nil {
		f.CreatedBy = &apiCreator
	}
	return a.CreateConversation(ctx, serviceSID, f)
}

// ListChannels lists a service's channels of the given types, oldest first:
// both when both are given, public ones when none is ("defaults to public",
// the Chat v2 spec's Type parameter).
func (a *App) ListChannels(ctx context.Context, serviceSID string, types []string, p parley.PageRequest) (parley.Page[*parley.Conversation], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Conversation]{}, err
	}
	f := parley.ConversationFilter{Type: parley.ChannelPublic}
	for i := range types {
		if err := validateChannelType(&types[i]); err != nil {
			return parley.Page[*parley.Conversation]{}, err
		}
		if i == 0 || types[i] == f.Type {
			f.Type = types[i]
		} else {
			f.Type = ""
			break
		}
	}
	var page parley.Page[*parley.Conversation]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		page, err = tx.ListConversations(svc.SID, f, p)
		return err
	})
	return page, err
}

// MigrateChannel is Chat v3's channel update: it makes a public channel
// private (from then on it is a conversation Conversations sees) and sets
// its Messaging Service. A channel never becomes public again.
func (a *App) MigrateChannel(ctx context.Context, serviceSID, id string, typ, messagingServiceSID *string) (*parley.Conversation, error) {
	if typ != nil && *typ != parley.ChannelPrivate {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Type must be private: a channel can only be made private")
	}
	return a.UpdateConversation(ctx, serviceSID, id,
		parley.ConversationFields{Type: typ, MessagingServiceSID: messagingServiceSID})
}

// AddMember adds a member to a channel: a participant, with Chat's errors
// for an identity that is already a member (50404), a full channel (50403)
// and a user in as many channels as the service's limits.user_channels
// allows (50208).
func (a *App) AddMember(ctx context.Context, serviceSID, channelID string, f parley.ParticipantFields) (*parley.Participant, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	p, err := a.addParticipantVia(ctx, viaChat, acct, serviceSID, channelID, f)
	switch parley.ErrorCode(err) {
	case parley.CodeParticipantExists:
		return nil, parley.Errorf(parley.CodeMemberExists, "Member with specified Identity already exists in this Channel")
	case parley.CodeParticipantLimit:
		return nil, parley.Errorf(parley.CodeMemberLimit, "Channel member limit exceeded")
	case parley.CodeUserConversationLimit:
		return nil, parley.Errorf(parley.CodeUserChannelLimit, "User channel limit exceeded")
	}
	return p, err
}

// ListMembers lists a channel's members in the order they joined, only those
// of identities when given.
func (a *App) ListMembers(ctx context.Context, serviceSID, channelID string, identities []string, pr parley.PageRequest) (parley.Page[*parley.Participant], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Participant]{}, err
	}
	var page parley.Page[*parley.Participant]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		c, err := a.conversation(ctx, tx, acct, serviceSID, channelID)
		if err != nil {
			return err
		}
		page, err = tx.ListMembers(c.SID, identities, pr)
		return err
	})
	return page, err
}
