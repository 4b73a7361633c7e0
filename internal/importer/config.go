package importer

import (
	"context"
	"errors"
	"net/http"
	"time"

	parley "github.com/parley-dev/parley"
)

// wireScopedWebhook is a conversation-scoped webhook
// (https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource).
type wireScopedWebhook struct {
	SID           string              `json:"sid"`
	Target        string              `json:"target"`
	Configuration wireWebhookSettings `json:"configuration"`
	DateCreated   time.Time           `json:"date_created"`
	DateUpdated   time.Time           `json:"date_updated"`
}

// wireWebhookSettings is a webhook's configuration as Conversations'
// scoped webhooks and Chat's channel webhooks show it; each shows one of
// the last two fields.
type wireWebhookSettings struct {
	URL         *string  `json:"url"`
	Method      *string  `json:"method"`
	Filters     []string `json:"filters"`
	Triggers    []string `json:"triggers"`
	FlowSID     *string  `json:"flow_sid"`
	ReplayAfter *int64   `json:"replay_after"` // Conversations
	RetryCount  int64    `json:"retry_count"`  // Chat
}

func (w wireScopedWebhook) record(acct, service, conv string) *parley.ScopedWebhook {
	c := w.Configuration
	return &parley.ScopedWebhook{SID: w.SID, AccountSID: acct, ServiceSID: service, ConversationSID: conv,
		Target: w.Target, URL: c.URL, Method: c.Method, Filters: c.Filters, Triggers: c.Triggers, FlowSID: c.FlowSID,
		ReplayAfter: c.ReplayAfter, DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func scopedWebhookFields(h *parley.ScopedWebhook) map[string]any {
	return map[string]any{"target": h.Target, "url": h.URL, "method": h.Method, "filters": h.Filters,
		"triggers": h.Triggers, "flow_sid": h.FlowSID, "date_created": h.DateCreated, "date_updated": h.DateUpdated}
}

// scopedWebhooks copies a conversation's own webhooks, with the retry
// counts Chat shows when the source has Chat. Creating them in the store
// directly replays nothing: replay_after is kept as a record of how the
// webhook was made.
func (im *Importer) scopedWebhooks(ctx context.Context, service, conv string) error {
	var hooks []wireScopedWebhook
	err := List(ctx, im.Source, pathf("/v1/Services/%s/Conversations/%s/Webhooks", service, conv), func(page []wireScopedWebhook) error {
		hooks = append(hooks, page...) // five at the most
		return nil
	})
	if err != nil || len(hooks) == 0 {
		return err
	}
	retries, err := im.retryCounts(ctx, service, conv)
	if err != nil {
		return err
	}
	return syncPage(im, ctx, im.scopedWebhookKind(service, conv, retries), hooks)
}

// scopedWebhookKind copies a conversation's webhooks; retries, when the
// source has Chat (non-nil), gives their retry counts, which are then
// compared too.
func (im *Importer) scopedWebhookKind(service, conv string, retries map[string]int64) kind[wireScopedWebhook, *parley.ScopedWebhook] {
	fields := scopedWebhookFields
	if retries != nil {
		fields = webhookAndRetryFields
	}
	return kind[wireScopedWebhook, *parley.ScopedWebhook]{resource: "conversation webhooks",
		record: func(w wireScopedWebhook) *parley.ScopedWebhook {
			h := w.record(im.AccountSID, service, conv)
			h.RetryCount = retries[w.SID]
			return h
		},
		find: func(tx parley.Tx, w wireScopedWebhook) (*parley.ScopedWebhook, error) {
			return tx.ScopedWebhook(conv, w.SID)
		},
		fields: fields,
		create: func(tx parley.Tx, h *parley.ScopedWebhook) error { return tx.CreateScopedWebhook(h) },
		update: func(tx parley.Tx, have, want *parley.ScopedWebhook) error {
			want.Seq = have.Seq
			if retries == nil {
				want.RetryCount = have.RetryCount
			}
			return tx.UpdateScopedWebhook(want)
		}}
}

// wireAddressConfig is an Address Configuration
// (https://www.twilio.com/docs/conversations/api/address-configuration-resource).
type wireAddressConfig struct {
	SID            string  `json:"sid"`
	Type           string  `json:"type"`
	Address        string  `json:"address"`
	FriendlyName   *string `json:"friendly_name"`
	AddressCountry *string `json:"address_country"`
	AutoCreation   struct {
		Enabled                bool     `json:"enabled"`
		Type                   *string  `json:"type"`
		ConversationServiceSID *string  `json:"conversation_service_sid"`
		WebhookURL             *string  `json:"webhook_url"`
		WebhookMethod          *string  `json:"webhook_method"`
		WebhookFilters         []string `json:"webhook_filters"`
		StudioFlowSID          *string  `json:"studio_flow_sid"`
		StudioRetryCount       *int64   `json:"studio_retry_count"`
	} `json:"auto_creation"`
	DateCreated time.Time `json:"date_created"`
	DateUpdated time.Time `json:"date_updated"`
}

func (w wireAddressConfig) record(acct string) *parley.AddressConfig {
	a := w.AutoCreation
	return &parley.AddressConfig{SID: w.SID, AccountSID: acct, Type: w.Type, Address: w.Address,
		FriendlyName: w.FriendlyName, AddressCountry: w.AddressCountry,
		AutoCreation: parley.AutoCreation{Enabled: a.Enabled, Type: a.Type, ConversationServiceSID: a.ConversationServiceSID,
			WebhookURL: a.WebhookURL, WebhookMethod: a.WebhookMethod, WebhookFilters: a.WebhookFilters,
			StudioFlowSID: a.StudioFlowSID, StudioRetryCount: a.StudioRetryCount},
		DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func addressConfigFields(c *parley.AddressConfig) map[string]any {
	a := c.AutoCreation
	return map[string]any{"type": c.Type, "address": c.Address, "friendly_name": c.FriendlyName,
		"address_country": c.AddressCountry, "auto_creation.enabled": a.Enabled, "auto_creation.type": a.Type,
		"auto_creation.conversation_service_sid": a.ConversationServiceSID, "auto_creation.webhook_url": a.WebhookURL,
		"auto_creation.webhook_method": a.WebhookMethod, "auto_creation.webhook_filters": a.WebhookFilters,
		"auto_creation.studio_flow_sid": a.StudioFlowSID, "auto_creation.studio_retry_count": a.StudioRetryCount,
		"date_created": c.DateCreated, "date_updated": c.DateUpdated}
}

// addressConfigs copies the account's address configurations.
func (im *Importer) addressConfigs(ctx context.Context) error {
	k := im.addressConfigKind()
	return List(ctx, im.Source, "/v1/Configuration/Addresses", func(page []wireAddressConfig) error {
		return syncPage(im, ctx, k, page)
	})
}

// addressConfigKind copies an address configuration.
func (im *Importer) addressConfigKind() kind[wireAddressConfig, *parley.AddressConfig] {
	return kind[wireAddressConfig, *parley.AddressConfig]{resource: "address configurations",
		record: func(w wireAddressConfig) *parley.AddressConfig { return w.record(im.AccountSID) },
		find: func(tx parley.Tx, w wireAddressConfig) (*parley.AddressConfig, error) {
			return tx.AddressConfig(im.AccountSID, w.SID)
		},
		fields: addressConfigFields,
		create: func(tx parley.Tx, c *parley.AddressConfig) error { return tx.CreateAddressConfig(c) },
		update: func(tx parley.Tx, have, want *parley.AddressConfig) error {
			want.Seq = have.Seq
			return tx.UpdateAddressConfig(want)
		}}
}

// wireAccount is the 2010 API's account (https://www.twilio.com/docs/iam/api/account).
type wireAccount struct {
	FriendlyName string `json:"friendly_name"`
}

// accountSettings carries the account's friendly name (2010 API) and its
// Conversations configuration onto the target account, when the target is
// the source's own account (an --into target keeps its own).
func (im *Importer) accountSettings(ctx context.Context) error {
	if im.AccountSID != im.SourceAccountSID {
		return nil
	}
	var cfg wireConfig
	if err := im.Source.Get(ctx, "/v1/Configuration", &cfg); err != nil {
		return err
	}
	var acct wireAccount
	err := im.Source.Get(ctx, pathf("/2010-04-01/Accounts/%s.json", im.AccountSID), &acct)
	var se *SourceError
	if errors.As(err, &se) && (se.Status == http.StatusUnauthorized || se.Status == http.StatusForbidden) {
		// An API key may not read the Accounts resource.
		im.logf("the account's friendly name is not readable with these credentials; not copied")
		err = nil
	}
	if err != nil {
		return err
	}
	return im.counted(ctx, "account settings", func(tx parley.Tx, n *Count) error {
		a, err := tx.Account(im.AccountSID)
		if im.DryRun && parley.IsNotFound(err) {
			n.Copied++
			return nil
		}
		if err != nil {
			return err
		}
		want := *a
		if acct.FriendlyName != "" {
			want.FriendlyName = acct.FriendlyName
		}
		want.DefaultServiceSID, want.DefaultMessagingServiceSID = cfg.DefaultChatServiceSID, cfg.DefaultMessagingServiceSID
		want.DefaultInactiveTimer, want.DefaultClosedTimer = cfg.DefaultInactiveTimer, cfg.DefaultClosedTimer
		if sameFields(accountFields(a), accountFields(&want)) {
			n.Existing++
			return nil
		}
		n.Updated++
		if im.DryRun {
			return nil
		}
		want.DateUpdated = tx.Now()
		return tx.UpdateAccount(&want)
	})
}

func accountFields(a *parley.Account) map[string]any {
	return map[string]any{"friendly_name": a.FriendlyName, "default_chat_service_sid": a.DefaultServiceSID,
		"default_messaging_service_sid": a.DefaultMessagingServiceSID,
		"default_inactive_timer":        a.DefaultInactiveTimer, "default_closed_timer": a.DefaultClosedTimer}
}
