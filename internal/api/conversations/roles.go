package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/resource"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type roleJSON struct {
	SID            string         `json:"sid"`
	AccountSID     string         `json:"account_sid"`
	ChatServiceSID string         `json:"chat_service_sid"`
	FriendlyName   string         `json:"friendly_name"`
	Type           string         `json:"type"`
	Permissions    []string       `json:"permissions"`
	DateCreated    twilioapi.Time `json:"date_created"`
	DateUpdated    twilioapi.Time `json:"date_updated"`
	URL            string         `json:"url"`
}

// roles are this surface's role handlers.
func (a *API) roles() *resource.Handlers[*parley.Role, parley.RoleFields, roleJSON] {
	return &resource.Handlers[*parley.Role, parley.RoleFields, roleJSON]{
		Key: "roles", PublicURL: a.publicURL, MaxPageSize: maxAccessPageSize, Service: serviceSID, Fields: resource.RoleFields,
		Create: a.app.CreateRole, Fetch: a.app.Role, List: a.app.ListRoles, Update: resource.UpdatePermissions(a.app.UpdateRole),
		Delete: a.app.DeleteRole, Seq: resource.RoleSeq, Render: a.renderRole}
}

func (a *API) renderRole(r *http.Request, role *parley.Role) roleJSON {
	return roleJSON{SID: role.SID, AccountSID: role.AccountSID, ChatServiceSID: role.ServiceSID,
		FriendlyName: role.FriendlyName, Type: role.Type, Permissions: resource.Permissions(role),
		DateCreated: twilioapi.NewTime(role.DateCreated), DateUpdated: twilioapi.NewTime(role.DateUpdated),
		URL: a.root(r) + "/Roles/" + role.SID}
}
