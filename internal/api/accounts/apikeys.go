package accounts

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// keyJSON is the 2010 Key resource; Secret is set only in the create
// response (the NewKey resource): it is never shown again.
type keyJSON struct {
	SID          string             `json:"sid"`
	FriendlyName *string            `json:"friendly_name"`
	DateCreated  twilioapi.Time2010 `json:"date_created"`
	DateUpdated  twilioapi.Time2010 `json:"date_updated"`
	Secret       string             `json:"secret,omitempty"`
}

func renderKey(k *parley.APIKey) keyJSON {
	return keyJSON{SID: k.SID, FriendlyName: k.FriendlyName, DateCreated: twilioapi.NewTime2010(k.DateCreated),
		DateUpdated: twilioapi.NewTime2010(k.DateUpdated)}
}

func (a *API) createKey(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	k, err := a.app.CreateKey(r.Context(), twilioapi.Principal(r), r.PathValue("AccountSid"), p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any {
		out := renderKey(k)
		out.Secret = k.Secret
		return out
	})
}

func (a *API) listKeys(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.Keys(r.Context(), twilioapi.Principal(r), r.PathValue("AccountSid"), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList2010(w, r, pg, "keys", page.Items, page.More,
		func(k *parley.APIKey) int64 { return k.Seq }, renderKey)
	return nil
}

func (a *API) fetchKey(w http.ResponseWriter, r *http.Request) error {
	sid, err := jsonSID(r)
	if err != nil {
		return err
	}
	k, err := a.app.Key(r.Context(), twilioapi.Principal(r), r.PathValue("AccountSid"), sid)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderKey(k) })
}

func (a *API) updateKey(w http.ResponseWriter, r *http.Request) error {
	sid, err := jsonSID(r)
	if err != nil {
		return err
	}
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	k, err := a.app.UpdateKey(r.Context(), twilioapi.Principal(r), r.PathValue("AccountSid"), sid, p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderKey(k) })
}

func (a *API) deleteKey(w http.ResponseWriter, r *http.Request) error {
	sid, err := jsonSID(r)
	if err != nil {
		return err
	}
	return twilioapi.NoContent(w, a.app.DeleteKey(r.Context(), twilioapi.Principal(r), r.PathValue("AccountSid"), sid))
}
