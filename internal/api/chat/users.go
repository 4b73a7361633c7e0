package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/resource"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type userJSON struct {
	SID                 string            `json:"sid"`
	AccountSID          string            `json:"account_sid"`
	ServiceSID          string            `json:"service_sid"`
	Attributes          string            `json:"attributes"`
	FriendlyName        *string           `json:"friendly_name"`
	RoleSID             *string           `json:"role_sid"`
	Identity            string            `json:"identity"`
	IsOnline            *bool             `json:"is_online"`
	IsNotifiable        *bool             `json:"is_notifiable"`
	DateCreated         twilioapi.Time    `json:"date_created"`
	DateUpdated         twilioapi.Time    `json:"date_updated"`
	JoinedChannelsCount int64             `json:"joined_channels_count"`
	Links               map[string]string `json:"links"`
	URL                 string            `json:"url"`
}

// renderUser renders a user with is_online and is_notifiable null, as
// lists show them; a fetch fills them in while the service's reachability
// is on (renderFetchedUser,
// https://www.twilio.com/docs/chat/reachability-indicator).
func (a *API) renderUser(r *http.Request, u *parley.ChatUser) userJSON {
	url := a.serviceURL(r) + "/Users/" + u.SID
	return userJSON{SID: u.SID, AccountSID: u.AccountSID, ServiceSID: u.ServiceSID, Attributes: u.Attributes,
		FriendlyName: u.FriendlyName, RoleSID: u.RoleSID, Identity: u.Identity,
		DateCreated: twilioapi.NewTime(u.DateCreated), DateUpdated: twilioapi.NewTime(u.DateUpdated),
		JoinedChannelsCount: u.JoinedChannelsCount, URL: url,
		Links: map[string]string{"user_channels": url + "/Channels", "user_bindings": url + "/Bindings"}}
}

// userFields reads a user create or update. X-Twilio-Webhook-Enabled is
// read by the shared webhook middleware.
func userFields(p *twilioapi.Params, update bool) parley.UserFields {
	f := parley.UserFields{Identity: p.String("Identity"), FriendlyName: p.String("FriendlyName"),
		Attributes: p.String("Attributes"), RoleSID: p.String("RoleSid")}
	if update {
		f.Identity = nil // the identity is fixed once created
	}
	return f
}

// users are this surface's user handlers.
func (a *API) users() *resource.Handlers[*parley.ChatUser, parley.UserFields, userJSON] {
	return &resource.Handlers[*parley.ChatUser, parley.UserFields, userJSON]{
		Key: "users", PublicURL: a.publicURL, MaxPageSize: maxPageSize, Service: service, Fields: userFields,
		Create: a.app.CreateChatUser, Fetch: a.app.ChatUser, List: a.app.ListChatUsers, Update: a.app.UpdateChatUser, Delete: a.app.DeleteUser,
		Seq: func(u *parley.ChatUser) int64 { return u.Seq }, Render: a.renderUser, RenderOne: a.renderFetchedUser}
}

// renderFetchedUser is a fetched user with its reachability while the
// service's is on; lists show null.
func (a *API) renderFetchedUser(r *http.Request, u *parley.ChatUser) (userJSON, error) {
	out := a.renderUser(r, u)
	reach, err := a.app.Reachability(r.Context(), u.ServiceSID, u.SID)
	if reach != nil {
		out.IsOnline, out.IsNotifiable = reach.Online, reach.Notifiable
	}
	return out, err
}
