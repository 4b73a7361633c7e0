// Package accounts serves the Twilio 2010 API's identity resources
// (/2010-04-01/Accounts and /2010-04-01/Accounts/{AccountSid}/Keys) and
// its phone numbers (IncomingPhoneNumbers): sub-accounts, API keys and
// numbers, in the 2010 JSON shape (".json" paths, RFC
// 2822 dates, relative "uri" links, paging fields at the top level).
package accounts

import (
	"net/http"
	"strings"

	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxPageSize is the spec's PageSize maximum for 2010 lists.
const maxPageSize = 1000

// root is the prefix of every 2010 path.
const root = "/2010-04-01"

// API is the 2010 Accounts and Keys surface.
type API struct{ app *core.App }

// New returns the surface over app. Its links are relative (the 2010
// API's "uri" fields), so it needs no public URL.
func New(app *core.App) *API { return &API{app: app} }

// Register adds every 2010 route to rt. Go's patterns match whole path
// segments only, so "{Sid}.json" is matched as "{Sid}" and the suffix is
// checked by jsonSID.
func (a *API) Register(rt *twilioapi.Routes) {
	rt.Handle("GET", root+"/Accounts.json", listItems("accounts", a.accounts, accountSeq, renderAccount))
	rt.Handle("POST", root+"/Accounts.json", a.createAccount)
	rt.Handle("GET", root+"/Accounts/{Sid}", fetchItem(a.account, renderAccount))
	rt.Handle("POST", root+"/Accounts/{Sid}", updateItem(a.updateAccount, renderAccount))

	rt.Handle("GET", root+"/Accounts/{AccountSid}/Keys.json", listItems("keys", a.keys, keySeq, renderKey))
	rt.Handle("POST", root+"/Accounts/{AccountSid}/Keys.json", a.createKey)
	rt.Handle("GET", root+"/Accounts/{AccountSid}/Keys/{Sid}", fetchItem(a.app.Key, renderKey))
	rt.Handle("POST", root+"/Accounts/{AccountSid}/Keys/{Sid}", updateItem(renamed(a.app.UpdateKey), renderKey))
	rt.Handle("DELETE", root+"/Accounts/{AccountSid}/Keys/{Sid}", deleteItem(a.app.DeleteKey))

	rt.Handle("GET", root+"/Accounts/{AccountSid}/IncomingPhoneNumbers.json", listItems("incoming_phone_numbers", a.numbers, numberSeq, renderNumber))
	rt.Handle("POST", root+"/Accounts/{AccountSid}/IncomingPhoneNumbers.json", a.createNumber)
	rt.Handle("GET", root+"/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}", fetchItem(a.app.PhoneNumber, renderNumber))
	rt.Handle("POST", root+"/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}", updateItem(renamed(a.app.UpdatePhoneNumber), renderNumber))
	rt.Handle("DELETE", root+"/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}", deleteItem(a.app.DeletePhoneNumber))
}

// jsonSID is the {Sid} path segment without its ".json" suffix; a path
// without the suffix names no 2010 resource.
func jsonSID(r *http.Request) (string, error) {
	sid, ok := strings.CutSuffix(r.PathValue("Sid"), ".json")
	if !ok {
		return "", twilioapi.NotFound(nil, r)
	}
	return sid, nil
}
