package core

import (
	"context"
	"slices"

	parley "github.com/parley-dev/parley"
)

// maxRoleNameLength is the spec's limit on a role's FriendlyName.
const maxRoleNameLength = 64

// rolePermissions is Twilio's permission catalogue per role type (see the
// roles-and-permissions digest in the project reference, and
// https://www.twilio.com/docs/conversations/api/role-resource#permission-values).
// readChannelMetadata is the newer conversation-scope permission that gates
// a message's channel metadata (error 50531).
var rolePermissions = map[string][]string{
	parley.RoleTypeService: {"createConversation", "joinConversation", "deleteConversation", "addParticipant",
		"removeParticipant", "editConversationAttributes", "editConversationName", "editAnyMessage",
		"editAnyMessageAttributes", "deleteAnyMessage", "editAnyParticipantAttributes", "editAnyUserInfo",
		"editOwnUserInfo"},
	parley.RoleTypeConversation: {"sendMessage", "sendMediaMessage", "leaveConversation", "addParticipant",
		"addNonChatParticipant", "removeParticipant", "editConversationAttributes", "editConversationName",
		"deleteConversation", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage", "editAnyMessage",
		"editAnyMessageAttributes", "deleteAnyMessage", "editOwnParticipantAttributes",
		"editAnyParticipantAttributes", "editNotificationLevel", "readChannelMetadata"},
}

// validPermissions checks a role's permission list against its type's
// catalogue and returns it without repeats, in the order given.
func validPermissions(typ string, perms []string) ([]string, error) {
	return checkPermissions(typ, perms, func(p string) (string, bool) { return p, slices.Contains(rolePermissions[typ], p) })
}

// checkPermissions maps each permission through accept, which returns the
// name to store and whether the permission is known for a typ role, and
// drops repeats, keeping the order given.
func checkPermissions(typ string, perms []string, accept func(string) (string, bool)) ([]string, error) {
	if len(perms) == 0 {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Permission in the post body")
	}
	out := make([]string, 0, len(perms))
	for _, p := range perms {
		stored, ok := accept(p)
		if !ok {
			return nil, parley.Errorf(parley.CodeUnknownPermission, "Unknown permission %q for a %s role", p, typ)
		}
		if !slices.Contains(out, stored) {
			out = append(out, stored)
		}
	}
	return out, nil
}

func validateNewRole(f parley.RoleFields) error {
	if f.FriendlyName == nil || *f.FriendlyName == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter FriendlyName in the post body")
	}
	if err := maxLength("FriendlyName", f.FriendlyName, maxRoleNameLength); err != nil {
		return err
	}
	if f.Type == nil || *f.Type == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Type in the post body")
	}
	if *f.Type != parley.RoleTypeService && *f.Type != parley.RoleTypeConversation {
		return parley.Errorf(parley.CodeInvalidParameter, "Type must be one of service, conversation")
	}
	return nil
}

// CreateRole creates a custom role in a service ("" = default).
func (a *App) CreateRole(ctx context.Context, serviceSID string, f parley.RoleFields) (*parley.Role, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateNewRole(f); err != nil {
		return nil, err
	}
	perms, err := validPermissions(*f.Type, f.Permissions)
	if err != nil {
		return nil, err
	}
	return a.createRole(ctx, acct, serviceSID, *f.FriendlyName, *f.Type, perms)
}

// createRole stores a role whose name, type and permissions were validated.
func (a *App) createRole(ctx context.Context, acct *parley.Account, serviceSID, name, typ string, perms []string) (*parley.Role, error) {
	var r *parley.Role
	err := a.store.Write(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		now := tx.Now()
		r = &parley.Role{SID: parley.NewSID(parley.PrefixRole), AccountSID: acct.SID, ServiceSID: svc.SID,
			FriendlyName: name, Type: typ, Permissions: perms, DateCreated: now, DateUpdated: now}
		if err := tx.CreateRole(r); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventRoleAdded, ServiceSID: svc.SID, Role: r})
	})
	return r, err
}

