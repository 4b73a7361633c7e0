package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/resource"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Chat's roles are the same rows as Conversations' roles; core translates
// types and permission names both ways, so these handlers see Chat's names.

type roleJSON struct {
	SID          string         `json:"sid"`
	AccountSID   string         `json:"account_sid"`
	ServiceSID   string         `json:"service_sid"`
	FriendlyName string         `json:"friendly_name"`
	Type         string         `json:"type"`
	Permissions  []string       `json:"permissions"`
	DateCreated  twilioapi.Time `json:"date_created"`
	DateUpdated  twilioapi.Time `json:"date_updated"`
	URL          string         `json:"url"`
}

// roles are this surface's role handlers.
func (a *API) roles() *resource.Handlers[*parley.Role, parley.RoleFields, roleJSON] {
	return &resource.Handlers[*parley.Role, parley.RoleFields, roleJSON]{
		Key: "roles", PublicURL: a.publicURL, MaxPageSize: maxPageSize, Service: service, Fields: resource.RoleFields,
		Create: a.app.CreateChatRole, Fetch: a.app.ChatRole, List: a.app.ListChatRoles, Update: resource.UpdatePermissions(a.app.UpdateChatRole),
		Delete: a.app.DeleteRole, Seq: resource.RoleSeq, Render: a.renderRole}
}

func (a *API) renderRole(r *http.Request, role *parley.Role) roleJSON {
	return roleJSON{SID: role.SID, AccountSID: role.AccountSID, ServiceSID: role.ServiceSID,
		FriendlyName: role.FriendlyName, Type: role.Type, Permissions: resource.Permissions(role),
		DateCreated: twilioapi.NewTime(role.DateCreated), DateUpdated: twilioapi.NewTime(role.DateUpdated),
		URL: a.serviceURL(r) + "/Roles/" + role.SID}
}
