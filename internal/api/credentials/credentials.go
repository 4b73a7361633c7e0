// Package credentials serves the account's push credentials, which
// Conversations (/v1/Credentials) and Chat (/v2/Credentials) expose as the
// same rows with the same JSON; only the version in the path differs.
package credentials

import (
	"net/http"
	"strconv"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxPageSize is the specs' PageSize maximum for credentials.
const maxPageSize = 100

// API serves /{version}/Credentials.
type API struct {
	app       *core.App
	publicURL string
	version   string
	// typeOnUpdate: Conversations' update takes Type, Chat's does not (a
	// Type sent there is ignored).
	typeOnUpdate bool
}

// Register adds the credential routes under /{version}/Credentials.
func Register(rt *twilioapi.Routes, app *core.App, publicURL, version string, typeOnUpdate bool) {
	a := &API{app: app, publicURL: publicURL, version: version, typeOnUpdate: typeOnUpdate}
	root := "/" + version + "/Credentials"
	rt.Handle("GET", root, a.list)
	rt.Handle("POST", root, a.create)
	rt.Handle("GET", root+"/{Sid}", a.fetch)
	rt.Handle("POST", root+"/{Sid}", a.update)
	rt.Handle("DELETE", root+"/{Sid}", a.delete)
}

// credentialJSON has no field for the certificate, private key, API key or
// secret: they are write-only.
type credentialJSON struct {
	SID          string         `json:"sid"`
	AccountSID   string         `json:"account_sid"`
	FriendlyName *string        `json:"friendly_name"`
	Type         string         `json:"type"`
	Sandbox      *string        `json:"sandbox"` // a string in the specs
	DateCreated  twilioapi.Time `json:"date_created"`
	DateUpdated  twilioapi.Time `json:"date_updated"`
	URL          string         `json:"url"`
}

func (a *API) render(r *http.Request, c *parley.Credential) credentialJSON {
	var sandbox *string
	if c.Sandbox != nil {
		s := strconv.FormatBool(*c.Sandbox)
		sandbox = &s
	}
	return credentialJSON{SID: c.SID, AccountSID: c.AccountSID, FriendlyName: c.FriendlyName, Type: c.Type,
		Sandbox: sandbox, DateCreated: twilioapi.NewTime(c.DateCreated), DateUpdated: twilioapi.NewTime(c.DateUpdated),
		URL: twilioapi.BaseURL(r, a.publicURL) + "/" + a.version + "/Credentials/" + c.SID}
}

// fields decodes a create (withType) or update request.
func fields(w http.ResponseWriter, r *http.Request, withType bool) (parley.CredentialFields, error) {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return parley.CredentialFields{}, err
	}
	f := parley.CredentialFields{FriendlyName: p.String("FriendlyName"), Certificate: p.String("Certificate"),
		PrivateKey: p.String("PrivateKey"), Sandbox: p.Bool("Sandbox"), APIKey: p.String("ApiKey"), Secret: p.String("Secret")}
	if withType {
		f.Type = p.String("Type")
	}
	return f, p.Err()
}

func (a *API) create(w http.ResponseWriter, r *http.Request) error {
	f, err := fields(w, r, true)
	if err != nil {
		return err
	}
	c, err := a.app.CreateCredential(r.Context(), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.render(r, c) })
}

func (a *API) fetch(w http.ResponseWriter, r *http.Request) error {
	c, err := a.app.Credential(r.Context(), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.render(r, c) })
}

func (a *API) list(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListCredentials(r.Context(), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "credentials", page.Items, page.More,
		func(c *parley.Credential) int64 { return c.Seq }, func(c *parley.Credential) credentialJSON { return a.render(r, c) })
	return nil
}

func (a *API) update(w http.ResponseWriter, r *http.Request) error {
	f, err := fields(w, r, a.typeOnUpdate)
	if err != nil {
		return err
	}
	c, err := a.app.UpdateCredential(r.Context(), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.render(r, c) })
}

func (a *API) delete(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteCredential(r.Context(), r.PathValue("Sid")))
}
