package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// Default role permissions, as Twilio creates them with every service: the
// Chat default roles of https://www.twilio.com/docs/chat/permissions (see the
// project reference), stored in Conversations' names, plus the
// Conversations-only addNonChatParticipant for the channel admin.
var (
	serviceAdminPermissions = []string{"createConversation", "joinConversation", "deleteConversation", "addParticipant",
		"inviteMember", "removeParticipant", "editConversationAttributes", "editConversationName", "editAnyMessage",
		"editAnyMessageAttributes", "deleteAnyMessage", "editAnyParticipantAttributes", "editAnyUserInfo"}
	serviceUserPermissions  = []string{"createConversation", "joinConversation", "editOwnUserInfo"}
	channelAdminPermissions = []string{"sendMessage", "sendMediaMessage", "leaveConversation", "addParticipant",
		"addNonChatParticipant", "inviteMember", "removeParticipant", "editConversationAttributes", "editConversationName",
		"deleteConversation", "editAnyMessage", "editAnyMessageAttributes", "deleteAnyMessage",
		"editAnyParticipantAttributes", "editNotificationLevel"}
	channelUserPermissions = []string{"sendMessage", "sendMediaMessage", "leaveConversation", "editOwnMessage",
		"editOwnMessageAttributes", "deleteOwnMessage", "editOwnParticipantAttributes", "editNotificationLevel"}
)

// createService creates a service with sid and its four default roles.
func createService(tx parley.Tx, accountSID, sid, name string) (*parley.Service, error) {
	now := tx.Now()
	svc := &parley.Service{SID: sid, AccountSID: accountSID, FriendlyName: name, Chat: parley.DefaultChatSettings(),
		DateCreated: now, DateUpdated: now}
	roles := []*parley.Role{
		{FriendlyName: "service admin", Type: parley.RoleTypeService, Permissions: serviceAdminPermissions},
		{FriendlyName: "service user", Type: parley.RoleTypeService, Permissions: serviceUserPermissions},
		{FriendlyName: "channel admin", Type: parley.RoleTypeConversation, Permissions: channelAdminPermissions},
		{FriendlyName: "channel user", Type: parley.RoleTypeConversation, Permissions: channelUserPermissions},
	}
	for _, r := range roles {
		r.SID, r.AccountSID, r.ServiceSID, r.DateCreated, r.DateUpdated = parley.NewSID(parley.PrefixRole), accountSID, sid, now, now
	}
	svc.DefaultChatServiceRoleSID = roles[1].SID
	svc.DefaultConversationCreatorRoleSID = roles[2].SID
	svc.DefaultConversationRoleSID = roles[3].SID
	if err := tx.CreateService(svc); err != nil {
		return nil, err
	}
	for _, r := range roles {
		if err := tx.CreateRole(r); err != nil {
			return nil, err
		}
	}
	return svc, nil
}

// CreateService creates a Conversation Service with its default roles.
func (a *App) CreateService(ctx context.Context, name *string) (*parley.Service, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if name == nil || *name == "" {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter FriendlyName in the post body")
	}
	if err := maxLength("FriendlyName", name, maxNameLength); err != nil {
		return nil, err
	}
	var svc *parley.Service
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		svc, err = createService(tx, acct.SID, parley.NewSID(parley.PrefixService), *name)
		return err
	})
	return svc, err
}

// Service fetches one service of the account.
func (a *App) Service(ctx context.Context, sid string) (*parley.Service, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var svc *parley.Service
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		svc, err = tx.Service(acct.SID, sid)
		return err
	})
	return svc, err
}

// ListServices lists the account's services.
func (a *App) ListServices(ctx context.Context, p parley.PageRequest) (parley.Page[*parley.Service], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Service]{}, err
	}
	var page parley.Page[*parley.Service]
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		page, err = tx.ListServices(acct.SID, p)
		return err
	})
	return page, err
}

// DeleteService deletes a service and everything in it. The account's
// default service cannot be deleted: the short routes would dangle.
func (a *App) DeleteService(ctx context.Context, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		current, err := tx.Account(acct.SID)
		if err != nil {
			return err
		}
		if current.DefaultServiceSID == sid {
			return parley.Errorf(parley.CodeServiceInUse,
				"Service %s is the account's default Conversation Service; set another DefaultChatServiceSid in /v1/Configuration before deleting it", sid)
		}
		if _, err := tx.Service(acct.SID, sid); err != nil {
			return err
		}
		if err := forgetMedia(tx, sid); err != nil {
			return err
		}
		// Emitted before the cascade, so consumers still read what it removes.
		if err := a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventServiceRemoved, ServiceSID: sid}); err != nil {
			return err
		}
		return tx.DeleteService(acct.SID, sid)
	})
}

// UpdateConfiguration changes the account-wide configuration.
func (a *App) UpdateConfiguration(ctx context.Context, f parley.ConfigurationFields) (*parley.Account, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateConfiguration(f); err != nil {
		return nil, err
	}
	var updated *parley.Account
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		// Locked: the row is rewritten whole, and a concurrent status change
		// (a suspension) must not be overwritten with the old status.
		if updated, err = tx.LockAccount(acct.SID); err != nil {
			return err
		}
		if f.DefaultServiceSID != nil {
			if _, err := tx.Service(acct.SID, *f.DefaultServiceSID); err != nil {
				return err
			}
			updated.DefaultServiceSID = *f.DefaultServiceSID
		}
		if f.DefaultMessagingServiceSID != nil {
			if err := checkMessagingService(tx, acct.SID, nonEmpty(f.DefaultMessagingServiceSID)); err != nil {
				return err
			}
			updated.DefaultMessagingServiceSID = nonEmpty(f.DefaultMessagingServiceSID)
		}
		if f.DefaultInactiveTimer != nil {
			updated.DefaultInactiveTimer = nonEmpty(f.DefaultInactiveTimer)
		}
		if f.DefaultClosedTimer != nil {
			updated.DefaultClosedTimer = nonEmpty(f.DefaultClosedTimer)
		}
		updated.DateUpdated = tx.Now()
		return tx.UpdateAccount(updated)
	})
	a.accounts.forget(acct.SID)
	return updated, err
}

func validateConfiguration(f parley.ConfigurationFields) error {
	if err := sidParam("DefaultChatServiceSid", f.DefaultServiceSID, parley.PrefixService); err != nil {
		return err
	}
	if f.DefaultServiceSID != nil && *f.DefaultServiceSID == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "DefaultChatServiceSid must not be empty")
	}
	if err := sidParam("DefaultMessagingServiceSid", f.DefaultMessagingServiceSID, parley.PrefixMessaging); err != nil {
		return err
	}
	return validateTimers(nonEmpty(f.DefaultInactiveTimer), nonEmpty(f.DefaultClosedTimer))
}

// Configuration returns the account's current configuration.
func (a *App) Configuration(ctx context.Context) (*parley.Account, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var current *parley.Account
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		current, err = tx.Account(acct.SID)
		return err
	})
	return current, err
}
