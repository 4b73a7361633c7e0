package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// validateChatService checks a Chat service update before any transaction.
func validateChatService(f parley.ChatServiceFields) error {
	if f.FriendlyName != nil && *f.FriendlyName == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "FriendlyName must not be empty")
	}
	if err := maxLength("FriendlyName", f.FriendlyName, maxNameLength); err != nil {
		return err
	}
	if err := validateServiceConfiguration(f.Defaults); err != nil {
		return err
	}
	for _, n := range []struct {
		name     string
		v        *int64
		min, max int64
		code     int
	}{
		{"Limits.ChannelMembers", f.ChannelMembersLimit, 1, maxChatLimit, parley.CodeInvalidMembersLimit},
		{"Limits.UserChannels", f.UserChannelsLimit, 1, maxChatLimit, parley.CodeInvalidChannelLimit},
		{"TypingIndicatorTimeout", f.TypingIndicatorTimeout, 1, 1 << 31, parley.CodeInvalidParameter},
		{"ConsumptionReportInterval", f.ConsumptionReportInterval, 1, 1 << 31, parley.CodeInvalidParameter},
	} {
		if n.v != nil && (*n.v < n.min || *n.v > n.max) {
			return parley.Errorf(n.code, "%s must be between %d and %d", n.name, n.min, n.max)
		}
	}
	for _, n := range []*int64{f.PreWebhookRetryCount, f.PostWebhookRetryCount} {
		if err := retryCount(n); err != nil {
			return err
		}
	}
	return nil
}

// retryCount checks a Chat webhook retry count: 0 to 3, where Twilio
// answers 50065 otherwise (https://www.twilio.com/docs/api/errors/50065).
func retryCount(n *int64) error {
	if n != nil && (*n < 0 || *n > maxWebhookRetries) {
		return parley.Errorf(parley.CodeInvalidRetryCount, "Webhook retry count must be between 0 and %d", maxWebhookRetries)
	}
	return nil
}

// UpdateChatService changes a Chat service: its name, the default roles and
// reachability it shares with the Conversations service configuration, its
// webhooks (the service's one webhook configuration, under Chat's event
// names) and the Chat-only settings.
func (a *App) UpdateChatService(ctx context.Context, sid string, f parley.ChatServiceFields) (*parley.Service, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateChatService(f); err != nil {
		return nil, err
	}
	hooks, err := chatWebhookConfig(f)
	if err != nil {
		return nil, err
	}
	var svc *parley.Service
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if svc, err = tx.Service(acct.SID, sid); err != nil {
			return err
		}
		if err := applyServiceDefaults(tx, svc, f.Defaults); err != nil {
			return err
		}
		if f.FriendlyName != nil {
			svc.FriendlyName = *f.FriendlyName
		}
		applyChatSettings(&svc.Chat, f)
		svc.DateUpdated = tx.Now()
		if err := tx.UpdateService(svc); err != nil {
			return err
		}
		cfg, err := webhookConfig(tx, acct, svc.SID)
		if err != nil || hooks == (parley.WebhookConfigFields{}) {
			return fillChatWebhooks(svc, cfg, err)
		}
		if err := applyWebhookConfig(cfg, hooks); err != nil {
			return err
		}
		cfg.DateUpdated = tx.Now()
		return fillChatWebhooks(svc, cfg, tx.PutWebhookConfig(cfg))
	})
	a.pushConfigs.forget(sid) // its Notifications.* may have changed
	return svc, err
}

// chatWebhookConfig is the webhook configuration update a Chat service
// update asks for, with Chat's event names translated.
func chatWebhookConfig(f parley.ChatServiceFields) (parley.WebhookConfigFields, error) {
	hooks := parley.WebhookConfigFields{Method: f.WebhookMethod, PreWebhookURL: f.PreWebhookURL, PostWebhookURL: f.PostWebhookURL}
	if f.WebhookFilters != nil {
		var err error
		if hooks.Filters, err = conversationsEvents("WebhookFilters", &f.WebhookFilters); err != nil {
			return hooks, err
		}
	}
	return hooks, nil
}

// fillChatWebhooks shows the service's webhook configuration as the Chat
// service's webhook settings.
func fillChatWebhooks(svc *parley.Service, cfg *parley.WebhookConfig, err error) error {
	if err != nil {
		return err
	}
	svc.Chat.PreWebhookURL, svc.Chat.PostWebhookURL = cfg.PreWebhookURL, cfg.PostWebhookURL
	svc.Chat.WebhookMethod, svc.Chat.WebhookFilters = cfg.Method, ChatEventNames(cfg.Filters)
	return nil
}

// ChatService fetches a service with its webhook settings, as Chat shows it.
func (a *App) ChatService(ctx context.Context, sid string) (*parley.Service, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var svc *parley.Service
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		if svc, err = tx.Service(acct.SID, sid); err != nil {
			return err
		}
		cfg, err := webhookConfig(tx, acct, svc.SID)
		return fillChatWebhooks(svc, cfg, err)
	})
	return svc, err
}

// ListChatServices lists the account's services with their webhook
// settings, as Chat shows them.
func (a *App) ListChatServices(ctx context.Context, p parley.PageRequest) (parley.Page[*parley.Service], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.Service]{}, err
	}
	var page parley.Page[*parley.Service]
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		if page, err = tx.ListServices(acct.SID, p); err != nil {
			return err
		}
		for _, svc := range page.Items {
			cfg, err := webhookConfig(tx, acct, svc.SID)
			if err := fillChatWebhooks(svc, cfg, err); err != nil {
				return err
			}
		}
		return nil
	})
	return page, err
}

// applyChatSettings copies the Chat-only settings f gives onto s.
func applyChatSettings(s *parley.ChatSettings, f parley.ChatServiceFields) {
	setBool(&s.ReadStatusEnabled, f.ReadStatusEnabled)
	setBool(&s.Notifications.LogEnabled, f.NotificationsLogEnabled)
	for dst, src := range map[*int64]*int64{&s.TypingIndicatorTimeout: f.TypingIndicatorTimeout,
		&s.ConsumptionReportInterval: f.ConsumptionReportInterval, &s.ChannelMembersLimit: f.ChannelMembersLimit,
		&s.UserChannelsLimit: f.UserChannelsLimit, &s.PreWebhookRetryCount: f.PreWebhookRetryCount,
		&s.PostWebhookRetryCount: f.PostWebhookRetryCount} {
		if src != nil {
			*dst = *src
		}
	}
	if f.MediaCompatibilityMessage != nil {
		s.MediaCompatibilityMessage = nonEmpty(f.MediaCompatibilityMessage)
	}
	applyNotification(&s.Notifications.NewMessage, f.NewMessage)
	applyNotification(&s.Notifications.AddedToChannel, f.AddedToChannel)
	applyNotification(&s.Notifications.RemovedFromChannel, f.RemovedFromChannel)
	applyNotification(&s.Notifications.InvitedToChannel, f.InvitedToChannel)
}

func applyNotification(n *parley.ChatNotification, f parley.ChatNotificationFields) {
	setBool(&n.Enabled, f.Enabled)
	if f.Template != nil {
		n.Template = nonEmpty(f.Template)
	}
	if f.Sound != nil {
		n.Sound = nonEmpty(f.Sound)
	}
	if f.BadgeCountEnabled != nil {
		n.BadgeCountEnabled = f.BadgeCountEnabled
	}
}

func setBool(dst *bool, src *bool) {
	if src != nil {
		*dst = *src
	}
}
