package core

import (
	"context"
	"net/url"
	"strings"

	parley "github.com/parley-dev/parley"
)

// The Conversations event catalogue: pre-action events can block an
// action, post-action events report it
// (https://www.twilio.com/docs/conversations/conversations-webhooks).
var (
	preEvents = newEventSet("onMessageAdd", "onMessageUpdate", "onMessageRemove", "onConversationAdd",
		"onConversationUpdate", "onConversationRemove", "onParticipantAdd", "onParticipantUpdate",
		"onParticipantRemove", "onUserUpdate")
	postEvents = newEventSet("onMessageAdded", "onMessageUpdated", "onMessageRemoved", "onConversationAdded",
		"onConversationUpdated", "onConversationRemoved", "onConversationStateUpdated", "onParticipantAdded",
		"onParticipantUpdated", "onParticipantRemoved", "onUserAdded", "onUserUpdated", "onDeliveryUpdated")
)

// Defaults of a webhook configuration never written, as a fresh Twilio
// account shows it: POST, no filters (so nothing fires), no URLs.
const (
	defaultWebhookMethod = "POST"
	defaultWebhookTarget = "webhook"
)

func newEventSet(names ...string) map[string]bool {
	s := make(map[string]bool, len(names))
	for _, n := range names {
		s[n] = true
	}
	return s
}

// eventFilters validates a Filters list against the allowed events and
// drops repeats, keeping the order given.
func eventFilters(param string, filters []string, allowed ...map[string]bool) ([]string, error) {
	out := make([]string, 0, len(filters))
	seen := map[string]bool{}
	for _, f := range filters {
		ok := false
		for _, set := range allowed {
			ok = ok || set[f]
		}
		if !ok {
			return nil, parley.Errorf(parley.CodeInvalidParameter, "%s: %q is not a Conversations event this webhook can receive", param, f)
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, nil
}

// webhookURL validates an absolute http(s) URL; "" clears the value.
func webhookURL(param string, v *string) (*string, error) {
	if v == nil || *v == "" {
		return nil, nil
	}
	u, err := url.Parse(*v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "%s must be an absolute http or https URL", param)
	}
	return v, nil
}

// configEnum matches v case-insensitively against values and returns the
// listed spelling.
func configEnum(param string, v string, values ...string) (string, error) {
	for _, want := range values {
		if strings.EqualFold(v, want) {
			return want, nil
		}
	}
	return "", parley.Errorf(parley.CodeInvalidParameter, "%s must be one of %s", param, strings.Join(values, ", "))
}

// WebhookConfig returns the webhook configuration of the account
// (serviceSID "") or of a service, with Twilio's defaults when never set.
func (a *App) WebhookConfig(ctx context.Context, serviceSID string) (*parley.WebhookConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.WebhookConfig
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		c, err = webhookConfig(tx, acct, serviceSID)
		return err
	})
	return c, err
}

func webhookConfig(tx parley.Tx, acct *parley.Account, serviceSID string) (*parley.WebhookConfig, error) {
	if serviceSID != "" {
		if _, err := tx.Service(acct.SID, serviceSID); err != nil {
			return nil, err
		}
	}
	c, err := tx.WebhookConfig(acct.SID, serviceSID)
	if parley.IsNotFound(err) {
		return &parley.WebhookConfig{AccountSID: acct.SID, ServiceSID: serviceSID, Method: defaultWebhookMethod,
			Filters: []string{}, Target: defaultWebhookTarget}, nil
	}
	return c, err
}

// UpdateWebhookConfig changes the account's (serviceSID "") or a service's
// webhook configuration. Target exists on the account configuration only.
func (a *App) UpdateWebhookConfig(ctx context.Context, serviceSID string, f parley.WebhookConfigFields) (*parley.WebhookConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.WebhookConfig
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if c, err = webhookConfig(tx, acct, serviceSID); err != nil {
			return err
		}
		if err := applyWebhookConfig(c, f); err != nil {
			return err
		}
		c.DateUpdated = tx.Now()
		return tx.PutWebhookConfig(c)
	})
	return c, err
}

func applyWebhookConfig(c *parley.WebhookConfig, f parley.WebhookConfigFields) (err error) {
	if f.Method != nil {
		if c.Method, err = configEnum("Method", *f.Method, "GET", "POST"); err != nil {
			return err
		}
	}
	if f.Filters != nil {
		if c.Filters, err = eventFilters("Filters", *f.Filters, preEvents, postEvents); err != nil {
			return err
		}
	}
	if f.PreWebhookURL != nil {
		if c.PreWebhookURL, err = webhookURL("PreWebhookUrl", f.PreWebhookURL); err != nil {
			return err
		}
	}
	if f.PostWebhookURL != nil {
		if c.PostWebhookURL, err = webhookURL("PostWebhookUrl", f.PostWebhookURL); err != nil {
			return err
		}
	}
	if f.Target != nil && c.ServiceSID == "" {
		c.Target, err = configEnum("Target", *f.Target, "webhook", "flex")
	}
	return err
}
