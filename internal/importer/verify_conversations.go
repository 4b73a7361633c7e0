package importer

import (
	"context"
	"fmt"

	parley "github.com/parley-dev/parley"
)

func (v *Verifier) conversations(ctx context.Context, out *Verification, service string) error {
	var convs []string
	n, _, err := each(ctx, v, out, pathf("/v1/Services/%s/Conversations", service), "conversation",
		func(w wireConversation) string { return w.SID },
		func(tx parley.Tx, w wireConversation) (map[string]any, map[string]any, error) {
			got, err := tx.Conversation(service, w.SID)
			if err != nil {
				return nil, nil, err
			}
			convs = append(convs, w.SID)
			return conversationFields(w.record(v.AccountSID, service)), conversationFields(got), nil
		})
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Conversation], error) {
		return tx.ListConversations(service, parley.ConversationFilter{Type: parley.ChannelPrivate}, p)
	}, func(c *parley.Conversation) int64 { return c.Seq })
	if err != nil {
		return err
	}
	v.count(out, "conversations", service, n, target)
	for _, conv := range convs {
		if err := v.children(ctx, out, service, conv); err != nil {
			return fmt.Errorf("conversation %s: %w", conv, err)
		}
	}
	return nil
}

func conversationFields(c *parley.Conversation) map[string]any {
	return map[string]any{"friendly_name": c.FriendlyName, "unique_name": c.UniqueName, "attributes": c.Attributes,
		"state": c.State, "messaging_service_sid": c.MessagingServiceSID, "date_inactive": c.DateInactive,
		"date_closed": c.DateClosed, "date_created": c.DateCreated, "date_updated": c.DateUpdated}
}

// children compares a conversation's participants (all), webhooks (all)
// and messages (a sample), the counts of participants and messages
// against the conversation's counters.
func (v *Verifier) children(ctx context.Context, out *Verification, service, conv string) error {
	counters, err := v.counters(ctx, service, conv)
	if err != nil {
		return err
	}
	n, _, err := each(ctx, v, out, pathf("/v1/Services/%s/Conversations/%s/Participants", service, conv), "participant",
		func(w wireParticipant) string { return w.SID }, against(v.im.participantKind(service, conv)))
	if err != nil {
		return err
	}
	v.count(out, "participants", conv, n, int(counters.MembersCount))
	retries, err := v.im.retryCounts(ctx, service, conv)
	if err != nil {
		return err
	}
	n, _, err = each(ctx, v, out, pathf("/v1/Services/%s/Conversations/%s/Webhooks", service, conv), "conversation webhook",
		func(w wireScopedWebhook) string { return w.SID }, against(v.im.scopedWebhookKind(service, conv, retries)))
	if err := v.countWebhooks(ctx, out, conv, n, err); err != nil {
		return err
	}
	return v.messageSample(ctx, out, service, conv, pathf("/v1/Services/%s/Conversations/%s/Messages", service, conv), counters)
}

// counters reads a conversation's copy for its counters.
func (v *Verifier) counters(ctx context.Context, service, conv string) (*parley.Conversation, error) {
	var c *parley.Conversation
	err := v.Store.Read(ctx, func(tx parley.Tx) (err error) { c, err = tx.Conversation(service, conv); return err })
	return c, err
}

// countWebhooks counts a conversation's webhooks in the target against n,
// the source's, once listing them (err) went well.
func (v *Verifier) countWebhooks(ctx context.Context, out *Verification, conv string, n int, err error) error {
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.ScopedWebhook], error) {
		return tx.ListScopedWebhooks(conv, p)
	}, func(h *parley.ScopedWebhook) int64 { return h.Seq })
	v.count(out, "conversation webhooks", conv, n, target)
	return err
}

// messageSample compares every Sample-th message of list (by index) field
// by field and counts them all against the conversation's counter.
func (v *Verifier) messageSample(ctx context.Context, out *Verification, service, conv, list string, counters *parley.Conversation) error {
	sample := max(1, v.Sample)
	n, _, err := each(ctx, v, out, list+"?Order=asc", "message", func(w wireMessage) string { return w.SID },
		func(tx parley.Tx, w wireMessage) (map[string]any, map[string]any, error) {
			if w.Index%int64(sample) != 0 {
				return nil, nil, nil
			}
			got, err := tx.Message(conv, w.SID)
			if err != nil {
				return nil, nil, err
			}
			want := w.record(v.AccountSID, service, conv)
			if w.Author == "" {
				// Chat does not show a message's participant (as in messagePage).
				want.ParticipantSID = got.ParticipantSID
			}
			return messageFields(want), messageFields(got), nil
		})
	if err != nil {
		return err
	}
	v.count(out, "messages", conv, n, int(counters.MessagesCount))
	return nil
}

func participantFields(p *parley.Participant) map[string]any {
	return map[string]any{"identity": p.Identity, "attributes": p.Attributes, "role_sid": p.RoleSID,
		"last_read_message_index": p.LastReadMessageIndex, "last_read_timestamp": p.LastReadTimestamp,
		"date_created": p.DateCreated, "date_updated": p.DateUpdated}
}

func messageFields(m *parley.Message) map[string]any {
	return map[string]any{"index": m.Index, "author": m.Author, "body": m.Body, "attributes": m.Attributes,
		"participant_sid": m.ParticipantSID, "date_created": m.DateCreated, "date_updated": m.DateUpdated}
}
