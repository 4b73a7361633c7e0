package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

func (t *tx) NotificationConfig(serviceSID string) (*parley.NotificationConfig, error) {
	n := parley.NotificationConfig{ServiceSID: serviceSID}
	var newMsg, badge, media, added, removed, logs int
	var newTpl, newSound, mediaTpl, addedTpl, addedSound, removedTpl, removedSound sql.NullString
	var updated int64
	err := t.queryRow(`SELECT account_sid, new_message_enabled, new_message_template, new_message_sound,
		new_message_badge_count, new_message_media_enabled, new_message_media_template, added_enabled, added_template,
		added_sound, removed_enabled, removed_template, removed_sound, log_enabled, date_updated
		FROM notification_configs WHERE service_sid = $1`, serviceSID).Scan(
		&n.AccountSID, &newMsg, &newTpl, &newSound, &badge, &media, &mediaTpl, &added, &addedTpl, &addedSound,
		&removed, &removedTpl, &removedSound, &logs, &updated)
	if err != nil {
		return nil, notFound(err, "Notification configuration", serviceSID)
	}
	n.NewMessage = parley.NotificationTemplate{Enabled: newMsg != 0, Template: strPtr(newTpl), Sound: strPtr(newSound)}
	n.NewMessageBadgeCount = badge != 0
	n.NewMessageWithMedia = parley.NotificationTemplate{Enabled: media != 0, Template: strPtr(mediaTpl)}
	n.AddedToConversation = parley.NotificationTemplate{Enabled: added != 0, Template: strPtr(addedTpl), Sound: strPtr(addedSound)}
	n.RemovedFromConversation = parley.NotificationTemplate{Enabled: removed != 0, Template: strPtr(removedTpl), Sound: strPtr(removedSound)}
	n.LogEnabled, n.DateUpdated = logs != 0, fromMillis(updated)
	return &n, nil
}

func (t *tx) PutNotificationConfig(n *parley.NotificationConfig) error {
	_, err := t.exec(`INSERT INTO notification_configs (service_sid, account_sid, new_message_enabled,
		new_message_template, new_message_sound, new_message_badge_count, new_message_media_enabled,
		new_message_media_template, added_enabled, added_template, added_sound, removed_enabled, removed_template,
		removed_sound, log_enabled, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (service_sid) DO UPDATE SET new_message_enabled = excluded.new_message_enabled,
		new_message_template = excluded.new_message_template, new_message_sound = excluded.new_message_sound,
		new_message_badge_count = excluded.new_message_badge_count,
		new_message_media_enabled = excluded.new_message_media_enabled,
		new_message_media_template = excluded.new_message_media_template, added_enabled = excluded.added_enabled,
		added_template = excluded.added_template, added_sound = excluded.added_sound,
		removed_enabled = excluded.removed_enabled, removed_template = excluded.removed_template,
		removed_sound = excluded.removed_sound, log_enabled = excluded.log_enabled, date_updated = excluded.date_updated`,
		n.ServiceSID, n.AccountSID, boolInt(n.NewMessage.Enabled), n.NewMessage.Template, n.NewMessage.Sound,
		boolInt(n.NewMessageBadgeCount), boolInt(n.NewMessageWithMedia.Enabled), n.NewMessageWithMedia.Template,
		boolInt(n.AddedToConversation.Enabled), n.AddedToConversation.Template, n.AddedToConversation.Sound,
		boolInt(n.RemovedFromConversation.Enabled), n.RemovedFromConversation.Template, n.RemovedFromConversation.Sound,
		boolInt(n.LogEnabled), millis(n.DateUpdated))
	return err
}
