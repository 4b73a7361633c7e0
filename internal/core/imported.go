package core

import parley "github.com/parley-dev/parley"

// ArmImportedTimer schedules the pending deadline of a conversation copied
// from another server (parley import), in the transaction that created it,
// so its inactive or closed timer fires here as it would have there.
func ArmImportedTimer(tx parley.Tx, c *parley.Conversation) error {
	if nextDeadline(c) == nil {
		return nil
	}
	return armTimer(tx, c)
}
