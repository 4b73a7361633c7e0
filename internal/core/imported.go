package core

import parley "github.com/parley-dev/parley"

// ArmImportedTimer schedules the pending deadline of a conversation copied
// from another server (parley import), in the transaction that created or
// updated it, so its inactive or closed timer fires here as it would have
// there; a copy whose deadlines are gone has its timer job removed.
func ArmImportedTimer(tx parley.Tx, c *parley.Conversation) error {
	return armTimer(tx, c)
}
