package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// maxTemplateLength bounds a notification template or sound name; Twilio
// documents no limit, and a push payload could not carry more anyway.
const maxTemplateLength = 1024

// NotificationConfig returns a service's push notification configuration;
// a service never configured has every kind disabled, as Twilio documents
// (https://www.twilio.com/docs/conversations/push-notification-configuration).
func (a *App) NotificationConfig(ctx context.Context, serviceSID string) (*parley.NotificationConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var n *parley.NotificationConfig
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		n, err = notificationConfig(tx, acct, serviceSID)
		return err
	})
	return n, err
}

func notificationConfig(tx parley.Tx, acct *parley.Account, serviceSID string) (*parley.NotificationConfig, error) {
	svc, err := service(tx, acct, serviceSID)
	if err != nil {
		return nil, err
	}
	n, err := tx.NotificationConfig(svc.SID)
	if parley.IsNotFound(err) {
		return &parley.NotificationConfig{AccountSID: acct.SID, ServiceSID: svc.SID}, nil
	}
	return n, err
}

// UpdateNotificationConfig changes the parameters given and keeps the rest.
func (a *App) UpdateNotificationConfig(ctx context.Context, serviceSID string, f parley.NotificationConfigFields) (*parley.NotificationConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range []parley.NotificationTemplateFields{f.NewMessage, f.NewMessageWithMedia, f.AddedToConversation, f.RemovedFromConversation} {
		if err := maxLength("Template", t.Template, maxTemplateLength); err != nil {
			return nil, err
		}
		if err := maxLength("Sound", t.Sound, maxTemplateLength); err != nil {
			return nil, err
		}
	}
	var n *parley.NotificationConfig
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if n, err = notificationConfig(tx, acct, serviceSID); err != nil {
			return err
		}
		applyTemplate(&n.NewMessage, f.NewMessage)
		applyTemplate(&n.NewMessageWithMedia, f.NewMessageWithMedia)
		applyTemplate(&n.AddedToConversation, f.AddedToConversation)
		applyTemplate(&n.RemovedFromConversation, f.RemovedFromConversation)
		assignBool(&n.NewMessageBadgeCount, f.NewMessageBadgeCount)
		assignBool(&n.LogEnabled, f.LogEnabled)
		n.DateUpdated = tx.Now()
		return tx.PutNotificationConfig(n)
	})
	if n != nil {
		a.pushConfigs.forget(n.ServiceSID)
	}
	return n, err
}

func applyTemplate(t *parley.NotificationTemplate, f parley.NotificationTemplateFields) {
	assignBool(&t.Enabled, f.Enabled)
	if f.Template != nil {
		t.Template = nonEmpty(f.Template)
	}
	if f.Sound != nil {
		t.Sound = nonEmpty(f.Sound)
	}
}

func assignBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}
