package parley

import "context"

// MessageWriteTx is what a message create needs beyond the basic Tx.
type MessageWriteTx interface {
	// ReserveMessageIndexBy is ReserveMessageIndex that also finds, in the
	// same statement, the participant whose identity is author (nil when
	// the author is not one). CreateMessage of a message with that index
	// and author then returns nothing from the database, so PostgreSQL's
	// writer can send it without waiting for an answer.
	ReserveMessageIndexBy(serviceSID, sidOrUniqueName, author string) (c *Conversation, index int64, participantSID *string, err error)
}

// Reservation is what a write will reserve: the next message index of a
// conversation (its SID or unique name, in a service) for an author.
type Reservation struct {
	ServiceSID, Conversation, Author string
}

type reservationKey struct{}

// WillReserve tells the store, ahead of Write, that the write will call
// ReserveMessageIndexBy with r. A store committing several writes together
// may then read (and on PostgreSQL lock) the rows of all their
// conversations in one statement before it runs them, instead of one round
// trip per write. A hint that turns out wrong costs nothing but a lock held
// until the commit.
func WillReserve(ctx context.Context, r Reservation) context.Context {
	return context.WithValue(ctx, reservationKey{}, r)
}

// ReservationOf is the reservation WillReserve announced in ctx.
func ReservationOf(ctx context.Context) (Reservation, bool) {
	r, ok := ctx.Value(reservationKey{}).(Reservation)
	return r, ok
}