// Role fetches a role by SID, as Conversations shows it.
func (a *App) Role(ctx context.Context, serviceSID, sid string) (*parley.Role, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.role(ctx, acct, serviceSID, sid)
	if err != nil {
		return nil, err
	}
	return conversationsRoleView(r), nil
}

// role fetches a stored role by SID.
func (a *App) role(ctx context.Context, acct *parley.Account, serviceSID, sid string) (*parley.Role, error) {
	var r *parley.Role
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		r, err = tx.Role(svc.SID, sid)
		return err
	})
	return r, err
}

// ListRoles lists a service's roles, the four defaults first, as
// Conversations shows them.
func (a *App) ListRoles(ctx context.Context, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.Role], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Role]{}, err
	}
	page, err := a.listRoles(ctx, acct, serviceSID, pr)
	for i, r := range page.Items {
		page.Items[i] = conversationsRoleView(r)
	}
	return page, err
}

// listRoles lists a service's stored roles.
func (a *App) listRoles(ctx context.Context, acct *parley.Account, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.Role], error) {
	var page parley.Page[*parley.Role]
	err := a.store.Read(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		page, err = tx.ListRoles(svc.SID, pr)
		return err
	})
	return page, err
}

// UpdateRole replaces a role's permission list; name and type are fixed.
// The Chat-only permissions the role holds stay: Conversations neither shows
// nor accepts them, so a list written through it cannot mean to drop them.
func (a *App) UpdateRole(ctx context.Context, serviceSID, sid string, perms []string) (*parley.Role, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.updateRole(ctx, acct, serviceSID, sid, func(typ string, held []string) ([]string, error) {
		perms, err := validPermissions(typ, perms)
		for _, p := range held {
			if slices.Contains(chatOnlyPermissions, p) {
				perms = append(perms, p)
			}
		}
		return perms, err
	})
	if err != nil {
		return nil, err
	}
	return conversationsRoleView(r), nil
}

// updateRole replaces a role's permission list with what check returns for
// the role's type and the permissions it holds: the permissions are
// validated against the stored type, which only the transaction knows.
func (a *App) updateRole(ctx context.Context, acct *parley.Account, serviceSID, sid string, check func(typ string, held []string) ([]string, error)) (*parley.Role, error) {
	var r *parley.Role
	err := a.store.Write(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		if r, err = tx.Role(svc.SID, sid); err != nil {
			return err
		}
		old := *r
		if r.Permissions, err = check(r.Type, r.Permissions); err != nil {
			return err
		}
		r.DateUpdated = tx.Now()
		if err := tx.UpdateRole(r); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventRoleUpdated, ServiceSID: svc.SID, Role: r,
			Replaced: &parley.Replaced{Role: &old}})
	})
	return r, err
}

// DeleteRole deletes a role no one holds. A role held by a user or a
// participant, or named by the service configuration as a default, stays:
// deleting it would leave them pointing at nothing. Twilio documents no
// specific code for this case (the Role resource page and the error
// dictionary name none), so the refusal is the generic invalid-parameter
// error 20001 (HTTP 400).
func (a *App) DeleteRole(ctx context.Context, serviceSID, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		svc, err := service(tx, acct, serviceSID)
		if err != nil {
			return err
		}
		r, err := tx.Role(svc.SID, sid)
		if err != nil {
			return err
		}
		inUse, err := tx.RoleInUse(svc.SID, sid)
		if err != nil {
			return err
		}
		if inUse {
			return parley.Errorf(parley.CodeInvalidParameter,
				"Role %s is in use by a user, a participant or the service configuration and cannot be deleted", sid)
		}
		if err := tx.DeleteRole(svc.SID, sid); err != nil {
			return err
		}
		return a.emit(ctx, tx, acct, &parley.Event{Type: parley.EventRoleRemoved, ServiceSID: svc.SID, Role: r})
	})
}
