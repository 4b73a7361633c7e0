package webhook

import (
	"net/http"
	"slices"
	"strings"

	parley "github.com/parley-dev/parley"
)

// target is one URL an event goes to.
type target struct {
	URL    string
	Method string
	// Scoped is the conversation-scoped (Chat: channel) webhook the target
	// comes from; nil for the service's or account's configuration.
	Scoped *parley.ScopedWebhook
	// Retries, set for Chat-dialect events only, is how many more attempts
	// a timeout or a 429/503/504 answer earns (Chat's retry count, 0 to 3).
	// nil leaves a post-event to the job pool's retries.
	Retries *int
}

// configFor is the webhook configuration that governs a service: the
// service's own when it sets a URL (it then replaces the account's, as
// Twilio documents), else the account's. nil when neither exists. A Chat
// service has no account-wide configuration to fall back on, so
// Chat-dialect events (chat) only ever use the service's.
func configFor(tx parley.Tx, accountSID, serviceSID string, chat bool) (*parley.WebhookConfig, error) {
	if serviceSID != "" {
		c, err := tx.WebhookConfig(accountSID, serviceSID)
		if err != nil && !parley.IsNotFound(err) {
			return nil, err
		}
		if err == nil && (c.PreWebhookURL != nil || c.PostWebhookURL != nil) {
			return c, nil
		}
	}
	if chat {
		return nil, nil
	}
	c, err := tx.WebhookConfig(accountSID, "")
	if parley.IsNotFound(err) {
		return nil, nil
	}
	if err == nil && c.Target != "" && c.Target != parley.WebhookTargetWebhook {
		return nil, nil // flex targets are Flex's business, not a URL
	}
	return c, err
}

// serviceTarget is the configured pre (pre true) or post URL that ev goes
// to, nil when none is set or the filters leave ev out. Filters hold the
// Conversations names, which ev.Type is in either dialect. A Chat-dialect
// target carries the service's pre or post retry count.
func serviceTarget(tx parley.Tx, ev *parley.Event, pre bool) (*target, error) {
	c, err := configFor(tx, ev.AccountSID, ev.ServiceSID, ev.Chat)
	if err != nil {
		return nil, err
	}
	t := configTarget(c, ev.Type, pre)
	if t == nil || !ev.Chat {
		return t, nil
	}
	svc, err := tx.Service(ev.AccountSID, ev.ServiceSID)
	if err != nil {
		return nil, err
	}
	n := svc.Chat.PostWebhookRetryCount
	if pre {
		n = svc.Chat.PreWebhookRetryCount
	}
	retries := int(n)
	t.Retries = &retries
	return t, nil
}

// configTarget is the configured pre (pre true) or post URL for event, when
// the configuration's filters select the event.
func configTarget(c *parley.WebhookConfig, event string, pre bool) *target {
	if c == nil || !slices.Contains(c.Filters, event) {
		return nil
	}
	u := c.PostWebhookURL
	if pre {
		u = c.PreWebhookURL
	}
	if u == nil || *u == "" {
		return nil
	}
	return &target{URL: *u, Method: methodOr(c.Method)}
}

func methodOr(m string) string {
	if m == "" {
		return http.MethodPost
	}
	return strings.ToUpper(m)
}

// studioURL is where Twilio's Studio receives a flow's webhook.
func studioURL(accountSID, flowSID string) string {
	return "https://webhooks.twilio.com/v1/Accounts/" + accountSID + "/Flows/" + flowSID
}

// scopedTargets are the conversation-scoped webhooks that ev selects:
// webhook targets by filter, trigger targets on onMessageAdded whose body
// contains a keyword, studio targets by filter (onMessageAdded when none).
func scopedTargets(tx parley.Tx, ev *parley.Event) ([]target, error) {
	if ev.Conversation == nil || ev.Conversation.SID == "" {
		return nil, nil
	}
	page, err := tx.ListScopedWebhooks(ev.Conversation.SID, parley.PageRequest{Size: 50})
	if err != nil {
		return nil, err
	}
	var out []target
	for _, w := range page.Items {
		if !scopedSelects(w, ev) || (ev.ScopedWebhookSID != "" && w.SID != ev.ScopedWebhookSID) {
			continue
		}
		t := target{Method: http.MethodPost, Scoped: w}
		if ev.Chat {
			retries := int(w.RetryCount)
			t.Retries = &retries
		}
		if w.Method != nil {
			t.Method = methodOr(*w.Method)
		}
		switch {
		case w.Target == parley.WebhookTargetStudio && w.FlowSID != nil:
			t.URL = studioURL(ev.AccountSID, *w.FlowSID)
		case w.URL != nil:
			t.URL = *w.URL
		default:
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

func scopedSelects(w *parley.ScopedWebhook, ev *parley.Event) bool {
	switch w.Target {
	case parley.WebhookTargetTrigger:
		return ev.Type == parley.EventMessageAdded && ev.Message != nil && ev.Message.Body != nil &&
			containsKeyword(*ev.Message.Body, w.Triggers)
	case parley.WebhookTargetStudio:
		if len(w.Filters) == 0 {
			return ev.Type == parley.EventMessageAdded
		}
	}
	return slices.Contains(w.Filters, ev.Type)
}

// containsKeyword reports whether body contains one of the trigger
// keywords, ignoring case.
func containsKeyword(body string, keywords []string) bool {
	body = strings.ToLower(body)
	for _, k := range keywords {
		if k != "" && strings.Contains(body, strings.ToLower(k)) {
			return true
		}
	}
	return false
}
