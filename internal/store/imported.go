package store

func (t *tx) RaiseLastMessageIndex(conversationSID string, index int64) error {
	_, err := t.exec(`UPDATE conversations SET last_message_index = $2
		WHERE sid = $1 AND COALESCE(last_message_index, -1) < $2`, conversationSID, index)
	return err
}
