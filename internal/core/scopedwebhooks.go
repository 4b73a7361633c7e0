package core

import (
	"context"
	"strings"

	parley "github.com/parley-dev/parley"
)

// Twilio allows "as many as five" webhooks per conversation
// (https://www.twilio.com/docs/conversations/api/conversation-scoped-webhook-resource)
// and rejects a sixth with 50361 (https://www.twilio.com/docs/api/errors/50361);
// a trigger webhook takes at most five keywords
// (https://www.twilio.com/docs/api/errors/50362).
const (
	maxScopedWebhooks     = 5
	maxWebhookTriggers    = 5
	defaultScopedMethod   = "post"
	maxTriggerKeywordSize = 256
)

// CreateScopedWebhook attaches a post-event webhook to a conversation.
func (a *App) CreateScopedWebhook(ctx context.Context, serviceSID, conversationID string, f parley.ScopedWebhookFields) (*parley.ScopedWebhook, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	if f.Target == nil || *f.Target == "" {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Target in the post body")
	}
	target, err := configEnum("Target", *f.Target, parley.WebhookTargetWebhook, parley.WebhookTargetTrigger, parley.WebhookTargetStudio)
	if err != nil {
		return nil, err
	}
	if f.ReplayAfter != nil && *f.ReplayAfter < 0 {
		return nil, parley.Errorf(parley.CodeInvalidParameter, "Configuration.ReplayAfter must be a message index (0 or more)")
	}
	w := &parley.ScopedWebhook{Target: target, ReplayAfter: f.ReplayAfter}
	if err := applyScopedWebhook(w, f); err != nil {
		return nil, err
	}
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		conv, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		n, err := tx.CountScopedWebhooks(conv.SID)
		if err != nil {
			return err
		}
		if n >= maxScopedWebhooks {
			return parley.Errorf(parley.CodeTooManyWebhooks,
				"Conversation %s already has %d webhooks, the most Twilio allows", conv.SID, maxScopedWebhooks)
		}
		w.SID, w.AccountSID, w.ServiceSID, w.ConversationSID = parley.NewSID(parley.PrefixScopedWebhook), acct.SID, conv.ServiceSID, conv.SID
		w.DateCreated, w.DateUpdated = tx.Now(), tx.Now()
		if err := tx.CreateScopedWebhook(w); err != nil {
			return err
		}
		return a.replay(ctx, tx, acct, conv, w)
	})
	if err == nil && w.ReplayAfter != nil && a.hooks != nil {
		a.hooks.Notify()
	}
	return w, err
}

// maxReplay bounds how many messages one ReplayAfter replays.
const maxReplay = 1000

// replay enqueues onMessageAdded, for the new webhook only, for every
// message from index ReplayAfter on ("the message index for which and its
// successors the webhook will be replayed", Twilio's parameter text), in the
// transaction that creates the webhook. Asking for a replay is asking for
// the webhooks, so it does not depend on X-Twilio-Webhook-Enabled.
func (a *App) replay(ctx context.Context, tx parley.Tx, acct *parley.Account, conv *parley.Conversation, w *parley.ScopedWebhook) error {
	if w.ReplayAfter == nil || a.hooks == nil {
		return nil
	}
	after := *w.ReplayAfter - 1
	for sent := 0; sent < maxReplay; {
		page, err := tx.ListMessages(conv.SID, parley.PageRequest{Size: min(100, maxReplay-sent), After: &after})
		if err != nil {
			return err
		}
		for _, m := range page.Items {
			ev := &parley.Event{Type: parley.EventMessageAdded, ServiceSID: conv.ServiceSID,
				Conversation: conv, Message: m, ScopedWebhookSID: w.SID}
			if err := a.hooks.Post(tx, a.stamp(ctx, acct, ev)); err != nil {
				return err
			}
			after = m.Index
		}
		sent += len(page.Items)
		if !page.More {
			return nil
		}
	}
	return nil
}

