package twilioapi

import (
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
)

// WebhookFlag reads X-Twilio-Webhook-Enabled into the request context
// (parley.WithWebhooks): Twilio fires webhooks for REST-originated actions
// only when the request carries it set to "true"
// (https://www.twilio.com/docs/conversations/conversations-webhooks).
func WebhookFlag(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		on := strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Twilio-Webhook-Enabled")), "true")
		next.ServeHTTP(w, r.WithContext(parley.WithWebhooks(r.Context(), on)))
	})
}
