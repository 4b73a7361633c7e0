package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
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

// renderUser renders a user. is_online and is_notifiable stay null while
// reachability is off, as Twilio does.
func (a *API) renderUser(r *http.Request, u *parley.User) userJSON {
	url := a.root(r) + "/Users/" + u.SID
	return userJSON{SID: u.SID, AccountSID: u.AccountSID, ChatServiceSID: u.ServiceSID, RoleSID: u.RoleSID,
		Identity: u.Identity, FriendlyName: u.FriendlyName, Attributes: u.Attributes,
		DateCreated: twilioapi.NewTime(u.DateCreated), DateUpdated: twilioapi.NewTime(u.DateUpdated), URL: url,
		Links: map[string]string{"user_conversations": url + "/Conversations"}}
}

func userFields(p *twilioapi.Params) parley.UserFields {
	return parley.UserFields{Identity: p.String("Identity"), FriendlyName: p.String("FriendlyName"),
		Attributes: p.String("Attributes"), RoleSID: p.String("RoleSid")}
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	u, err := a.app.CreateUser(r.Context(), twilioapi.Account(r), serviceSID(r), userFields(p))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderUser(r, u) })
}

func (a *API) fetchUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.app.User(r.Context(), twilioapi.Account(r), serviceSID(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUser(r, u) })
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListUsers(r.Context(), twilioapi.Account(r), serviceSID(r), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "users", page.Items, page.More, func(u *parley.User) int64 { return u.Seq },
		func(u *parley.User) userJSON { return a.renderUser(r, u) })
	return nil
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	u, err := a.app.UpdateUser(r.Context(), twilioapi.Account(r), serviceSID(r), r.PathValue("Sid"), userFields(p))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderUser(r, u) })
}

func (a *API) deleteUser(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteUser(r.Context(), twilioapi.Account(r), serviceSID(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
