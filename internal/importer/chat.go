package importer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	parley "github.com/parley-dev/parley"
)

// Programmable Chat shows what Conversations does not: public channels
// (with their members and messages), invites, a channel's creator, and a
// service's Chat settings (https://www.twilio.com/docs/conversations/migrating-chat-conversations).
// It is read through Chat v2 on the same service SIDs.

// wireChatService is a Chat v2 service's Chat-only settings
// (https://www.twilio.com/docs/chat/rest/service-resource). Its webhook URLs,
// method and filters are the service's webhook configuration, copied from
// Conversations.
type wireChatService struct {
	ReadStatusEnabled         bool  `json:"read_status_enabled"`
	TypingIndicatorTimeout    int64 `json:"typing_indicator_timeout"`
	ConsumptionReportInterval int64 `json:"consumption_report_interval"`
	Limits                    struct {
		ChannelMembers int64 `json:"channel_members"`
		UserChannels   int64 `json:"user_channels"`
	} `json:"limits"`
	PreWebhookRetryCount  int64                    `json:"pre_webhook_retry_count"`
	PostWebhookRetryCount int64                    `json:"post_webhook_retry_count"`
	Notifications         parley.ChatNotifications `json:"notifications"`
	Media                 struct {
		CompatibilityMessage *string `json:"compatibility_message"`
	} `json:"media"`
}

func (w wireChatService) settings() parley.ChatSettings {
	s := parley.DefaultChatSettings()
	s.ReadStatusEnabled, s.TypingIndicatorTimeout, s.ConsumptionReportInterval =
		w.ReadStatusEnabled, w.TypingIndicatorTimeout, w.ConsumptionReportInterval
	s.ChannelMembersLimit, s.UserChannelsLimit = w.Limits.ChannelMembers, w.Limits.UserChannels
	s.PreWebhookRetryCount, s.PostWebhookRetryCount = w.PreWebhookRetryCount, w.PostWebhookRetryCount
	s.Notifications, s.MediaCompatibilityMessage = w.Notifications, w.Media.CompatibilityMessage
	return s
}

// chatJSON renders Chat settings for comparison.
func chatJSON(s parley.ChatSettings) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// wireChannel is a Chat v2 channel (https://www.twilio.com/docs/chat/rest/channel-resource).
type wireChannel struct {
	SID           string    `json:"sid"`
	FriendlyName  *string   `json:"friendly_name"`
	UniqueName    *string   `json:"unique_name"`
	Attributes    string    `json:"attributes"`
	Type          string    `json:"type"`
	CreatedBy     *string   `json:"created_by"`
	MessagesCount int64     `json:"messages_count"`
	DateCreated   time.Time `json:"date_created"`
	DateUpdated   time.Time `json:"date_updated"`
}

