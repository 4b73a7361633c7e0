// Package roles serves a service's roles, which Conversations
// (/v1/Roles, /v1/Services/{ChatServiceSid}/Roles) and Chat
// (/v2/Services/{ServiceSid}/Roles) expose as the same rows through the
// same handlers. A surface brings what differs: its core calls (Chat's
// translate type and permission names both ways), where the service SID
// is in the path, its page size and its JSON (the service field's name
// and the URL).
package roles

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Core is one surface's view of the role operations.
type Core struct {
	Create func(ctx context.Context, acct *parley.Account, serviceSID string, f parley.RoleFields) (*parley.Role, error)
	Fetch  func(ctx context.Context, acct *parley.Account, serviceSID, sid string) (*parley.Role, error)
	List   func(ctx context.Context, acct *parley.Account, serviceSID string, pr parley.PageRequest) (parley.Page[*parley.Role], error)
	Update func(ctx context.Context, acct *parley.Account, serviceSID, sid string, perms []string) (*parley.Role, error)
	Delete func(ctx context.Context, acct *parley.Account, serviceSID, sid string) error
}

// Surface is how one API shows roles.
type Surface[J any] struct {
	Core
	PublicURL   string
	MaxPageSize int
	// Service is the request's service SID ("" on Conversations' short
	// routes, which mean the account's default service).
	Service func(r *http.Request) string
	Render  func(r *http.Request, role *parley.Role) J
}

// Register adds the role routes under prefix (which ends before "/Roles").
func Register[J any](rt *twilioapi.Routes, prefix string, s *Surface[J]) {
	rt.Handle("GET", prefix+"/Roles", s.list)
	rt.Handle("POST", prefix+"/Roles", s.create)
	rt.Handle("GET", prefix+"/Roles/{Sid}", s.fetch)
	rt.Handle("POST", prefix+"/Roles/{Sid}", s.update)
	rt.Handle("DELETE", prefix+"/Roles/{Sid}", s.delete)
}

// Permissions are a role's permissions as rendered: never null.
func Permissions(role *parley.Role) []string {
	if role.Permissions == nil {
		return []string{}
	}
	return role.Permissions
}

func (s *Surface[J]) create(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	role, err := s.Create(r.Context(), twilioapi.Account(r), s.Service(r), parley.RoleFields{
		FriendlyName: p.String("FriendlyName"), Type: p.String("Type"), Permissions: p.Strings("Permission")})
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return s.Render(r, role) })
}

func (s *Surface[J]) fetch(w http.ResponseWriter, r *http.Request) error {
	role, err := s.Fetch(r.Context(), twilioapi.Account(r), s.Service(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return s.Render(r, role) })
}

func (s *Surface[J]) list(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, s.MaxPageSize)
	if err != nil {
		return err
	}
	page, err := s.List(r.Context(), twilioapi.Account(r), s.Service(r), pg.Request)
	return twilioapi.ReplyList(w, r, s.PublicURL, pg, "roles", page, err, func(role *parley.Role) int64 { return role.Seq },
		func(role *parley.Role) J { return s.Render(r, role) })
}

func (s *Surface[J]) update(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	role, err := s.Update(r.Context(), twilioapi.Account(r), s.Service(r), r.PathValue("Sid"), p.Strings("Permission"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return s.Render(r, role) })
}

func (s *Surface[J]) delete(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, s.Delete(r.Context(), twilioapi.Account(r), s.Service(r), r.PathValue("Sid")))
}
