package messaging

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// serviceJSON is the Messaging Service resource. Parley keeps the name,
// webhooks and use case; the sending options (sticky sender, geomatch,
// smart encoding...) have no effect on its channels and render with
// Twilio's defaults.
type serviceJSON struct {
	SID                       string            `json:"sid"`
	AccountSID                string            `json:"account_sid"`
	FriendlyName              string            `json:"friendly_name"`
	DateCreated               twilioapi.Time    `json:"date_created"`
	DateUpdated               twilioapi.Time    `json:"date_updated"`
	InboundRequestURL         *string           `json:"inbound_request_url"`
	InboundMethod             string            `json:"inbound_method"`
	FallbackURL               *string           `json:"fallback_url"`
	FallbackMethod            string            `json:"fallback_method"`
	StatusCallback            *string           `json:"status_callback"`
	StickySender              bool              `json:"sticky_sender"`
	MMSConverter              bool              `json:"mms_converter"`
	SmartEncoding             bool              `json:"smart_encoding"`
	ScanMessageContent        string            `json:"scan_message_content"`
	FallbackToLongCode        bool              `json:"fallback_to_long_code"`
	AreaCodeGeomatch          bool              `json:"area_code_geomatch"`
	SynchronousValidation     bool              `json:"synchronous_validation"`
	ValidityPeriod            int               `json:"validity_period"`
	URL                       string            `json:"url"`
	Links                     map[string]string `json:"links"`
	Usecase                   string            `json:"usecase"`
	USAppToPersonRegistered   bool              `json:"us_app_to_person_registered"`
	UseInboundWebhookOnNumber bool              `json:"use_inbound_webhook_on_number"`
}

func (a *API) renderService(r *http.Request, m *parley.MessagingService) serviceJSON {
	url := a.base(r) + "/Services/" + m.SID
	return serviceJSON{SID: m.SID, AccountSID: m.AccountSID, FriendlyName: m.FriendlyName,
		DateCreated: twilioapi.NewTime(m.DateCreated), DateUpdated: twilioapi.NewTime(m.DateUpdated),
		InboundRequestURL: m.InboundRequestURL, InboundMethod: m.InboundMethod, FallbackURL: m.FallbackURL,
		FallbackMethod: m.FallbackMethod, StatusCallback: m.StatusCallback, StickySender: true, MMSConverter: true,
		SmartEncoding: true, ScanMessageContent: "inherit", FallbackToLongCode: true, AreaCodeGeomatch: true,
		ValidityPeriod: 14400, URL: url, Usecase: m.Usecase,
		// Only the subresources Parley serves are linked.
		Links: map[string]string{"phone_numbers": url + "/PhoneNumbers"}}
}

func serviceFields(p *twilioapi.Params) parley.MessagingServiceFields {
	return parley.MessagingServiceFields{FriendlyName: p.String("FriendlyName"), InboundRequestURL: p.String("InboundRequestUrl"),
		InboundMethod: p.String("InboundMethod"), FallbackURL: p.String("FallbackUrl"), FallbackMethod: p.String("FallbackMethod"),
		StatusCallback: p.String("StatusCallback"), Usecase: p.String("Usecase")}
}

func (a *API) createService(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	m, err := a.app.CreateMessagingService(r.Context(), serviceFields(p))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderService(r, m) })
}

func (a *API) listServices(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.MessagingServices(r.Context(), pg.Request)
	return twilioapi.ReplyList(w, r, a.publicURL, pg, "services", page, err,
		func(m *parley.MessagingService) int64 { return m.Seq },
		func(m *parley.MessagingService) serviceJSON { return a.renderService(r, m) })
}

func (a *API) fetchService(w http.ResponseWriter, r *http.Request) error {
	m, err := a.app.MessagingService(r.Context(), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderService(r, m) })
}

func (a *API) updateService(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	m, err := a.app.UpdateMessagingService(r.Context(), r.PathValue("Sid"), serviceFields(p))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderService(r, m) })
}

func (a *API) deleteService(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteMessagingService(r.Context(), r.PathValue("Sid")))
}
