package accounts

import (
	"context"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// accountJSON is the 2010 Account resource. auth_token is shown, as the
// Account resource documents it (https://www.twilio.com/docs/iam/api/account).
type accountJSON struct {
	AuthToken       string             `json:"auth_token"`
	DateCreated     twilioapi.Time2010 `json:"date_created"`
	DateUpdated     twilioapi.Time2010 `json:"date_updated"`
	FriendlyName    string             `json:"friendly_name"`
	OwnerAccountSID string             `json:"owner_account_sid"`
	SID             string             `json:"sid"`
	Status          string             `json:"status"`
	SubresourceURIs map[string]string  `json:"subresource_uris"`
	Type            string             `json:"type"`
	URI             string             `json:"uri"`
}

func renderAccount(a *parley.Account) accountJSON {
	base := root + "/Accounts/" + a.SID
	return accountJSON{AuthToken: a.AuthToken, DateCreated: twilioapi.NewTime2010(a.DateCreated),
		DateUpdated: twilioapi.NewTime2010(a.DateUpdated), FriendlyName: a.FriendlyName, OwnerAccountSID: a.OwnerAccountSID,
		SID: a.SID, Status: a.Status, Type: "Full", URI: base + ".json",
		// Only the subresources Parley serves are listed.
		SubresourceURIs: map[string]string{"keys": base + "/Keys.json", "incoming_phone_numbers": base + "/IncomingPhoneNumbers.json"}}
}

func (a *API) createAccount(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	acct, err := a.app.CreateSubaccount(r.Context(), p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return renderAccount(acct) })
}

// accounts is core's page of the caller's accounts, filtered by
// FriendlyName and Status; the list has no account in its path.
func (a *API) accounts(ctx context.Context, _ string, params *twilioapi.Params, pr parley.PageRequest) (parley.Page[*parley.Account], error) {
	f := parley.AccountFilter{FriendlyName: params.String("FriendlyName"), Status: params.String("Status")}
	return a.app.Accounts(ctx, f, pr)
}

// account is core's fetch of an account as an item: its SID is the item's.
func (a *API) account(ctx context.Context, _, sid string) (*parley.Account, error) {
	return a.app.FetchAccount(ctx, sid)
}

// updateAccount renames, suspends, reactivates or closes an account.
func (a *API) updateAccount(ctx context.Context, _, sid string, params *twilioapi.Params) (*parley.Account, error) {
	f := core.AccountFields{FriendlyName: params.String("FriendlyName"), Status: params.String("Status")}
	return a.app.UpdateAccount(ctx, sid, f)
}

func accountSeq(a *parley.Account) int64 { return a.Seq }
