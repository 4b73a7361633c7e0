package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type pushBindingJSON struct {
	SID            string         `json:"sid"`
	AccountSID     string         `json:"account_sid"`
	ChatServiceSID string         `json:"chat_service_sid"`
	CredentialSID  *string        `json:"credential_sid"`
	DateCreated    twilioapi.Time `json:"date_created"`
	DateUpdated    twilioapi.Time `json:"date_updated"`
	Endpoint       string         `json:"endpoint"`
	Identity       string         `json:"identity"`
	BindingType    string         `json:"binding_type"`
	MessageTypes   []string       `json:"message_types"`
	URL            string         `json:"url"`
}

func (a *API) renderBinding(r *http.Request, b *parley.Binding) pushBindingJSON {
	types := b.MessageTypes
	if types == nil {
		types = []string{}
	}
	return pushBindingJSON{SID: b.SID, AccountSID: b.AccountSID, ChatServiceSID: b.ServiceSID,
		CredentialSID: b.CredentialSID, DateCreated: twilioapi.NewTime(b.DateCreated),
		DateUpdated: twilioapi.NewTime(b.DateUpdated), Endpoint: b.Endpoint, Identity: b.Identity,
		BindingType: b.BindingType, MessageTypes: types, URL: a.root(r) + "/Bindings/" + b.SID}
}

func (a *API) listBindings(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	// Both filters repeat: BindingType=apn&BindingType=fcm matches either.
	f := parley.BindingFilter{BindingTypes: p.Strings("BindingType"), Identities: p.Strings("Identity")}
	page, err := a.app.ListBindings(r.Context(), serviceSID(r), f, pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "bindings", page.Items, page.More, func(b *parley.Binding) int64 { return b.Seq },
		func(b *parley.Binding) pushBindingJSON { return a.renderBinding(r, b) })
	return nil
}

func (a *API) fetchBinding(w http.ResponseWriter, r *http.Request) error {
	b, err := a.app.Binding(r.Context(), serviceSID(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderBinding(r, b) })
}

func (a *API) deleteBinding(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteBinding(r.Context(), serviceSID(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
