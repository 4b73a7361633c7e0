package importer

import (
	"context"
	"errors"
	"math"
	"time"

	parley "github.com/parley-dev/parley"
)

// errSeenEnough ends a newest-first message listing once it reaches
// messages older than --since.
var errSeenEnough = errors.New("reached messages older than --since")

// messages brings a conversation's messages into the target. The
// conversation's last_message_index is the checkpoint: each page is written
// in one transaction that also raises it, so messages above it are new and
// are created without looking. Messages at or below it are compared with
// the target's and rewritten when they differ; target messages in the
// index range a source page accounts for but missing from it were deleted
// at the source and are deleted.
//
// Without --since the source is read oldest first, to the end. With it,
// newest first, stopping after the first page whose messages were all
// created and last updated before --since.
//
// list is the messages' list path: Conversations' or, for a public
// channel, Chat's.
func (im *Importer) messages(ctx context.Context, service, conv, list string) error {
	var last int64 = -1
	err := im.Store.Read(ctx, func(tx parley.Tx) error {
		c, err := tx.Conversation(service, conv)
		if err == nil && c.LastMessageIndex != nil {
			last = *c.LastMessageIndex
		}
		if parley.IsNotFound(err) {
			return nil // a dry run: the conversation is not there yet
		}
		return err
	})
	if err != nil {
		return err
	}
	desc := !im.Since.IsZero()
	order := "asc"
	if desc {
		order = "desc"
	}
	// [lo, hi] is the index range the pages read so far account for.
	var lo, hi int64 = math.MaxInt64, -1
	path := list + "?Order=" + order
	err = List(ctx, im.Source, path, func(page []wireMessage) error {
		if len(page) == 0 {
			return nil
		}
		first, final := page[0].Index, page[len(page)-1].Index
		from, to := hi+1, final // oldest first: everything after the last page
		if desc {
			from, to = final, lo-1 // newest first: everything before the last page
			if hi < 0 {
				to = math.MaxInt64
			}
			lo, hi = final, max(hi, first)
		} else {
			lo, hi = min(lo, first), final
			if from == 0 {
				from = math.MinInt64
			}
		}
		err := im.counted(ctx, "messages", func(tx parley.Tx, n *Count) (err error) {
			*n, err = im.messagePage(tx, service, conv, page, from, to, last)
			return err
		})
		if err != nil {
			return err
		}
		last = max(last, page[0].Index, page[len(page)-1].Index)
		if desc && olderThan(page, im.Since) {
			return errSeenEnough
		}
		return nil
	})
	if errors.Is(err, errSeenEnough) {
		return nil
	}
	if err != nil || last < 0 {
		return err
	}
	// The whole list was read: target messages outside it are gone at the
	// source (the newest ones deleted, or all of them).
	from, to := int64(math.MinInt64), int64(math.MaxInt64)
	switch {
	case hi < 0:
	case desc:
		to = lo - 1
	default:
		from = hi + 1
	}
	return im.counted(ctx, "messages", func(tx parley.Tx, n *Count) (err error) {
		*n, err = im.messagePage(tx, service, conv, nil, from, to, last)
		return err
	})
}

// olderThan reports whether every message of page was created and last
// updated before t.
func olderThan(page []wireMessage, t time.Time) bool {
	for _, w := range page {
		if !w.DateCreated.Before(t) || !w.DateUpdated.Before(t) {
			return false
		}
	}
	return true
}

// messagePage writes one source page, which accounts for the target's
// messages with indexes in [from, to]: those the page lacks are deleted.
func (im *Importer) messagePage(tx parley.Tx, service, conv string, page []wireMessage, from, to, last int64) (Count, error) {
	var n Count
	have := map[int64]*parley.Message{}
	if from <= last {
		var err error
		if have, err = targetMessages(tx, conv, from, min(to, last)); err != nil {
			return n, err
		}
	}
	media, top := 0, int64(-1)
	for _, w := range page {
		want := w.record(im.AccountSID, service, conv)
		old := have[w.Index]
		delete(have, w.Index)
		if old != nil && w.Author == "" {
			// Chat does not show a message's participant; the target's
			// stands.
			want.ParticipantSID = old.ParticipantSID
		}
		switch {
		case old != nil && old.SID == want.SID && sameFields(messageFields(old), messageFields(want)):
			n.Existing++
			continue
		case old != nil && old.SID == want.SID:
			n.Updated++
			if im.DryRun {
				continue
			}
			old.Author, old.Body, old.Attributes = want.Author, want.Body, want.Attributes
			old.DateCreated, old.DateUpdated = want.DateCreated, want.DateUpdated
			if err := tx.UpdateMessage(old); err != nil {
				return n, err
			}
			continue
		case old != nil: // another message under this index: replaced at the source
			n.Deleted++
			if !im.DryRun {
				if err := tx.DeleteMessage(conv, old.SID); err != nil {
					return n, err
				}
			}
		}
		n.Copied++
		top = max(top, w.Index)
		if w.hasMedia() {
			media++
		}
		if im.DryRun {
			continue
		}
		if err := tx.CreateMessage(want); err != nil {
			return n, err
		}
	}
	for _, m := range have {
		n.Deleted++
		if im.DryRun {
			continue
		}
		if err := tx.DeleteMessage(conv, m.SID); err != nil {
			return n, err
		}
	}
	if top > last && !im.DryRun {
		// The next message posted here gets the index after the source's
		// last, as it would have there; and the index is the checkpoint of
		// the next run.
		if err := tx.RaiseLastMessageIndex(conv, top); err != nil {
			return n, err
		}
	}
	n.media = media
	return n, nil
}

// targetMessages reads the target's messages with indexes in [from, to].
func targetMessages(tx parley.Tx, conv string, from, to int64) (map[int64]*parley.Message, error) {
	out := map[int64]*parley.Message{}
	after := max(from, math.MinInt64+1) - 1
	for {
		page, err := tx.ListMessages(conv, parley.PageRequest{Size: 200, After: &after})
		if err != nil {
			return nil, err
		}
		for _, m := range page.Items {
			if m.Index > to {
				return out, nil
			}
			out[m.Index] = m
			after = m.Index
		}
		if !page.More || len(page.Items) == 0 {
			return out, nil
		}
	}
}
