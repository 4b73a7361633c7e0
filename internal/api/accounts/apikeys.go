package accounts

import (
	"context"
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
	k, err := a.app.CreateKey(r.Context(), r.PathValue("AccountSid"), p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any {
		out := renderKey(k)
		out.Secret = k.Secret
		return out
	})
}

// keys is core's page of keys in the list shape.
func (a *API) keys(ctx context.Context, accountSID string, _ *twilioapi.Params, pr parley.PageRequest) (parley.Page[*parley.APIKey], error) {
	return a.app.Keys(ctx, accountSID, pr)
}

func keySeq(k *parley.APIKey) int64 { return k.Seq }
