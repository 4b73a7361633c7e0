package importer

import (
	"context"
	"fmt"

	parley "github.com/parley-dev/parley"
)

// chat compares what only Chat shows of a service: its public channels
// (each with its members, webhooks and a sample of its messages) and every
// channel's invites.
func (v *Verifier) chat(ctx context.Context, out *Verification, service string, channels []wireChannel) error {
	var publics []string
	lookup := against(v.im.publicChannelKind(service))
	n, _, err := each(ctx, v, out, pathf("/v2/Services/%s/Channels", service)+"?Type=public", "public channel",
		func(w wireChannel) string { return w.SID },
		func(tx parley.Tx, w wireChannel) (map[string]any, map[string]any, error) {
			s, t, err := lookup(tx, w)
			if err == nil {
				publics = append(publics, w.SID)
			}
			return s, t, err
		})
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Conversation], error) {
		return tx.ListConversations(service, parley.ConversationFilter{Type: parley.ChannelPublic}, p)
	}, func(c *parley.Conversation) int64 { return c.Seq })
	if err != nil {
		return err
	}
	v.count(out, "public channels", service, n, target)
	for _, ch := range publics {
		if err := v.publicChannel(ctx, out, service, ch); err != nil {
			return fmt.Errorf("public channel %s: %w", ch, err)
		}
	}
	for _, ch := range channels {
		if err := v.invites(ctx, out, service, ch.SID); err != nil {
			return fmt.Errorf("channel %s: %w", ch.SID, err)
		}
	}
	return nil
}

// publicChannel compares a public channel's members and webhooks (all) and
// its messages (a sample), read through Chat.
func (v *Verifier) publicChannel(ctx context.Context, out *Verification, service, channel string) error {
	counters, err := v.counters(ctx, service, channel)
	if err != nil {
		return err
	}
	base := pathf("/v2/Services/%s/Channels/%s", service, channel)
	n, _, err := each(ctx, v, out, base+"/Members", "participant", func(w wireMember) string { return w.SID },
		against(v.im.memberKind(service, channel)))
	if err != nil {
		return err
	}
	v.count(out, "participants", channel, n, int(counters.MembersCount))
	n, _, err = each(ctx, v, out, base+"/Webhooks", "conversation webhook", func(w wireChannelWebhook) string { return w.SID },
		against(v.im.publicWebhookKind(service, channel)))
	if err := v.countWebhooks(ctx, out, channel, n, err); err != nil {
		return err
	}
	return v.messageSample(ctx, out, service, channel, base+"/Messages", counters)
}

// invites compares a channel's pending invites.
func (v *Verifier) invites(ctx context.Context, out *Verification, service, channel string) error {
	n, _, err := each(ctx, v, out, pathf("/v2/Services/%s/Channels/%s/Invites", service, channel), "invite",
		func(w wireInvite) string { return w.SID }, against(v.im.inviteKind(service, channel)))
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Invite], error) {
		return tx.ListInvites(channel, nil, p)
	}, func(i *parley.Invite) int64 { return i.Seq })
	v.count(out, "invites", channel, n, target)
	return err
}
