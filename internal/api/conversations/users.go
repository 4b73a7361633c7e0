package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/resource"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type userJSON struct {
	SID            string            `json:"sid"`
	AccountSID     string            `json:"account_sid"`
	ChatServiceSID string            `json:"chat_service_sid"`
	RoleSID        *string           `json:"role_sid"`
	Identity       string            `json:"identity"`
	FriendlyName   *string           `json:"friendly_name"`
	Attributes     string            `json:"attributes"`
	IsOnline       *bool             `json:"is_online"`
	IsNotifiable   *bool             `json:"is_notifiable"`
	DateCreated    twilioapi.Time    `json:"date_created"`
	DateUpdated    twilioapi.Time    `json:"date_updated"`
	URL            string            `json:"url"`
	Links          map[string]string `json:"links"`
}

// renderUser renders a user with is_online and is_notifiable null, as
// lists show them; a fetch fills them in (renderFetchedUser).
func (a *API) renderUser(r *http.Request, u *parley.User) userJSON {
	url := a.root(r) + "/Users/" + u.SID
	return userJSON{SID: u.SID, AccountSID: u.AccountSID, ChatServiceSID: u.ServiceSID, RoleSID: u.RoleSID,
		Identity: u.Identity, FriendlyName: u.FriendlyName, Attributes: u.Attributes,
		DateCreated: twilioapi.NewTime(u.DateCreated), DateUpdated: twilioapi.NewTime(u.DateUpdated), URL: url,
		Links: map[string]string{"user_conversations": url + "/Conversations"}}
}

// userFields reads a user create or update; core refuses an Identity on
// an update.
func userFields(p *twilioapi.Params, _ bool) parley.UserFields {
	return parley.UserFields{Identity: p.String("Identity"), FriendlyName: p.String("FriendlyName"),
		Attributes: p.String("Attributes"), RoleSID: p.String("RoleSid")}
}

// users are this surface's user handlers.
func (a *API) users() *resource.Handlers[*parley.User, parley.UserFields, userJSON] {
	return &resource.Handlers[*parley.User, parley.UserFields, userJSON]{
		Key: "users", PublicURL: a.publicURL, MaxPageSize: maxPageSize, Service: serviceSID, Fields: userFields,
		Create: a.app.CreateUser, Fetch: a.app.User, List: a.app.ListUsers, Update: a.app.UpdateUser, Delete: a.app.DeleteUser,
		Seq: func(u *parley.User) int64 { return u.Seq }, Render: a.renderUser, RenderOne: a.renderFetchedUser}
}

// renderFetchedUser is a fetched user with its reachability while the
// service's is on: only a single-user fetch reports it, lists show null
// (https://www.twilio.com/docs/conversations/api/user-resource).
func (a *API) renderFetchedUser(r *http.Request, u *parley.User) (userJSON, error) {
	out := a.renderUser(r, u)
	reach, err := a.app.Reachability(r.Context(), u.ServiceSID, u.SID)
	if reach != nil {
		out.IsOnline, out.IsNotifiable = reach.Online, reach.Notifiable
	}
	return out, err
}
