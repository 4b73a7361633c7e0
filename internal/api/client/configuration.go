package client

import (
	"net/http"
	"net/url"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// configurationJSON is the document the SDK reads first after login
// (reference §2.2): the links it builds every later request from, its
// options, and the Sync objects that hold the caller's user info and
// conversations. Every link is absolute http(s), or the SDK refuses it.
type configurationJSON struct {
	Identity    string             `json:"identity"`
	Links       map[string]*string `json:"links"`
	Options     optionsJSON        `json:"options"`
	SyncObjects map[string]string  `json:"sync_objects"`
}

type optionsJSON struct {
	ReachabilityEnabled                bool     `json:"reachability_enabled"`
	UserInfosToSubscribe               int      `json:"user_infos_to_subscribe"`
	HTTPCacheInterval                  string   `json:"http_cache_interval"`
	ConsumptionReportInterval          string   `json:"consumption_report_interval"`
	MediaAttachmentsCountLimit         int      `json:"media_attachments_count_limit"`
	MediaAttachmentSizeLimitInMB       int      `json:"media_attachment_size_limit_in_mb"`
	MediaAttachmentsTotalSizeLimitInMB int      `json:"media_attachments_total_size_limit_in_mb"`
	EmailBodiesAllowedMimeTypes        []string `json:"email_bodies_allowed_mime_types"`
	EmailHistoriesAllowedMimeTypes     []string `json:"email_histories_allowed_mime_types"`
}

func (a *API) configuration(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	svc, err := a.app.ServiceConfiguration(r.Context(), c.ServiceSID)
	if err != nil {
		return err
	}
	api := a.base(r) + "/Client/v2"
	link := func(s string) *string { return &s }
	mimeTypes := []string{"text/plain", "text/html"}
	twilioapi.WriteJSON(w, http.StatusOK, configurationJSON{
		Identity: c.Identity,
		Links: map[string]*string{
			"my_conversations": link(api + "/Me/Conversations"),
			"conversations":    link(api + "/Conversations"),
			"users":            link(api + "/Users"),
			"current_user":     link(api + "/Users/" + url.PathEscape(c.Identity)),
			"typing":           link(api + "/Typing"),
			// The media service is plain HTTP (internal/api/media), not
			// twilsock; the SDK refuses to start without its URL.
			"media_service":     link(a.base(r) + "/mcs/v1/Services/" + c.ServiceSID + "/Media"),
			"media_set_service": link(a.base(r) + "/mcs/v1/Services/" + c.ServiceSID + "/MediaSet"),
			"messages_receipts": link(api + "/Conversations/%s/Messages/%s/Receipts"),
		},
		Options: optionsJSON{ReachabilityEnabled: svc.ReachabilityEnabled, UserInfosToSubscribe: 100,
			HTTPCacheInterval: "PT5S", ConsumptionReportInterval: "PT5S", MediaAttachmentsCountLimit: 10,
			MediaAttachmentSizeLimitInMB: 150, MediaAttachmentsTotalSizeLimitInMB: 150,
			EmailBodiesAllowedMimeTypes: mimeTypes, EmailHistoriesAllowedMimeTypes: mimeTypes},
		SyncObjects: map[string]string{
			"my_user_info":     syncview.UserInfoMap(c.UserSID),
			"my_conversations": syncview.MyConversationsMap(c.UserSID),
		},
	})
	return nil
}
