package parley

import "time"

// Role types.
const (
	RoleTypeService      = "service"
	RoleTypeConversation = "conversation"
)

// Programmable Chat role types: Chat names the scopes of the same role rows
// differently (deployment is Conversations' service scope, channel its
// conversation scope).
const (
	ChatRoleTypeDeployment = "deployment"
	ChatRoleTypeChannel    = "channel"
)

// Role is a named set of permissions at service or conversation scope.
type Role struct {
	Seq          int64
	SID          string
	AccountSID   string
	ServiceSID   string
	FriendlyName string
	Type         string
	Permissions  []string
	DateCreated  time.Time
	DateUpdated  time.Time
}

// RoleFields are the writable fields of a role. Permissions replace the
// role's whole list when given.
type RoleFields struct {
	FriendlyName *string
	Type         *string
	Permissions  []string
}

// RoleTx keeps roles.
type RoleTx interface {
	CreateRole(r *Role) error
	Role(serviceSID, sid string) (*Role, error)
	// ListRoles pages a service's roles in creation order.
	ListRoles(serviceSID string, p PageRequest) (Page[*Role], error)
	// UpdateRole writes a role's permissions and date_updated.
	UpdateRole(r *Role) error
	DeleteRole(serviceSID, sid string) error
	// RoleInUse reports whether a user, a participant or one of the
	// service's default role SIDs refers to the role.
	RoleInUse(serviceSID, sid string) (bool, error)
}