// record is a public channel as a conversation; it has no state or timers
// in Chat, so it is active.
func (w wireChannel) record(acct, service string) *parley.Conversation {
	return &parley.Conversation{SID: w.SID, AccountSID: acct, ServiceSID: service, FriendlyName: w.FriendlyName,
		UniqueName: w.UniqueName, Attributes: orEmptyJSON(w.Attributes), State: parley.StateActive,
		Type: w.Type, CreatedBy: w.CreatedBy, DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func channelFields(c *parley.Conversation) map[string]any {
	return map[string]any{"friendly_name": c.FriendlyName, "unique_name": c.UniqueName, "attributes": c.Attributes,
		"type": c.Type, "created_by": c.CreatedBy, "date_created": c.DateCreated, "date_updated": c.DateUpdated}
}

// wireMember is a Chat v2 member (https://www.twilio.com/docs/chat/rest/member-resource).
type wireMember struct {
	SID                      string     `json:"sid"`
	Identity                 *string    `json:"identity"`
	RoleSID                  *string    `json:"role_sid"`
	Attributes               string     `json:"attributes"`
	LastConsumedMessageIndex *int64     `json:"last_consumed_message_index"`
	LastConsumptionTimestamp *time.Time `json:"last_consumption_timestamp"`
	DateCreated              time.Time  `json:"date_created"`
	DateUpdated              time.Time  `json:"date_updated"`
}

func (w wireMember) record(acct, service, channel string) *parley.Participant {
	return &parley.Participant{SID: w.SID, AccountSID: acct, ServiceSID: service, ConversationSID: channel,
		Identity: w.Identity, Attributes: orEmptyJSON(w.Attributes), RoleSID: w.RoleSID,
		LastReadMessageIndex: w.LastConsumedMessageIndex, LastReadTimestamp: w.LastConsumptionTimestamp,
		DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

// wireInvite is a Chat v2 invite (https://www.twilio.com/docs/chat/rest/invite-resource).
type wireInvite struct {
	SID         string    `json:"sid"`
	Identity    string    `json:"identity"`
	RoleSID     *string   `json:"role_sid"`
	CreatedBy   *string   `json:"created_by"`
	DateCreated time.Time `json:"date_created"`
	DateUpdated time.Time `json:"date_updated"`
}

func (w wireInvite) record(acct, service, channel string) *parley.Invite {
	return &parley.Invite{SID: w.SID, AccountSID: acct, ServiceSID: service, ChannelSID: channel, Identity: w.Identity,
		RoleSID: w.RoleSID, CreatedBy: w.CreatedBy, DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func inviteFields(i *parley.Invite) map[string]any {
	return map[string]any{"identity": i.Identity, "role_sid": i.RoleSID, "created_by": i.CreatedBy,
		"date_created": i.DateCreated, "date_updated": i.DateUpdated}
}

// wireUserChannel is a Chat v2 user channel: the user's membership as
// the user sees it (https://www.twilio.com/docs/chat/rest/user-channel-resource).
type wireUserChannel struct {
	ChannelSID        string `json:"channel_sid"`
	NotificationLevel string `json:"notification_level"`
	Status            string `json:"status"`
}

// chatChannels lists a service's channels of both types through Chat. A
// source without Chat (a server that speaks Conversations only) answers
// 404: then there is nothing Chat-only to copy, and ok is false.
func (im *Importer) chatChannels(ctx context.Context, service string) (channels []wireChannel, ok bool, err error) {
	err = List(ctx, im.Source, pathf("/v2/Services/%s/Channels", service)+"?Type=public&Type=private", func(page []wireChannel) error {
		channels = append(channels, page...)
		return nil
	})
	var se *SourceError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		im.logf("the source has no Chat API for service %s; Chat-only data not copied", service)
		return nil, false, nil
	}
	return channels, err == nil, err
}

// chatSettings reads a service's Chat settings; nil when the source has no
// Chat.
func (im *Importer) chatSettings(ctx context.Context, service string) (*parley.ChatSettings, error) {
	var w wireChatService
	err := im.Source.Get(ctx, pathf("/v2/Services/%s", service), &w)
	var se *SourceError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := w.settings()
	return &s, nil
}

// chat copies what only Chat shows of a service, after its conversations:
// public channels with their members, messages and users' notification
// levels; every channel's creator, invites, and a public channel's
// webhooks.
func (im *Importer) chat(ctx context.Context, service string, channels []wireChannel) error {
	public := im.publicChannelKind(service)
	var publics []wireChannel
	for _, ch := range channels {
		if ch.Type == parley.ChannelPublic {
			publics = append(publics, ch)
		}
	}
	if err := syncPage(im, ctx, public, publics); err != nil {
		return err
	}
	if err := im.channelCreators(ctx, service, channels); err != nil {
		return err
	}
	for _, ch := range channels {
		if ch.Type == parley.ChannelPublic {
			if err := im.publicChannel(ctx, service, ch.SID); err != nil {
				return err
			}
			if err := im.publicWebhooks(ctx, service, ch.SID); err != nil {
				return err
			}
		}
		if err := im.invites(ctx, service, ch.SID); err != nil {
			return err
		}
	}
	if len(publics) > 0 {
		return im.publicNotificationLevels(ctx, service, publics)
	}
	return nil
}

// publicChannelKind copies a public channel, which only Chat shows.
func (im *Importer) publicChannelKind(service string) kind[wireChannel, *parley.Conversation] {
	return kind[wireChannel, *parley.Conversation]{resource: "public channels",
		record: func(w wireChannel) *parley.Conversation { return w.record(im.AccountSID, service) },
		find: func(tx parley.Tx, w wireChannel) (*parley.Conversation, error) {
			return tx.Conversation(service, w.SID)
		},
		fields: channelFields,
		create: func(tx parley.Tx, c *parley.Conversation) error { return tx.CreateConversation(c) },
		update: func(tx parley.Tx, have, want *parley.Conversation) error {
			have.FriendlyName, have.UniqueName, have.Attributes, have.Type = want.FriendlyName, want.UniqueName, want.Attributes, want.Type
			have.CreatedBy, have.DateCreated, have.DateUpdated = want.CreatedBy, want.DateCreated, want.DateUpdated
			return tx.UpdateConversation(have)
		}}
}

// channelCreators sets the creator Chat shows on private channels, which
// Conversations does not render (its copies say "system").
func (im *Importer) channelCreators(ctx context.Context, service string, channels []wireChannel) error {
	return im.counted(ctx, "channel creators", func(tx parley.Tx, n *Count) error {
		for _, ch := range channels {
			if ch.Type != parley.ChannelPrivate {
				continue
			}
			c, err := tx.Conversation(service, ch.SID)
			if parley.IsNotFound(err) {
				continue // made after the conversations were read; the next run copies it
			}
			if err != nil {
				return err
			}
			if render(c.CreatedBy) == render(ch.CreatedBy) || (c.CreatedBy == nil && ch.CreatedBy != nil && *ch.CreatedBy == "system") {
				n.Existing++
				continue
			}
			n.Updated++
			if im.DryRun {
				continue
			}
			c.CreatedBy = ch.CreatedBy
			if err := tx.UpdateConversation(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// publicChannel copies a public channel's members and messages through
// Chat, as Conversations does not show them.
func (im *Importer) publicChannel(ctx context.Context, service, channel string) error {
	k := im.memberKind(service, channel)
	seen := map[string]bool{}
	err := List(ctx, im.Source, pathf("/v2/Services/%s/Channels/%s/Members", service, channel), func(page []wireMember) error {
		for _, w := range page {
			seen[w.SID] = true
		}
		return syncPage(im, ctx, k, page)
	})
	if err != nil {
		return err
	}
	if err := im.pruneParticipants(ctx, channel, seen); err != nil {
		return err
	}
	return im.messages(ctx, service, channel, pathf("/v2/Services/%s/Channels/%s/Messages", service, channel))
}

// memberKind copies a public channel's members as participants.
func (im *Importer) memberKind(service, channel string) kind[wireMember, *parley.Participant] {
	return kind[wireMember, *parley.Participant]{resource: "participants",
		record: func(w wireMember) *parley.Participant { return w.record(im.AccountSID, service, channel) },
		find:   func(tx parley.Tx, w wireMember) (*parley.Participant, error) { return tx.Participant(channel, w.SID) },
		fields: participantFields,
		create: func(tx parley.Tx, p *parley.Participant) error { return tx.CreateParticipant(p) },
		update: func(tx parley.Tx, have, want *parley.Participant) error {
			want.Seq = have.Seq
			return tx.UpdateParticipant(want)
		}}
}

// invites copies a channel's pending invites, and removes the target's
// that the source no longer has (accepted or withdrawn).
func (im *Importer) invites(ctx context.Context, service, channel string) error {
	k := im.inviteKind(service, channel)
	seen := map[string]bool{}
	err := List(ctx, im.Source, pathf("/v2/Services/%s/Channels/%s/Invites", service, channel), func(page []wireInvite) error {
		for _, w := range page {
			seen[w.SID] = true
		}
		return syncPage(im, ctx, k, page)
	})
	if err != nil {
		return err
	}
	return im.counted(ctx, "invites", func(tx parley.Tx, n *Count) error {
		page, err := tx.ListInvites(channel, nil, parley.PageRequest{Size: 1000})
		if parley.IsNotFound(err) && im.DryRun {
			return nil
		}
		if err != nil {
			return err
		}
		for _, i := range page.Items {
			if seen[i.SID] {
				continue
			}
			n.Deleted++
			if !im.DryRun {
				if err := tx.DeleteInvite(channel, i.SID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// inviteKind copies a channel's pending invites.
func (im *Importer) inviteKind(service, channel string) kind[wireInvite, *parley.Invite] {
	return kind[wireInvite, *parley.Invite]{resource: "invites",
		record: func(w wireInvite) *parley.Invite { return w.record(im.AccountSID, service, channel) },
		find:   func(tx parley.Tx, w wireInvite) (*parley.Invite, error) { return tx.Invite(channel, w.SID) },
		fields: inviteFields,
		create: func(tx parley.Tx, i *parley.Invite) error { return tx.CreateInvite(i) },
		update: func(tx parley.Tx, have, want *parley.Invite) error {
			// Invites are never updated in Chat: a changed one was made anew.
			if err := tx.DeleteInvite(channel, have.SID); err != nil {
				return err
			}
			return tx.CreateInvite(want)
		}}
}

// publicNotificationLevels copies users' notification levels in public
// channels, which only Chat's user channels show.
func (im *Importer) publicNotificationLevels(ctx context.Context, service string, publics []wireChannel) error {
	isPublic := map[string]bool{}
	for _, ch := range publics {
		isPublic[ch.SID] = true
	}
	return List(ctx, im.Source, pathf("/v1/Services/%s/Users", service), func(users []wireUser) error {
		for _, u := range users {
			err := List(ctx, im.Source, pathf("/v2/Services/%s/Users/%s/Channels", service, u.SID), func(page []wireUserChannel) error {
				var levels []wireUserConversation
				for _, uc := range page {
					if isPublic[uc.ChannelSID] && uc.Status == "joined" {
						levels = append(levels, wireUserConversation{ConversationSID: uc.ChannelSID, NotificationLevel: uc.NotificationLevel})
					}
				}
				return im.counted(ctx, "notification levels", func(tx parley.Tx, n *Count) error {
					return im.setLevels(tx, n, service, u.Identity, levels)
				})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}
