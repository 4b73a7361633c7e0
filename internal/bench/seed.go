package bench

import (
	"context"
	"fmt"
	"time"

	parley "github.com/parley-dev/parley"
)

// seedBatch is how many messages one seeding transaction writes: large, so
// setup costs little more than the rows themselves.
const seedBatch = 10_000

// seed fills a conversation with n messages: straight through the store when
// Parley runs in-process, through the API against a target.
func (b *bencher) seed(ctx context.Context, conversationSID string, n int) error {
	start := time.Now()
	var err error
	if b.env.store != nil {
		err = seedStore(ctx, b.env.store, b.env.account, conversationSID, n)
	} else {
		path := "/v1/Conversations/" + conversationSID + "/Messages"
		s := measure(ctx, 64, budget{count: n}, postMessages(b.env.parley, []string{path}, false))
		err = s.firstErr
	}
	if err != nil {
		return fmt.Errorf("seed %d messages: %w", n, err)
	}
	fmt.Fprintf(b.opt.Progress, "seeded %s messages in %.1fs\n", thousands(n), time.Since(start).Seconds())
	return nil
}

// seedStore writes n messages in transactions of seedBatch, reserving each
// index the way a message create does.
func seedStore(ctx context.Context, st parley.Store, acct *parley.Account, conversationSID string, n int) error {
	body := "seeded message"
	for done := 0; done < n; done += seedBatch {
		k := min(seedBatch, n-done)
		err := st.Write(ctx, func(tx parley.Tx) error {
			now := tx.Now()
			for range k {
				idx, err := tx.NextMessageIndex(conversationSID)
				if err != nil {
					return err
				}
				m := &parley.Message{SID: parley.NewSID(parley.PrefixMessage), AccountSID: acct.SID,
					ServiceSID: acct.DefaultServiceSID, ConversationSID: conversationSID, Index: idx,
					Author: "bench", Body: &body, Attributes: "{}", DateCreated: now, DateUpdated: now}
				if err := tx.CreateMessage(m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
