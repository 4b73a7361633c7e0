package store

import (
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

// decodeChatSettings reads a service's Chat settings over the defaults, so a
// row written before a setting existed still renders it.
func decodeChatSettings(doc string) (parley.ChatSettings, error) {
	s := parley.DefaultChatSettings()
	err := json.Unmarshal([]byte(doc), &s)
	return s, err
}

func encodeChatSettings(s parley.ChatSettings) string {
	b, _ := json.Marshal(s) // plain data: cannot fail
	return string(b)
}

func (t *tx) UpdateService(s *parley.Service) error {
	return t.execOne("Service", s.SID, `UPDATE services SET friendly_name = $2, default_conversation_creator_role_sid = $3,
		default_conversation_role_sid = $4, default_chat_service_role_sid = $5, reachability_enabled = $6,
		chat_settings = $7, date_updated = $8 WHERE sid = $1`,
		s.SID, s.FriendlyName, s.DefaultConversationCreatorRoleSID, s.DefaultConversationRoleSID,
		s.DefaultChatServiceRoleSID, boolInt(s.ReachabilityEnabled), encodeChatSettings(s.Chat), millis(s.DateUpdated))
}
