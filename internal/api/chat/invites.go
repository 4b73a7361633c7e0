package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type inviteJSON struct {
	SID         string         `json:"sid"`
	AccountSID  string         `json:"account_sid"`
	ChannelSID  string         `json:"channel_sid"`
	ServiceSID  string         `json:"service_sid"`
	Identity    string         `json:"identity"`
	DateCreated twilioapi.Time `json:"date_created"`
	DateUpdated twilioapi.Time `json:"date_updated"`
	RoleSID     *string        `json:"role_sid"`
	CreatedBy   *string        `json:"created_by"`
	URL         string         `json:"url"`
}

func (a *API) renderInvite(r *http.Request, i *parley.Invite) inviteJSON {
	return inviteJSON{SID: i.SID, AccountSID: i.AccountSID, ChannelSID: i.ChannelSID, ServiceSID: i.ServiceSID,
		Identity: i.Identity, DateCreated: twilioapi.NewTime(i.DateCreated), DateUpdated: twilioapi.NewTime(i.DateUpdated),
		RoleSID: i.RoleSID, CreatedBy: i.CreatedBy, URL: a.channelURL(r, i.ServiceSID, i.ChannelSID) + "/Invites/" + i.SID}
}

func (a *API) createInvite(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	i, err := a.app.CreateInvite(r.Context(), service(r), r.PathValue("ChannelSid"),
		p.String("Identity"), p.String("RoleSid"))
	return respond(w, http.StatusCreated, i, err, func(i *parley.Invite) inviteJSON { return a.renderInvite(r, i) })
}

func (a *API) fetchInvite(w http.ResponseWriter, r *http.Request) error {
	i, err := a.app.Invite(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid"))
	return respond(w, http.StatusOK, i, err, func(i *parley.Invite) inviteJSON { return a.renderInvite(r, i) })
}

func (a *API) listInvites(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListInvites(r.Context(), service(r), r.PathValue("ChannelSid"),
		p.Strings("Identity"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "invites", page.Items, page.More, func(i *parley.Invite) int64 { return i.Seq },
		func(i *parley.Invite) inviteJSON { return a.renderInvite(r, i) })
	return nil
}

func (a *API) deleteInvite(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteInvite(r.Context(), service(r), r.PathValue("ChannelSid"), r.PathValue("Sid")))
}
