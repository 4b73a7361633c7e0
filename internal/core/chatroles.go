package core

import (
	"context"
	"slices"

	parley "github.com/parley-dev/parley"
)

// Chat and Conversations share the roles table. Rows hold Conversations'
// names; Chat reads and writes them through this one translation table
// (https://www.twilio.com/docs/chat/permissions,
// https://www.twilio.com/docs/conversations/api/role-resource).

// chatRoleTypes maps Chat's role types to the stored (Conversations) ones.
var chatRoleTypes = map[string]string{
	parley.ChatRoleTypeDeployment: parley.RoleTypeService,
	parley.ChatRoleTypeChannel:    parley.RoleTypeConversation,
}

// chatPermissionTwins maps each Chat permission that Conversations renamed
// to its Conversations name. Chat permissions absent here are stored as
// given: those both products spell alike (sendMessage, editAnyMessage...)
// and the Chat-only ones.
var chatPermissionTwins = map[string]string{
	"createChannel":           "createConversation",
	"joinChannel":             "joinConversation",
	"destroyChannel":          "deleteConversation",
	"editChannelAttributes":   "editConversationAttributes",
	"editChannelName":         "editConversationName",
	"addMember":               "addParticipant",
	"removeMember":            "removeParticipant",
	"editAnyMemberAttributes": "editAnyParticipantAttributes",
	"editOwnMemberAttributes": "editOwnParticipantAttributes",
	"leaveChannel":            "leaveConversation",
}

// chatOnlyPermissions are the Chat permissions Conversations lacks:
// inviteMember (Conversations has no invites). A role keeps them whichever
// API writes it; Conversations neither shows nor accepts them, as Twilio's
// Conversations catalogue has no such names, and its updates leave them on
// the role (UpdateRole).
var chatOnlyPermissions = []string{"inviteMember"}

// conversationsRoleView returns a stored role as Conversations shows it:
// without the Chat-only permissions.
func conversationsRoleView(r *parley.Role) *parley.Role {
	out := *r
	out.Permissions = slices.DeleteFunc(slices.Clone(r.Permissions),
		func(p string) bool { return slices.Contains(chatOnlyPermissions, p) })
	return &out
}

// conversationsPermissionTwins is chatPermissionTwins reversed.
var conversationsPermissionTwins = func() map[string]string {
	m := make(map[string]string, len(chatPermissionTwins))
	for chat, conv := range chatPermissionTwins {
		m[conv] = chat
	}
	return m
}()

// chatRolePermissions is Chat's permission catalogue per stored role type
// (the Chat default roles of the project reference, section 2).
var chatRolePermissions = map[string][]string{
	parley.RoleTypeService: {"createChannel", "joinChannel", "destroyChannel", "editChannelAttributes",
		"editChannelName", "addMember", "inviteMember", "removeMember", "editAnyMemberAttributes", "editAnyMessage",
		"deleteAnyMessage", "editAnyMessageAttributes", "editAnyUserInfo", "editOwnUserInfo"},
	parley.RoleTypeConversation: {"sendMessage", "sendMediaMessage", "leaveChannel", "editNotificationLevel",
		"addMember", "inviteMember", "removeMember", "editChannelName", "editChannelAttributes", "destroyChannel",
		"editAnyMessage", "editAnyMessageAttributes", "deleteAnyMessage", "editAnyMemberAttributes",
		"editOwnMemberAttributes", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage"},
}

// storedChatPermission returns the stored name of a permission given
// through Chat for a role of stored type typ. Chat accepts its own catalogue
// and, so that a role made in Conversations can be fetched and written back
// through Chat, the Conversations permissions that have no Chat twin
// (addNonChatParticipant, readChannelMetadata).
func storedChatPermission(typ, p string) (string, bool) {
	if slices.Contains(chatRolePermissions[typ], p) {
		if twin, ok := chatPermissionTwins[p]; ok {
			return twin, true
		}
		return p, true
	}
	_, renamed := conversationsPermissionTwins[p]
	return p, !renamed && slices.Contains(rolePermissions[typ], p)
}

// chatRoleView returns a copy of a stored role with Chat's type and
// permission names.
func chatRoleView(r *parley.Role) *parley.Role {
	out := *r
	out.Type = chatTypeName(r.Type)
	out.Permissions = make([]string, len(r.Permissions))
	for i, p := range r.Permissions {
		if twin, ok := conversationsPermissionTwins[p]; ok {
			p = twin
		}
		out.Permissions[i] = p
	}
	return &out
}

// chatTypeName is the Chat name of a stored role type.
func chatTypeName(stored string) string {
	for chat, s := range chatRoleTypes {
		if s == stored {
			return chat
		}
	}
	return stored
}

// chatRoleType translates a Chat role type to the stored one.
func chatRoleType(typ *string) (string, error) {
	if typ == nil || *typ == "" {
		return "", parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Type in the post body")
	}
	stored, ok := chatRoleTypes[*typ]
	if !ok {
		return "", parley.Errorf(parley.CodeInvalidParameter, "Type must be one of channel, deployment")
	}
	return stored, nil
}

// CreateChatRole creates a role given in Chat's names (type channel or
// deployment, Chat permissions) and returns it in Chat's names.
func (a *App) CreateChatRole(ctx context.Context, serviceSID string, f parley.RoleFields) (*parley.Role, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	typ, err := chatRoleType(f.Type)
	if err != nil {
		return nil, err
	}
	if err := validateNewRole(parley.RoleFields{FriendlyName: f.FriendlyName, Type: &typ}); err != nil {
		return nil, err
	}
	perms, err := checkPermissions(*f.Type, f.Permissions, func(p string) (string, bool) { return storedChatPermission(typ, p) })
	if err != nil {
		return nil, err
	}
	r, err := a.createRole(ctx, acct, serviceSID, *f.FriendlyName, typ, perms)
	if err != nil {
		return nil, err
	}
	return chatRoleView(r), nil
}

// ChatRole fetches a role in Chat's names.
func (a *App) ChatRole(ctx context.Context, serviceSID, sid string) (*parley.Role, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.role(ctx, acct, serviceSID, sid)
	if err != nil {
		return nil, err
	}
	return chatRoleView(r), nil
}

// ListChatRoles lists a service's roles in Chat's names.
func (a *App) ListChatRoles(ctx context.Context, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.Role], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Role]{}, err
	}
	page, err := a.listRoles(ctx, acct, serviceSID, pr)
	for i, r := range page.Items {
		page.Items[i] = chatRoleView(r)
	}
	return page, err
}

// UpdateChatRole replaces a role's permissions with ones given in Chat's
// names and returns the role in Chat's names.
func (a *App) UpdateChatRole(ctx context.Context, serviceSID, sid string, perms []string) (*parley.Role, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.updateRole(ctx, acct, serviceSID, sid, func(typ string, _ []string) ([]string, error) {
		return checkPermissions(chatTypeName(typ), perms,
			func(p string) (string, bool) { return storedChatPermission(typ, p) })
	})
	if err != nil {
		return nil, err
	}
	return chatRoleView(r), nil
}
