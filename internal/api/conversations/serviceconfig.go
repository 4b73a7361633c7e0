package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type serviceConfigurationJSON struct {
	ChatServiceSID                    string            `json:"chat_service_sid"`
	DefaultConversationCreatorRoleSID string            `json:"default_conversation_creator_role_sid"`
	DefaultConversationRoleSID        string            `json:"default_conversation_role_sid"`
	DefaultChatServiceRoleSID         string            `json:"default_chat_service_role_sid"`
	ReachabilityEnabled               bool              `json:"reachability_enabled"`
	URL                               string            `json:"url"`
	Links                             map[string]string `json:"links"`
}

func (a *API) renderServiceConfiguration(r *http.Request, s *parley.Service) serviceConfigurationJSON {
	url := twilioapi.BaseURL(r, a.publicURL) + "/v1/Services/" + s.SID + "/Configuration"
	return serviceConfigurationJSON{ChatServiceSID: s.SID,
		DefaultConversationCreatorRoleSID: s.DefaultConversationCreatorRoleSID,
		DefaultConversationRoleSID:        s.DefaultConversationRoleSID,
		DefaultChatServiceRoleSID:         s.DefaultChatServiceRoleSID,
		ReachabilityEnabled:               s.ReachabilityEnabled, URL: url,
		Links: map[string]string{"notifications": url + "/Notifications", "webhooks": url + "/Webhooks"}}
}

func (a *API) fetchServiceConfiguration(w http.ResponseWriter, r *http.Request) error {
	s, err := a.app.ServiceConfiguration(r.Context(), serviceSID(r))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderServiceConfiguration(r, s) })
}

func (a *API) updateServiceConfiguration(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := parley.ServiceConfigurationFields{
		DefaultConversationCreatorRoleSID: p.String("DefaultConversationCreatorRoleSid"),
		DefaultConversationRoleSID:        p.String("DefaultConversationRoleSid"),
		DefaultChatServiceRoleSID:         p.String("DefaultChatServiceRoleSid"),
		ReachabilityEnabled:               p.Bool("ReachabilityEnabled"),
	}
	if err := p.Err(); err != nil {
		return err
	}
	s, err := a.app.UpdateServiceConfiguration(r.Context(), serviceSID(r), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderServiceConfiguration(r, s) })
}
