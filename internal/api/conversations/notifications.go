package conversations

import (
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

type notificationKindJSON struct {
	Enabled  bool    `json:"enabled"`
	Template *string `json:"template"`
	Sound    *string `json:"sound"`
}

type withMediaJSON struct {
	Enabled  bool    `json:"enabled"`
	Template *string `json:"template"`
}

type newMessageJSON struct {
	notificationKindJSON
	BadgeCountEnabled bool          `json:"badge_count_enabled"`
	WithMedia         withMediaJSON `json:"with_media"`
}

type notificationJSON struct {
	AccountSID              string               `json:"account_sid"`
	ChatServiceSID          string               `json:"chat_service_sid"`
	NewMessage              newMessageJSON       `json:"new_message"`
	AddedToConversation     notificationKindJSON `json:"added_to_conversation"`
	RemovedFromConversation notificationKindJSON `json:"removed_from_conversation"`
	LogEnabled              bool                 `json:"log_enabled"`
	URL                     string               `json:"url"`
}

func kindJSON(t parley.NotificationTemplate) notificationKindJSON {
	return notificationKindJSON{Enabled: t.Enabled, Template: t.Template, Sound: t.Sound}
}

func (a *API) renderNotificationConfig(r *http.Request, n *parley.NotificationConfig) notificationJSON {
	return notificationJSON{AccountSID: n.AccountSID, ChatServiceSID: n.ServiceSID,
		NewMessage: newMessageJSON{notificationKindJSON: kindJSON(n.NewMessage), BadgeCountEnabled: n.NewMessageBadgeCount,
			WithMedia: withMediaJSON{Enabled: n.NewMessageWithMedia.Enabled, Template: n.NewMessageWithMedia.Template}},
		AddedToConversation: kindJSON(n.AddedToConversation), RemovedFromConversation: kindJSON(n.RemovedFromConversation),
		LogEnabled: n.LogEnabled, URL: a.root(r) + "/Configuration/Notifications"}
}

// templateFields reads the dotted parameters of one notification kind
// (prefix "NewMessage", "AddedToConversation", ...).
func templateFields(p *twilioapi.Params, prefix string) parley.NotificationTemplateFields {
	return parley.NotificationTemplateFields{Enabled: p.Bool(prefix + ".Enabled"), Template: p.String(prefix + ".Template"),
		Sound: p.String(prefix + ".Sound")}
}

func notificationFields(p *twilioapi.Params) parley.NotificationConfigFields {
	return parley.NotificationConfigFields{
		NewMessage:              templateFields(p, "NewMessage"),
		NewMessageBadgeCount:    p.Bool("NewMessage.BadgeCountEnabled"),
		NewMessageWithMedia:     templateFields(p, "NewMessage.WithMedia"),
		AddedToConversation:     templateFields(p, "AddedToConversation"),
		RemovedFromConversation: templateFields(p, "RemovedFromConversation"),
		LogEnabled:              p.Bool("LogEnabled"),
	}
}

func (a *API) fetchNotificationConfig(w http.ResponseWriter, r *http.Request) error {
	n, err := a.app.NotificationConfig(r.Context(), serviceSID(r))
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderNotificationConfig(r, n) })
}

func (a *API) updateNotificationConfig(w http.ResponseWriter, r *http.Request) error {
	f, err := decodeFields(w, r, notificationFields)
	if err != nil {
		return err
	}
	n, err := a.app.UpdateNotificationConfig(r.Context(), serviceSID(r), f)
	return twilioapi.Reply(w, http.StatusOK, err, func() any { return a.renderNotificationConfig(r, n) })
}
