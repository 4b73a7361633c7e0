package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/resource"
)

// roles are this surface's role handlers.
func (a *API) roles() *resource.Handlers[*parley.Role, parley.RoleFields, resource.RoleJSON] {
	return &resource.Handlers[*parley.Role, parley.RoleFields, resource.RoleJSON]{
		Key: "roles", PublicURL: a.publicURL, MaxPageSize: maxAccessPageSize, Service: serviceSID, Fields: resource.RoleFields,
		Create: a.app.CreateRole, Fetch: a.app.Role, List: a.app.ListRoles, Update: resource.UpdatePermissions(a.app.UpdateRole),
		Delete: a.app.DeleteRole, Seq: resource.RoleSeq,
		Render: func(r *http.Request, role *parley.Role) resource.RoleJSON {
			return resource.RenderRole(role, a.root(r)+"/Roles", false)
		}}
}
