package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type serviceJSON struct {
	AccountSID   string            `json:"account_sid"`
	SID          string            `json:"sid"`
	FriendlyName string            `json:"friendly_name"`
	DateCreated  twilioapi.Time    `json:"date_created"`
	DateUpdated  twilioapi.Time    `json:"date_updated"`
	URL          string            `json:"url"`
	Links        map[string]string `json:"links"`
}

func (a *API) renderService(r *http.Request, s *parley.Service) serviceJSON {
	url := twilioapi.BaseURL(r, a.publicURL) + "/v1/Services/" + s.SID
	links := map[string]string{}
	for key, path := range map[string]string{"conversations": "Conversations", "users": "Users", "roles": "Roles",
		"bindings": "Bindings", "configuration": "Configuration", "participant_conversations": "ParticipantConversations",
		"conversation_with_participants": "ConversationWithParticipants"} {
		links[key] = url + "/" + path
	}
	return serviceJSON{AccountSID: s.AccountSID, SID: s.SID, FriendlyName: s.FriendlyName,
		DateCreated: twilioapi.NewTime(s.DateCreated), DateUpdated: twilioapi.NewTime(s.DateUpdated), URL: url, Links: links}
}

func (a *API) createService(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	s, err := a.app.CreateService(r.Context(), p.String("FriendlyName"))
	return twilioapi.Reply(w, http.StatusCreated, err, func() any { return a.renderService(r, s) })
}

func (a *API) fetchService(w http.ResponseWriter, r *http.Request) error {
	s, err := a.app.Service(r.Context(), r.PathValue("Sid"))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderService(r, s) })
}

func (a *API) listServices(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListServices(r.Context(), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "services", page.Items, page.More, func(s *parley.Service) int64 { return s.Seq },
		func(s *parley.Service) serviceJSON { return a.renderService(r, s) })
	return nil
}

func (a *API) deleteService(w http.ResponseWriter, r *http.Request) error {
	if err := a.app.DeleteService(r.Context(), r.PathValue("Sid")); err != nil {
		return err
	}
	return twilioapi.NoContent(w, nil)
}

type configurationJSON struct {
	AccountSID                 string            `json:"account_sid"`
	DefaultChatServiceSID      string            `json:"default_chat_service_sid"`
	DefaultMessagingServiceSID *string           `json:"default_messaging_service_sid"`
	DefaultInactiveTimer       *string           `json:"default_inactive_timer"`
	DefaultClosedTimer         *string           `json:"default_closed_timer"`
	URL                        string            `json:"url"`
	Links                      map[string]string `json:"links"`
}

func (a *API) renderConfiguration(r *http.Request, acct *parley.Account) configurationJSON {
	base := twilioapi.BaseURL(r, a.publicURL) + "/v1"
	return configurationJSON{AccountSID: acct.SID, DefaultChatServiceSID: acct.DefaultServiceSID,
		DefaultMessagingServiceSID: acct.DefaultMessagingServiceSID, DefaultInactiveTimer: acct.DefaultInactiveTimer,
		DefaultClosedTimer: acct.DefaultClosedTimer, URL: base + "/Configuration",
		Links: map[string]string{
			"service":  base + "/Services/" + acct.DefaultServiceSID + "/Configuration",
			"webhooks": base + "/Configuration/Webhooks",
		}}
}

func (a *API) fetchConfiguration(w http.ResponseWriter, r *http.Request) error {
	acct, err := a.app.Configuration(r.Context())
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderConfiguration(r, acct) })
}

func (a *API) updateConfiguration(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	acct, err := a.app.UpdateConfiguration(r.Context(), parley.ConfigurationFields{
		DefaultServiceSID:          p.String("DefaultChatServiceSid"),
		DefaultMessagingServiceSID: p.String("DefaultMessagingServiceSid"),
		DefaultInactiveTimer:       p.String("DefaultInactiveTimer"),
		DefaultClosedTimer:         p.String("DefaultClosedTimer"),
	})
	if err != nil {
		return err
	}
	twilioapi.WriteJSON(w, http.StatusOK, a.renderConfiguration(r, acct))
	return nil
}
