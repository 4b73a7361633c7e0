package chat

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type serviceJSON struct {
	SID                          string                   `json:"sid"`
	AccountSID                   string                   `json:"account_sid"`
	FriendlyName                 string                   `json:"friendly_name"`
	DateCreated                  twilioapi.Time           `json:"date_created"`
	DateUpdated                  twilioapi.Time           `json:"date_updated"`
	DefaultServiceRoleSID        string                   `json:"default_service_role_sid"`
	DefaultChannelRoleSID        string                   `json:"default_channel_role_sid"`
	DefaultChannelCreatorRoleSID string                   `json:"default_channel_creator_role_sid"`
	ReadStatusEnabled            bool                     `json:"read_status_enabled"`
	ReachabilityEnabled          bool                     `json:"reachability_enabled"`
	TypingIndicatorTimeout       int64                    `json:"typing_indicator_timeout"`
	ConsumptionReportInterval    int64                    `json:"consumption_report_interval"`
	Limits                       map[string]int64         `json:"limits"`
	PreWebhookURL                *string                  `json:"pre_webhook_url"`
	PostWebhookURL               *string                  `json:"post_webhook_url"`
	WebhookMethod                string                   `json:"webhook_method"`
	WebhookFilters               []string                 `json:"webhook_filters"`
	PreWebhookRetryCount         int64                    `json:"pre_webhook_retry_count"`
	PostWebhookRetryCount        int64                    `json:"post_webhook_retry_count"`
	Notifications                parley.ChatNotifications `json:"notifications"`
	Media                        map[string]any           `json:"media"`
	URL                          string                   `json:"url"`
	Links                        map[string]string        `json:"links"`
}

// renderService renders a service as Chat shows it: the Conversations
// default roles under Chat's names, and the Chat-only settings.
func (a *API) renderService(r *http.Request, s *parley.Service) serviceJSON {
	url := a.base(r) + "/Services/" + s.SID
	c := s.Chat
	return serviceJSON{SID: s.SID, AccountSID: s.AccountSID, FriendlyName: s.FriendlyName,
		DateCreated: twilioapi.NewTime(s.DateCreated), DateUpdated: twilioapi.NewTime(s.DateUpdated),
		DefaultServiceRoleSID: s.DefaultChatServiceRoleSID, DefaultChannelRoleSID: s.DefaultConversationRoleSID,
		DefaultChannelCreatorRoleSID: s.DefaultConversationCreatorRoleSID, ReadStatusEnabled: c.ReadStatusEnabled,
		ReachabilityEnabled: s.ReachabilityEnabled, TypingIndicatorTimeout: c.TypingIndicatorTimeout,
		ConsumptionReportInterval: c.ConsumptionReportInterval,
		Limits:                    map[string]int64{"channel_members": c.ChannelMembersLimit, "user_channels": c.UserChannelsLimit},
		PreWebhookURL:             c.PreWebhookURL, PostWebhookURL: c.PostWebhookURL, WebhookMethod: c.WebhookMethod,
		WebhookFilters: c.WebhookFilters, PreWebhookRetryCount: c.PreWebhookRetryCount,
		PostWebhookRetryCount: c.PostWebhookRetryCount, Notifications: c.Notifications,
		Media: map[string]any{"size_limit_mb": parley.MediaSizeLimitMB, "compatibility_message": c.MediaCompatibilityMessage},
		URL:   url, Links: map[string]string{"channels": url + "/Channels", "users": url + "/Users",
			"roles": url + "/Roles", "bindings": url + "/Bindings"}}
}

func notificationFields(p *twilioapi.Params, kind string) parley.ChatNotificationFields {
	prefix := "Notifications." + kind + "."
	return parley.ChatNotificationFields{Enabled: p.Bool(prefix + "Enabled"), Template: p.String(prefix + "Template"),
		Sound: p.String(prefix + "Sound"), BadgeCountEnabled: p.Bool(prefix + "BadgeCountEnabled")}
}

func chatServiceFields(p *twilioapi.Params) parley.ChatServiceFields {
	return parley.ChatServiceFields{FriendlyName: p.String("FriendlyName"),
		Defaults: parley.ServiceConfigurationFields{DefaultChatServiceRoleSID: p.String("DefaultServiceRoleSid"),
			DefaultConversationRoleSID:        p.String("DefaultChannelRoleSid"),
			DefaultConversationCreatorRoleSID: p.String("DefaultChannelCreatorRoleSid"),
			ReachabilityEnabled:               p.Bool("ReachabilityEnabled")},
		ReadStatusEnabled: p.Bool("ReadStatusEnabled"), TypingIndicatorTimeout: p.Int("TypingIndicatorTimeout"),
		ConsumptionReportInterval: p.Int("ConsumptionReportInterval"), ChannelMembersLimit: p.Int("Limits.ChannelMembers"),
		UserChannelsLimit: p.Int("Limits.UserChannels"), PreWebhookURL: p.String("PreWebhookUrl"),
		PostWebhookURL: p.String("PostWebhookUrl"), WebhookMethod: p.String("WebhookMethod"),
		WebhookFilters: p.Strings("WebhookFilters"), PreWebhookRetryCount: p.Int("PreWebhookRetryCount"),
		PostWebhookRetryCount: p.Int("PostWebhookRetryCount"), NotificationsLogEnabled: p.Bool("Notifications.LogEnabled"),
		NewMessage: notificationFields(p, "NewMessage"), AddedToChannel: notificationFields(p, "AddedToChannel"),
		RemovedFromChannel:        notificationFields(p, "RemovedFromChannel"),
		InvitedToChannel:          notificationFields(p, "InvitedToChannel"),
		MediaCompatibilityMessage: p.String("Media.CompatibilityMessage")}
}

func (a *API) createService(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	s, err := a.app.CreateService(r.Context(), p.String("FriendlyName"))
	return respond(w, http.StatusCreated, s, err, func(s *parley.Service) serviceJSON { return a.renderService(r, s) })
}

func (a *API) fetchService(w http.ResponseWriter, r *http.Request) error {
	s, err := a.app.ChatService(r.Context(), r.PathValue("Sid"))
	return respond(w, http.StatusOK, s, err, func(s *parley.Service) serviceJSON { return a.renderService(r, s) })
}

func (a *API) listServices(w http.ResponseWriter, r *http.Request) error {
	_, pg, err := twilioapi.ParseList(w, r, maxPageSize)
	if err != nil {
		return err
	}
	page, err := a.app.ListChatServices(r.Context(), pg.Request)
	if err != nil {
		return err
	}
	twilioapi.WriteList(w, r, a.publicURL, pg, "services", page.Items, page.More, func(s *parley.Service) int64 { return s.Seq },
		func(s *parley.Service) serviceJSON { return a.renderService(r, s) })
	return nil
}

func (a *API) updateService(w http.ResponseWriter, r *http.Request) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	f := chatServiceFields(p)
	if err := p.Err(); err != nil {
		return err
	}
	s, err := a.app.UpdateChatService(r.Context(), r.PathValue("Sid"), f)
	return respond(w, http.StatusOK, s, err, func(s *parley.Service) serviceJSON { return a.renderService(r, s) })
}

func (a *API) deleteService(w http.ResponseWriter, r *http.Request) error {
	return twilioapi.NoContent(w, a.app.DeleteService(r.Context(), r.PathValue("Sid")))
}
