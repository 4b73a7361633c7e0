package core

import (
	"context"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Address types and auto-creation types of the Address Configuration
// resource (https://www.twilio.com/docs/conversations/api/address-configuration-resource).
var (
	addressTypes      = []string{"sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"}
	autoCreationTypes = []string{"webhook", "studio", "default"}
	// The events an auto-created conversation's webhook can filter on, as the
	// resource lists them: post-events of the conversation, never pre-events.
	addressWebhookEvents = newEventSet("onMessageAdded", "onMessageUpdated", "onMessageRemoved", "onConversationUpdated",
		"onConversationStateUpdated", "onConversationRemoved", "onParticipantAdded", "onParticipantUpdated",
		"onParticipantRemoved", "onDeliveryUpdated")
)

// CreateAddressConfig configures one of the account's addresses; an
// address has at most one configuration.
func (a *App) CreateAddressConfig(ctx context.Context, f parley.AddressConfigFields) (*parley.AddressConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range []struct {
		name string
		v    *string
	}{{"Type", f.Type}, {"Address", f.Address}} {
		if p.v == nil || strings.TrimSpace(*p.v) == "" {
			return nil, parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter %s in the post body", p.name)
		}
	}
	typ, err := configEnum("Type", *f.Type, addressTypes...)
	if err != nil {
		return nil, err
	}
	c := &parley.AddressConfig{SID: parley.NewSID(parley.PrefixAddressConfig), AccountSID: acct.SID, Type: typ,
		Address: strings.TrimSpace(*f.Address), AutoCreation: parley.AutoCreation{WebhookFilters: []string{}}}
	if err := validAddress(typ, c.Address); err != nil {
		return nil, err
	}
	if f.AddressCountry != nil && *f.AddressCountry != "" {
		if len(*f.AddressCountry) != 2 || strings.Trim(strings.ToUpper(*f.AddressCountry), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return nil, parley.Errorf(parley.CodeInvalidParameter, "AddressCountry must be an ISO 3166-1 alpha-2 country code")
		}
		country := strings.ToUpper(*f.AddressCountry)
		c.AddressCountry = &country
	}
	if err := applyAddressConfig(c, f); err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		if err := autoCreationService(tx, acct, c); err != nil {
			return err
		}
		c.DateCreated, c.DateUpdated = tx.Now(), tx.Now()
		return tx.CreateAddressConfig(c)
	})
	return c, err
}

// autoCreationService checks that the configured conversation service is
// one of the account's.
func autoCreationService(tx parley.Tx, acct *parley.Account, c *parley.AddressConfig) error {
	if c.AutoCreation.ConversationServiceSID == nil {
		return nil
	}
	_, err := tx.Service(acct.SID, *c.AutoCreation.ConversationServiceSID)
	return err
}

// applyAddressConfig applies the writable fields and checks that the
// auto-creation type has what it needs: a URL for webhook, a Flow for studio.
func applyAddressConfig(c *parley.AddressConfig, f parley.AddressConfigFields) error {
	if err := maxLength("FriendlyName", f.FriendlyName, maxNameLength); err != nil {
		return err
	}
	if f.FriendlyName != nil {
		c.FriendlyName = nonEmpty(f.FriendlyName)
	}
	auto := &c.AutoCreation
	assignBool(&auto.Enabled, f.Enabled)
	if err := applyAutoCreation(auto, f); err != nil {
		return err
	}
	if auto.Type == nil {
		return nil
	}
	switch *auto.Type {
	case "webhook":
		if auto.WebhookURL == nil {
			return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter AutoCreation.WebhookUrl for AutoCreation.Type webhook")
		}
	case "studio":
		if auto.StudioFlowSID == nil {
			return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter AutoCreation.StudioFlowSid for AutoCreation.Type studio")
		}
	}
	return nil
}

func applyAutoCreation(auto *parley.AutoCreation, f parley.AddressConfigFields) (err error) {
	if f.AutoCreationType != nil {
		t, err := configEnum("AutoCreation.Type", *f.AutoCreationType, autoCreationTypes...)
		if err != nil {
			return err
		}
		auto.Type = &t
	}
	if err := sidParam("AutoCreation.ConversationServiceSid", f.ConversationServiceSID, parley.PrefixService); err != nil {
		return err
	}
	if f.ConversationServiceSID != nil {
		auto.ConversationServiceSID = nonEmpty(f.ConversationServiceSID)
	}
	if f.WebhookURL != nil {
		if auto.WebhookURL, err = webhookURL("AutoCreation.WebhookUrl", f.WebhookURL); err != nil {
			return err
		}
	}
	if f.WebhookMethod != nil {
		m, err := configEnum("AutoCreation.WebhookMethod", *f.WebhookMethod, "get", "post")
		if err != nil {
			return err
		}
		auto.WebhookMethod = &m
	}
	if f.WebhookFilters != nil {
		if auto.WebhookFilters, err = eventFilters("AutoCreation.WebhookFilters", *f.WebhookFilters, addressWebhookEvents); err != nil {
			return err
		}
	}
	if err := sidParam("AutoCreation.StudioFlowSid", f.StudioFlowSID, parley.PrefixStudioFlow); err != nil {
		return err
	}
	if f.StudioFlowSID != nil {
		auto.StudioFlowSID = nonEmpty(f.StudioFlowSID)
	}
	if f.StudioRetryCount != nil {
		if *f.StudioRetryCount < 0 {
			return parley.Errorf(parley.CodeInvalidParameter, "AutoCreation.StudioRetryCount must not be negative")
		}
		auto.StudioRetryCount = f.StudioRetryCount
	}
	return nil
}

// AddressConfig fetches an address configuration by SID or by address.
func (a *App) AddressConfig(ctx context.Context, id string) (*parley.AddressConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.AddressConfig
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		c, err = tx.AddressConfig(acct.SID, id)
		return err
	})
	return c, err
}

// ListAddressConfigs lists the account's address configurations, of one
// type when typ is not empty.
func (a *App) ListAddressConfigs(ctx context.Context, typ string, p parley.PageRequest) (parley.Page[*parley.AddressConfig], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.AddressConfig]{}, err
	}
	var page parley.Page[*parley.AddressConfig]
	if typ != "" {
		var err error
		if typ, err = configEnum("Type", typ, addressTypes...); err != nil {
			return page, err
		}
	}
	err = a.store.Read(ctx, func(tx parley.Tx) (err error) {
		page, err = tx.ListAddressConfigs(acct.SID, typ, p)
		return err
	})
	return page, err
}

// UpdateAddressConfig changes an address configuration's name and
// auto-creation settings; its type and address are fixed.
func (a *App) UpdateAddressConfig(ctx context.Context, id string, f parley.AddressConfigFields) (*parley.AddressConfig, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var c *parley.AddressConfig
	err = a.store.Write(ctx, func(tx parley.Tx) (err error) {
		if c, err = tx.AddressConfig(acct.SID, id); err != nil {
			return err
		}
		if err := applyAddressConfig(c, f); err != nil {
			return err
		}
		if err := autoCreationService(tx, acct, c); err != nil {
			return err
		}
		c.DateUpdated = tx.Now()
		return tx.UpdateAddressConfig(c)
	})
	return c, err
}

// DeleteAddressConfig deletes an address configuration by SID or address.
func (a *App) DeleteAddressConfig(ctx context.Context, id string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		c, err := tx.AddressConfig(acct.SID, id)
		if err != nil {
			return err
		}
		return tx.DeleteAddressConfig(acct.SID, c.SID)
	})
}
