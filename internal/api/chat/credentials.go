package chat

import (
	"net/http"
	"strconv"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Chat's credentials are the account's push credentials, the same rows as
// Conversations' /v1/Credentials, through the same operations (secrets
// sealed at rest, write-only).

// credentialJSON has no field for the certificate, private key, API key or
// secret: they are write-only.
type credentialJSON struct {
	SID          string         `json:"sid"`
	AccountSID   string         `json:"account_sid"`
	FriendlyName *string        `json:"friendly_name"`
	Type         string         `json:"type"`
	Sandbox      *string        `json:"sandbox"` // a string in the spec
	DateCreated  twilioapi.Time `json:"date_created"`
	DateUpdated  twilioapi.Time `json:"date_updated"`
	URL          string         `json:"url"`
}

// renderCredential renders sandbox as Conversations does ("true"/"false"),
// so both surfaces show one row alike.
func (a *API) renderCredential(r *http.Request, c *parley.Credential) credentialJSON {
	var sandbox *string
	if c.Sandbox != nil {
		s := strconv.FormatBool(*c.Sandbox)
		sandbox = &s
	}
	return credentialJSON{SID: c.SID, AccountSID: c.AccountSID, FriendlyName: c.FriendlyName, Type: c.Type,
		Sandbox: sandbox, DateCreated: twilioapi.NewTime(c.DateCreated), DateUpdated: twilioapi.NewTime(c.DateUpdated),
		URL: a.base(r) + "/Credentials/" + c.SID}
}

// credentialFields reads a credential create or update; Chat's update takes
// no Type, so a Type sent there is ignored.
func credentialFields(r *http.Request, p *twilioapi.Params) (parley.CredentialFields, error) {
	f := parley.CredentialFields{FriendlyName: p.String("FriendlyName"), Certificate: p.String("Certificate"),
		PrivateKey: p.String("PrivateKey"), Sandbox: p.Bool("Sandbox"), APIKey: p.String("ApiKey"), Secret: p.String("Secret")}
	if r.PathValue("Sid") == "" {
		f.Type = p.String("Type")
	}
	return f, p.Err()
}

func (a *API) createCredential(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f, err := credentialFields(r, p)
	if err != nil {
		return err
	}
	c, err := a.app.CreateCredential(r.Context(), twilioapi.Account(r), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderCredential(r, c) })
}

func (a *API) fetchCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := a.app.Credential(r.Context(), twilioapi.Account(r), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderCredential(r, c) })
}

func (a *API) listCredentials(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListCredentials(r.Context(), twilioapi.Account(r), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "credentials", page.Items, page.More, func(c *parley.Credential) int64 { return c.Seq },
		func(c *parley.Credential) credentialJSON { return a.renderCredential(r, c) })
	return nil
}

func (a *API) updateCredential(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f, err := credentialFields(r, p)
	if err != nil {
		return err
	}
	c, err := a.app.UpdateCredential(r.Context(), twilioapi.Account(r), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderCredential(r, c) })
}

func (a *API) deleteCredential(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteCredential(r.Context(), twilioapi.Account(r), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
