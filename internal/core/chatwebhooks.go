package core

import (
	"context"

	parley "github.com/parley-dev/parley"
)

// Chat channel webhooks are conversation-scoped webhooks under Chat's event
// names. The rows hold the Conversations names, so one delivery machinery
// serves both APIs; the Chat surface translates with parley.ChatEvent and
// parley.ConversationsEvent.

// ChatEventNames renders stored (Conversations) event names as Chat's.
func ChatEventNames(filters []string) []string {
	out := make([]string, 0, len(filters))
	for _, f := range filters {
		if name, ok := parley.ChatEvent(f); ok {
			out = append(out, name)
		}
	}
	return out
}

// chatWebhookFields turns a Chat channel webhook request into the scoped
// webhook one: Chat filters become Conversations events; the retry count
// (0 to 3) is kept for Chat-dialect deliveries.
func chatWebhookFields(f parley.ScopedWebhookFields, retries *int64) (parley.ScopedWebhookFields, error) {
	if err := retryCount(retries); err != nil {
		return f, err
	}
	f.RetryCount = retries
	var err error
	f.Filters, err = conversationsEvents("Configuration.Filters", f.Filters)
	return f, err
}

// conversationsEvents translates Chat event names to the Conversations
// ones they are stored as. Chat's media-only events (onMediaMessageSend,
// onMediaMessageSent) have no Conversations event and are refused.
func conversationsEvents(param string, names *[]string) (*[]string, error) {
	if names == nil {
		return nil, nil
	}
	events := make([]string, len(*names))
	for i, name := range *names {
		event, ok := parley.ConversationsEvent(name)
		if !ok {
			return nil, parley.Errorf(parley.CodeInvalidParameter, "%s: %q is not a supported Chat event name", param, name)
		}
		events[i] = event
	}
	return &events, nil
}

// CreateChannelWebhook attaches a webhook to a channel (at most five, as
// for conversations).
func (a *App) CreateChannelWebhook(ctx context.Context, serviceSID, channelID string, f parley.ScopedWebhookFields, retries *int64) (*parley.ScopedWebhook, error) {
	f, err := chatWebhookFields(f, retries)
	if err != nil {
		return nil, err
	}
	return a.CreateScopedWebhook(ctx, serviceSID, channelID, f)
}

// UpdateChannelWebhook changes a channel webhook's configuration.
func (a *App) UpdateChannelWebhook(ctx context.Context, serviceSID, channelID, sid string, f parley.ScopedWebhookFields, retries *int64) (*parley.ScopedWebhook, error) {
	f, err := chatWebhookFields(f, retries)
	if err != nil {
		return nil, err
	}
	return a.UpdateScopedWebhook(ctx, serviceSID, channelID, sid, f)
}
