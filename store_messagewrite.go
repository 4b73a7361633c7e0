package parley

// MessageWriteTx is what a message create needs beyond the basic Tx.
type MessageWriteTx interface {
	// ReserveMessageIndexBy is ReserveMessageIndex that also finds, in the
	// same statement, the participant whose identity is author (nil when
	// the author is not one). CreateMessage of a message with that index
	// and author then returns nothing from the database, so PostgreSQL's
	// writer can send it without waiting for an answer.
	ReserveMessageIndexBy(serviceSID, sidOrUniqueName, author string) (c *Conversation, index int64, participantSID *string, err error)
}
