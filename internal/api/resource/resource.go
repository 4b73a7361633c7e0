// Package resource serves the five handlers of a service-scoped resource
// (create, fetch, list, update, delete) that Conversations v1 and Chat v2
// both show as the same rows: roles and users. A surface brings what
// differs: its core calls (Chat's translate names and answer Chat's
// codes), where the service SID is in the path, its page size, how it
// decodes fields and its JSON.
package resource

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Handlers serve one resource of type T, created and updated from fields
// F, rendered as J.
type Handlers[T, F, J any] struct {
	// Key names the list's items in a page ("roles", "users").
	Key         string
	PublicURL   string
	MaxPageSize int
	// Service is the request's service SID ("" on Conversations' short
	// routes, which mean the account's default service).
	Service func(r *http.Request) string
	// Fields decodes a create (update false) or an update.
	Fields func(p *twilioapi.Params, update bool) F
	Create func(ctx context.Context, serviceSID string, f F) (T, error)
	Fetch  func(ctx context.Context, serviceSID, sid string) (T, error)
	List   func(ctx context.Context, serviceSID string, pr parley.PageRequest) (parley.Page[T], error)
	Update func(ctx context.Context, serviceSID, sid string, f F) (T, error)
	Delete func(ctx context.Context, serviceSID, sid string) error
	Seq    func(T) int64
	Render func(r *http.Request, v T) J
	// RenderOne, when set, renders a single fetch in place of Render:
	// users show there what lists leave null (reachability).
	RenderOne func(r *http.Request, v T) (J, error)
}

// Register adds the resource's routes: path is its list ("…/Roles").
func (h *Handlers[T, F, J]) Register(rt *twilioapi.Routes, path string) {
	rt.Handle("GET", path, h.list)
	rt.Handle("POST", path, h.create)
	rt.Handle("GET", path+"/{Sid}", h.fetch)
	rt.Handle("POST", path+"/{Sid}", h.update)
	rt.Handle("DELETE", path+"/{Sid}", h.delete)
}

func (h *Handlers[T, F, J]) create(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	v, err := h.Create(r.Context(), h.Service(r), h.Fields(p, false))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return h.Render(r, v) })
}

func (h *Handlers[T, F, J]) fetch(w http.ResponseWriter, r *http.Request) error {
	v, err := h.Fetch(r.Context(), h.Service(r), r.PathValue("Sid"))
	if err == nil && h.RenderOne != nil {
		var j J
		j, err = h.RenderOne(r, v)
		return twilioapi.Reply(w, http.StatusOK, err, func() any { return j })
	}
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return h.Render(r, v) })
}

func (h *Handlers[T, F, J]) list(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, h.MaxPageSize)
	if err != nil {
		return err
	}
	page, err := h.List(r.Context(), h.Service(r), pg.Request)
	return twilioapi.ReplyList(w, r, h.PublicURL, pg, h.Key, page, err, h.Seq,
		func(v T) J { return h.Render(r, v) })
}

func (h *Handlers[T, F, J]) update(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	v, err := h.Update(r.Context(), h.Service(r), r.PathValue("Sid"), h.Fields(p, true))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return h.Render(r, v) })
}

func (h *Handlers[T, F, J]) delete(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, h.Delete(r.Context(), h.Service(r), r.PathValue("Sid")))
}

// RoleFields decodes a role create or update: an update changes only the
// permissions.
func RoleFields(p *twilioapi.Params, update bool) parley.RoleFields {
	if update {
		return parley.RoleFields{Permissions: p.Strings("Permission")}
	}
	return parley.RoleFields{FriendlyName: p.String("FriendlyName"), Type: p.String("Type"), Permissions: p.Strings("Permission")}
}

// UpdatePermissions adapts core's role update, which takes the permissions
// alone, to Handlers.Update.
func UpdatePermissions(update func(ctx context.Context, serviceSID, sid string, perms []string) (*parley.Role, error)) func(context.Context, string, string, parley.RoleFields) (*parley.Role, error) {
	return func(ctx context.Context, serviceSID, sid string, f parley.RoleFields) (*parley.Role, error) {
		return update(ctx, serviceSID, sid, f.Permissions)
	}
}

// RoleJSON is a role as both surfaces render it; only the service field's
// name differs (Conversations' chat_service_sid, Chat's service_sid), so
// each is left out when empty and a role sets exactly one.
type RoleJSON struct {
	SID            string         `json:"sid"`
	AccountSID     string         `json:"account_sid"`
	ChatServiceSID string         `json:"chat_service_sid,omitempty"`
	ServiceSID     string         `json:"service_sid,omitempty"`
	FriendlyName   string         `json:"friendly_name"`
	Type           string         `json:"type"`
	Permissions    []string       `json:"permissions"`
	DateCreated    twilioapi.Time `json:"date_created"`
	DateUpdated    twilioapi.Time `json:"date_updated"`
	URL            string         `json:"url"`
}

// RenderRole renders role under the roles list at rolesURL; chat names the
// service field as Chat does.
func RenderRole(role *parley.Role, rolesURL string, chat bool) RoleJSON {
	perms := role.Permissions
	if perms == nil {
		perms = []string{}
	}
	out := RoleJSON{SID: role.SID, AccountSID: role.AccountSID, FriendlyName: role.FriendlyName, Type: role.Type,
		Permissions: perms, DateCreated: twilioapi.NewTime(role.DateCreated), DateUpdated: twilioapi.NewTime(role.DateUpdated),
		URL: rolesURL + "/" + role.SID}
	if chat {
		out.ServiceSID = role.ServiceSID
	} else {
		out.ChatServiceSID = role.ServiceSID
	}
	return out
}

// RoleSeq is a role's keyset key.
func RoleSeq(role *parley.Role) int64 { return role.Seq }
