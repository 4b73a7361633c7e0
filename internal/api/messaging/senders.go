package messaging

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// senderJSON is a Messaging Service's PhoneNumber resource: one of the
// account's numbers in the service's pool, under the number's PN SID.
type senderJSON struct {
	SID          string         `json:"sid"`
	AccountSID   string         `json:"account_sid"`
	ServiceSID   string         `json:"service_sid"`
	DateCreated  twilioapi.Time `json:"date_created"`
	DateUpdated  twilioapi.Time `json:"date_updated"`
	PhoneNumber  string         `json:"phone_number"`
	CountryCode  *string        `json:"country_code"`
	Capabilities []string       `json:"capabilities"`
	URL          string         `json:"url"`
}

func (a *API) renderSender(r *http.Request, s *parley.Sender) senderJSON {
	return senderJSON{SID: s.Number.SID, AccountSID: s.Number.AccountSID, ServiceSID: s.ServiceSID,
		DateCreated: twilioapi.NewTime(s.DateCreated), DateUpdated: twilioapi.NewTime(s.DateCreated),
		PhoneNumber: s.Number.PhoneNumber, Capabilities: []string{"SMS", "MMS"},
		URL: a.base(r) + "/Services/" + s.ServiceSID + "/PhoneNumbers/" + s.Number.SID}
}

func (a *API) addSender(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	sid := p.String("PhoneNumberSid")
	if sid == nil || *sid == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "PhoneNumberSid is required")
	}
	s, err := a.app.AddSender(r.Context(), r.PathValue("ServiceSid"), *sid)
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderSender(r, s) })
}

func (a *API) listSenders(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.Senders(r.Context(), r.PathValue("ServiceSid"), pg.Request)
	return twilioapi.ReplyList(w, r, a.publicURL, pg, "phone_numbers", page, err,
		func(s *parley.Sender) int64 { return s.Seq },
		func(s *parley.Sender) senderJSON { return a.renderSender(r, s) })
}

func (a *API) fetchSender(w http.ResponseWriter, r *http.Request) error {
	s, err := a.app.Sender(r.Context(), r.PathValue("ServiceSid"), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderSender(r, s) })
}

func (a *API) removeSender(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.RemoveSender(r.Context(), r.PathValue("ServiceSid"), r.PathValue("Sid")))
}