// applyScopedWebhook applies the configuration parameters to w and checks
// that the result is complete for w's target.
func applyScopedWebhook(w *parley.ScopedWebhook, f parley.ScopedWebhookFields) (err error) {
	if f.URL != nil {
		if w.URL, err = webhookURL("Configuration.Url", f.URL); err != nil {
			return err
		}
	}
	if f.Method != nil {
		m, err := configEnum("Configuration.Method", *f.Method, "get", "post")
		if err != nil {
			return err
		}
		w.Method = &m
	}
	if f.Filters != nil {
		// Conversation-scoped webhooks are post-event only.
		if w.Filters, err = eventFilters("Configuration.Filters", *f.Filters, postEvents); err != nil {
			return err
		}
	}
	if f.Triggers != nil {
		if w.Triggers, err = triggerKeywords(*f.Triggers); err != nil {
			return err
		}
	}
	if err := sidParam("Configuration.FlowSid", f.FlowSID, parley.PrefixStudioFlow); err != nil {
		return err
	}
	if f.FlowSID != nil {
		w.FlowSID = nonEmpty(f.FlowSID)
	}
	if f.RetryCount != nil {
		w.RetryCount = *f.RetryCount
	}
	return completeScopedWebhook(w)
}

func triggerKeywords(keywords []string) ([]string, error) {
	if len(keywords) > maxWebhookTriggers {
		return nil, parley.Errorf(parley.CodeTooManyTriggers, "A trigger webhook takes at most %d keywords", maxWebhookTriggers)
	}
	out := make([]string, 0, len(keywords))
	for _, k := range keywords {
		if strings.TrimSpace(k) == "" {
			return nil, parley.Errorf(parley.CodeInvalidParameter, "Configuration.Triggers must not hold empty keywords")
		}
		if err := maxLength("Configuration.Triggers", &k, maxTriggerKeywordSize); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// completeScopedWebhook checks what each target needs: a URL for webhook
// and trigger, keywords for trigger, a Studio Flow for studio.
func completeScopedWebhook(w *parley.ScopedWebhook) error {
	missing := func(param string) error {
		return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter %s for a %s webhook", param, w.Target)
	}
	switch w.Target {
	case parley.WebhookTargetStudio:
		if w.FlowSID == nil {
			return missing("Configuration.FlowSid")
		}
		return nil
	case parley.WebhookTargetTrigger:
		if len(w.Triggers) == 0 {
			return missing("Configuration.Triggers")
		}
	}
	if w.URL == nil {
		return missing("Configuration.Url")
	}
	if w.Method == nil {
		m := defaultScopedMethod
		w.Method = &m
	}
	return nil
}

// ScopedWebhook fetches one webhook of a conversation.
func (a *App) ScopedWebhook(ctx context.Context, serviceSID, conversationID, sid string) (*parley.ScopedWebhook, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var w *parley.ScopedWebhook
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		conv, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		w, err = tx.ScopedWebhook(conv.SID, sid)
		return err
	})
	return w, err
}

// ListScopedWebhooks lists a conversation's webhooks in creation order.
func (a *App) ListScopedWebhooks(ctx context.Context, serviceSID, conversationID string, p parley.PageRequest) (parley.Page[*parley.ScopedWebhook], error) {
	acct, err := account(ctx)
	if err != nil {
		return parley.Page[*parley.ScopedWebhook]{}, err
	}
	var page parley.Page[*parley.ScopedWebhook]
	err = a.store.Read(ctx, func(tx parley.Tx) error {
		conv, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		page, err = tx.ListScopedWebhooks(conv.SID, p)
		return err
	})
	return page, err
}

// UpdateScopedWebhook changes a webhook's configuration; its target and
// ReplayAfter are fixed at creation.
func (a *App) UpdateScopedWebhook(ctx context.Context, serviceSID, conversationID, sid string, f parley.ScopedWebhookFields) (*parley.ScopedWebhook, error) {
	acct, err := account(ctx)
	if err != nil {
		return nil, err
	}
	var w *parley.ScopedWebhook
	err = a.store.Write(ctx, func(tx parley.Tx) error {
		conv, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		if w, err = tx.ScopedWebhook(conv.SID, sid); err != nil {
			return err
		}
		if err := applyScopedWebhook(w, f); err != nil {
			return err
		}
		w.DateUpdated = tx.Now()
		return tx.UpdateScopedWebhook(w)
	})
	return w, err
}

// DeleteScopedWebhook removes a webhook from a conversation.
func (a *App) DeleteScopedWebhook(ctx context.Context, serviceSID, conversationID, sid string) error {
	acct, err := account(ctx)
	if err != nil {
		return err
	}
	return a.store.Write(ctx, func(tx parley.Tx) error {
		conv, err := a.conversation(ctx, tx, acct, serviceSID, conversationID)
		if err != nil {
			return err
		}
		return tx.DeleteScopedWebhook(conv.SID, sid)
	})
}
