package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/resource"
)

// Chat's roles are the same rows as Conversations' roles; core translates
// types and permission names both ways, so these handlers see Chat's names.

// roles are this surface's role handlers.
func (a *API) roles() *resource.Handlers[*parley.Role, parley.RoleFields, resource.RoleJSON] {
	return &resource.Handlers[*parley.Role, parley.RoleFields, resource.RoleJSON]{
		Key: "roles", PublicURL: a.publicURL, MaxPageSize: maxPageSize, Service: service, Fields: resource.RoleFields,
		Create: a.app.CreateChatRole, Fetch: a.app.ChatRole, List: a.app.ListChatRoles, Update: resource.UpdatePermissions(a.app.UpdateChatRole),
		Delete: a.app.DeleteRole, Seq: resource.RoleSeq,
		Render: func(r *http.Request, role *parley.Role) resource.RoleJSON {
			return resource.RenderRole(role, a.serviceURL(r)+"/Roles", true)
		}}
}
