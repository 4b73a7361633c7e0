package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
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

// renderUser renders a user. is_online and is_notifiable stay null: Twilio
// reports null while the service's reachability is off and for users that
// never connected an SDK, and Parley tracks no presence yet
// (https://www.twilio.com/docs/chat/reachability-indicator).
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
func userFields(p *twilioapi.Params) parley.UserFields {
	return parley.UserFields{Identity: p.String("Identity"), FriendlyName: p.String("FriendlyName"),
		Attributes: p.String("Attributes"), RoleSID: p.String("RoleSid")}
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	u, err := a.app.CreateChatUser(r.Context(), twilioapi.Account(r), service(r), userFields(p))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderUser(r, u) })
}

func (a *API) fetchUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.app.ChatUser(r.Context(), twilioapi.Account(r), service(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUser(r, u) })
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListChatUsers(r.Context(), twilioapi.Account(r), service(r), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "users", page.Items, page.More, func(u *parley.ChatUser) int64 { return u.Seq },
		func(u *parley.ChatUser) userJSON { return a.renderUser(r, u) })
	return nil
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := userFields(p)
	f.Identity = nil // the identity is fixed once created
	u, err := a.app.UpdateChatUser(r.Context(), twilioapi.Account(r), service(r), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUser(r, u) })
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteUser(r.Context(), twilioapi.Account(r), service(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
