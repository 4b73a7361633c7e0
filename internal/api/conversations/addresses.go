package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxAddressPage is the spec's PageSize limit for address configurations.
const maxAddressPage = 50

type autoCreationJSON struct {
	Enabled                bool     `json:"enabled"`
	Type                   *string  `json:"type"`
	ConversationServiceSID *string  `json:"conversation_service_sid"`
	WebhookURL             *string  `json:"webhook_url"`
	WebhookMethod          *string  `json:"webhook_method"`
	WebhookFilters         []string `json:"webhook_filters"`
	StudioFlowSID          *string  `json:"studio_flow_sid"`
	StudioRetryCount       *int64   `json:"studio_retry_count"`
}

type addressConfigJSON struct {
	SID            string           `json:"sid"`
	AccountSID     string           `json:"account_sid"`
	Type           string           `json:"type"`
	Address        string           `json:"address"`
	FriendlyName   *string          `json:"friendly_name"`
	AutoCreation   autoCreationJSON `json:"auto_creation"`
	DateCreated    twilioapi.Time   `json:"date_created"`
	DateUpdated    twilioapi.Time   `json:"date_updated"`
	URL            string           `json:"url"`
	AddressCountry *string          `json:"address_country"`
}

func (a *API) renderAddressConfig(r *http.Request, c *parley.AddressConfig) addressConfigJSON {
	ac := c.AutoCreation
	return addressConfigJSON{SID: c.SID, AccountSID: c.AccountSID, Type: c.Type, Address: c.Address,
		FriendlyName: c.FriendlyName, AddressCountry: c.AddressCountry,
		AutoCreation: autoCreationJSON{Enabled: ac.Enabled, Type: ac.Type, ConversationServiceSID: ac.ConversationServiceSID,
			WebhookURL: ac.WebhookURL, WebhookMethod: ac.WebhookMethod, WebhookFilters: nonNilStrings(ac.WebhookFilters),
			StudioFlowSID: ac.StudioFlowSID, StudioRetryCount: ac.StudioRetryCount},
		DateCreated: twilioapi.NewTime(c.DateCreated), DateUpdated: twilioapi.NewTime(c.DateUpdated),
		URL: twilioapi.BaseURL(r, a.publicURL) + "/v1/Configuration/Addresses/" + c.SID}
}

func addressConfigFields(p *twilioapi.Params) parley.AddressConfigFields {
	return parley.AddressConfigFields{Type: p.String("Type"), Address: p.String("Address"),
		FriendlyName: p.String("FriendlyName"), AddressCountry: p.String("AddressCountry"),
		Enabled: p.Bool("AutoCreation.Enabled"), AutoCreationType: p.String("AutoCreation.Type"),
		ConversationServiceSID: p.String("AutoCreation.ConversationServiceSid"),
		WebhookURL:             p.String("AutoCreation.WebhookUrl"), WebhookMethod: p.String("AutoCreation.WebhookMethod"),
		WebhookFilters: repeatedParam(p, "AutoCreation.WebhookFilters"), StudioFlowSID: p.String("AutoCreation.StudioFlowSid"),
		StudioRetryCount: p.Int("AutoCreation.StudioRetryCount")}
}

func (a *API) createAddressConfig(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeFields(w, r, addressConfigFields)
	if err != nil {
		return err
	}
	c, err := a.app.CreateAddressConfig(r.Context(), f)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderAddressConfig(r, c) })
}

// fetchAddressConfig answers for a SID or for the address itself.
func (a *API) fetchAddressConfig(w http.ResponseWriter, r *http.Request) error {
	c, err := a.app.AddressConfig(r.Context(), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderAddressConfig(r, c) })
}

func (a *API) listAddressConfigs(w http.ResponseWriter, r *http.Request) error {
	p, pg, err := twilioapi.ParseList(w, r, maxAddressPage)
	if err != nil {
		return err
	}
	typ := ""
	if t := p.String("Type"); t != nil {
		typ = *t
	}
	page, err := a.app.ListAddressConfigs(r.Context(), typ, pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "address_configurations", page.Items, page.More, func(c *parley.AddressConfig) int64 { return c.Seq },
		func(c *parley.AddressConfig) addressConfigJSON { return a.renderAddressConfig(r, c) })
	return nil
}

func (a *API) updateAddressConfig(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeFields(w, r, addressConfigFields)
	if err != nil {
		return err
	}
	// Type, Address and AddressCountry are not update parameters.
	f.Type, f.Address, f.AddressCountry = nil, nil, nil
	c, err := a.app.UpdateAddressConfig(r.Context(), r.PathValue("Sid"), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderAddressConfig(r, c) })
}

func (a *API) deleteAddressConfig(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteAddressConfig(r.Context(), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}
