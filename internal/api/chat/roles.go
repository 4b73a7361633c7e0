package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
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

func (a *API) renderRole(r *http.Request, role *parley.Role) roleJSON {
	perms := role.Permissions
	if perms == nil {
		perms = []string{}
	}
	return roleJSON{SID: role.SID, AccountSID: role.AccountSID, ServiceSID: role.ServiceSID,
		FriendlyName: role.FriendlyName, Type: role.Type, Permissions: perms,
		DateCreated: twilioapi.NewTime(role.DateCreated), DateUpdated: twilioapi.NewTime(role.DateUpdated),
		URL: a.serviceURL(r) + "/Roles/" + role.SID}
}

func (a *API) createRole(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	role, err := a.app.CreateChatRole(r.Context(), twilioapi.Account(r), service(r), parley.RoleFields{
		FriendlyName: p.String("FriendlyName"), Type: p.String("Type"), Permissions: p.Strings("Permission")})
	if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusCreated, a.renderRole(r, role))
	return nil
}

func (a *API) fetchRole(w http.ResponseWriter, r *http.Request) error {
	role, err := a.app.ChatRole(r.Context(), twilioapi.Account(r), service(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderRole(r, role) })
}

func (a *API) listRoles(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListChatRoles(r.Context(), twilioapi.Account(r), service(r), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "roles", page.Items, page.More, func(role *parley.Role) int64 { return role.Seq },
		func(role *parley.Role) roleJSON { return a.renderRole(r, role) })
	return nil
}

func (a *API) updateRole(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	role, err := a.app.UpdateChatRole(r.Context(), twilioapi.Account(r), service(r), r.PathValue("Sid"), p.Strings("Permission"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderRole(r, role) })
}

func (a *API) deleteRole(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteRole(r.Context(), twilioapi.Account(r), service(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
