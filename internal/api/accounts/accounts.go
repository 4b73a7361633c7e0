package accounts

import (
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
	acct, err := a.app.CreateSubaccount(r.Context(), twilioapi.Principal(r), p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return renderAccount(acct) })
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	f := parley.AccountFilter{FriendlyName: p.String("FriendlyName"), Status: p.String("Status")}
	page, err := a.app.Accounts(r.Context(), twilioapi.Principal(r), f, pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList2010(w, r, pg, "accounts", page.Items, page.More,
		func(a *parley.Account) int64 { return a.Seq }, renderAccount)
	return nil
}

func (a *API) fetchAccount(w http.ResponseWriter, r *http.Request) error {
	sid, err := jsonSID(r)
	if err != nil {
		return err
	}
	acct, err := a.app.FetchAccount(r.Context(), twilioapi.Principal(r), sid)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderAccount(acct) })
}

func (a *API) updateAccount(w http.ResponseWriter, r *http.Request) error {
	sid, err := jsonSID(r)
	if err != nil {
		return err
	}
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := core.AccountFields{FriendlyName: p.String("FriendlyName"), Status: p.String("Status")}
	acct, err := a.app.UpdateAccount(r.Context(), twilioapi.Principal(r), sid, f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return renderAccount(acct) })
}
