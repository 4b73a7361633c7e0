package chat

import (
	"net/http"
	"net/url"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Chat's bindings are the same push registrations as Conversations'
// bindings; a user's bindings are those of the user's identity.

// bindingFieldsJSON are the fields a service binding and a user binding
// share.
type bindingFieldsJSON struct {
	SID           string         `json:"sid"`
	AccountSID    string         `json:"account_sid"`
	ServiceSID    string         `json:"service_sid"`
	DateCreated   twilioapi.Time `json:"date_created"`
	DateUpdated   twilioapi.Time `json:"date_updated"`
	Endpoint      string         `json:"endpoint"`
	Identity      string         `json:"identity"`
	CredentialSID *string        `json:"credential_sid"`
	BindingType   string         `json:"binding_type"`
	MessageTypes  []string       `json:"message_types"`
	URL           string         `json:"url"`
}

type bindingJSON struct {
	bindingFieldsJSON
	Links map[string]string `json:"links"`
}

type userBindingJSON struct {
	bindingFieldsJSON
	UserSID string `json:"user_sid"`
}

func bindingFields(b *parley.Binding, url string) bindingFieldsJSON {
	types := b.MessageTypes
	if types == nil {
		types = []string{}
	}
	return bindingFieldsJSON{SID: b.SID, AccountSID: b.AccountSID, ServiceSID: b.ServiceSID,
		DateCreated: twilioapi.NewTime(b.DateCreated), DateUpdated: twilioapi.NewTime(b.DateUpdated),
		Endpoint: b.Endpoint, Identity: b.Identity, CredentialSID: b.CredentialSID, BindingType: b.BindingType,
		MessageTypes: types, URL: url}
}

// renderBinding renders a service binding, linked to its user by identity
// as Twilio does.
func (a *API) renderBinding(r *http.Request, b *parley.Binding) bindingJSON {
	return bindingJSON{bindingFields(b, a.serviceURL(r)+"/Bindings/"+b.SID),
		map[string]string{"user": a.serviceURL(r) + "/Users/" + url.PathEscape(b.Identity)}}
}

// renderUserBinding renders a binding under its user.
func (a *API) renderUserBinding(r *http.Request, u *parley.User, b *parley.Binding) userBindingJSON {
	return userBindingJSON{bindingFields(b, a.serviceURL(r)+"/Users/"+u.SID+"/Bindings/"+b.SID), u.SID}
}

// bindingFilter reads the list filters; both repeat
// (BindingType=apn&BindingType=fcm matches either).
func bindingFilter(p *twilioapi.Params) parley.BindingFilter {
	return parley.BindingFilter{BindingTypes: p.Strings("BindingType"), Identities: p.Strings("Identity")}
}

func (a *API) listBindings(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxDeliveryPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListBindings(r.Context(), service(r), bindingFilter(p), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "bindings", page.Items, page.More, bindingKey,
		func(b *parley.Binding) bindingJSON { return a.renderBinding(r, b) })
	return nil
}

func bindingKey(b *parley.Binding) int64 { return b.Seq }

func (a *API) fetchBinding(w http.ResponseWriter, r *http.Request) error {
	b, err := a.app.Binding(r.Context(), service(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderBinding(r, b) })
}

func (a *API) deleteBinding(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteBinding(r.Context(), service(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}

func (a *API) listUserBindings(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxDeliveryPageSize)
	if err != nil {
		return err
	}
	u, page, err := a.app.ListUserBindings(r.Context(), service(r), r.PathValue("UserSid"), bindingFilter(p), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "bindings", page.Items, page.More, bindingKey,
		func(b *parley.Binding) userBindingJSON { return a.renderUserBinding(r, u, b) })
	return nil
}

func (a *API) fetchUserBinding(w http.ResponseWriter, r *http.Request) error {
	u, b, err := a.app.UserBinding(r.Context(), service(r), r.PathValue("UserSid"), r.PathValue("Sid"))
	if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusOK, a.renderUserBinding(r, u, b))
	return nil
}

func (a *API) deleteUserBinding(w http.ResponseWriter, r *http.Request) error {
	err := a.app.DeleteUserBinding(r.Context(), service(r), r.PathValue("UserSid"), r.PathValue("Sid"))
	if err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
