package importer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
)

// Importer copies one account's Conversations data from Source into Store.
type Importer struct {
	Source *Source
	Store  parley.Store
	// AccountSID is the target account the records are written under: the
	// source's own SID, or another account chosen with --into.
	AccountSID string
	// Services limits the copy to these service SIDs; empty copies all.
	Services []string
	// DryRun reads the source and counts what a run would copy, writing
	// nothing.
	DryRun bool
	// Concurrency is how many conversations are copied at once.
	Concurrency int
	// Logf receives the progress lines.
	Logf func(format string, args ...any)
	// ProgressEvery is how often a progress line is logged; 0 means 10s.
	ProgressEvery time.Duration

	mu     sync.Mutex
	counts map[string]*Count
	media  int
}

// Count is what one resource's import did.
type Count struct {
	// Copied records were written (or, in a dry run, would be).
	Copied int
	// Existing records were already in the target and left alone.
	Existing int
}

// Report is the outcome of a run, per resource.
type Report struct {
	Counts map[string]Count
	// MessagesWithMedia counts copied messages whose media was not copied.
	MessagesWithMedia int
	Elapsed           time.Duration
}

// Resources lists the report's resources in a stable order.
func (r Report) Resources() []string {
	names := make([]string, 0, len(r.Counts))
	for n := range r.Counts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Run copies everything, resource by resource. Every record is written only
// when the target lacks its SID (messages: when its index is past the
// conversation's last imported index), so a re-run changes nothing and an
// interrupted run continues where it stopped.
func (im *Importer) Run(ctx context.Context) (Report, error) {
	start := time.Now()
	im.counts = map[string]*Count{}
	stop := im.progress(start)
	defer stop()
	services, err := im.services(ctx)
	if err != nil {
		return Report{}, err
	}
	if err := im.webhookConfig(ctx, ""); err != nil {
		return im.report(start), fmt.Errorf("account webhooks: %w", err)
	}
	for _, svc := range services {
		if err := im.service(ctx, svc); err != nil {
			return im.report(start), fmt.Errorf("service %s: %w", svc.SID, err)
		}
	}
	return im.report(start), nil
}

// progress logs a line every ProgressEvery until the returned stop is
// called: plain lines suit a log file as well as a terminal.
func (im *Importer) progress(start time.Time) (stop func()) {
	every := im.ProgressEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				im.mu.Lock()
				r := im.report(start)
				im.mu.Unlock()
				im.logf("progress: %s", r.Summary(im.Source))
			}
		}
	}()
	return func() { close(done) }
}

// Summary is one line of counts, pages and message rate.
func (r Report) Summary(src *Source) string {
	var b strings.Builder
	for _, n := range r.Resources() {
		fmt.Fprintf(&b, "%s %d, ", n, r.Counts[n].Copied)
	}
	rate := float64(r.Counts["messages"].Copied) / max(r.Elapsed.Seconds(), 1e-3)
	fmt.Fprintf(&b, "pages %d, retries %d, %.0f messages/s", src.pages.Load(), src.retries.Load(), rate)
	return b.String()
}

func (im *Importer) report(start time.Time) Report {
	r := Report{Counts: map[string]Count{}, MessagesWithMedia: im.media, Elapsed: time.Since(start)}
	for n, c := range im.counts {
		r.Counts[n] = *c
	}
	return r
}

func (im *Importer) logf(format string, args ...any) {
	if im.Logf != nil {
		im.Logf(format, args...)
	}
}

// tally records n records of a resource as copied or existing.
func (im *Importer) tally(resource string, copied, existing int) {
	im.mu.Lock()
	defer im.mu.Unlock()
	c := im.counts[resource]
	if c == nil {
		c = &Count{}
		im.counts[resource] = c
	}
	c.Copied += copied
	c.Existing += existing
}

// services lists the source's services, filtered by im.Services.
func (im *Importer) services(ctx context.Context) ([]wireService, error) {
	var all []wireService
	err := List(ctx, im.Source, "/v1/Services", func(page []wireService) error {
		all = append(all, page...)
		return nil
	})
	if err != nil || len(im.Services) == 0 {
		return all, err
	}
	var picked []wireService
	for _, s := range all {
		for _, want := range im.Services {
			if s.SID == want {
				picked = append(picked, s)
			}
		}
	}
	if len(picked) != len(im.Services) {
		return nil, fmt.Errorf("--services names %d services, the source has %d of them", len(im.Services), len(picked))
	}
	return picked, nil
}

// write runs fn in a write transaction, or a read one in a dry run (fn then
// only looks).
func (im *Importer) write(ctx context.Context, fn func(tx parley.Tx) error) error {
	if im.DryRun {
		return im.Store.Read(ctx, fn)
	}
	return im.Store.Write(ctx, fn)
}

// service copies one service with its roles, users and conversations.
func (im *Importer) service(ctx context.Context, w wireService) error {
	var cfg wireServiceConfig
	if err := im.Source.Get(ctx, pathf("/v1/Services/%s/Configuration", w.SID), &cfg); err != nil {
		return err
	}
	err := im.write(ctx, func(tx parley.Tx) error {
		_, err := tx.Service(im.AccountSID, w.SID)
		if err == nil || !parley.IsNotFound(err) {
			im.tally("services", 0, 1)
			return err
		}
		im.tally("services", 1, 0)
		if im.DryRun {
			return nil
		}
		return tx.CreateService(w.record(im.AccountSID, cfg))
	})
	if err != nil {
		return err
	}
	im.logf("service %s %q", w.SID, w.FriendlyName)
	if err := im.webhookConfig(ctx, w.SID); err != nil {
		return err
	}
	if err := im.roles(ctx, w.SID); err != nil {
		return err
	}
	if err := im.users(ctx, w.SID); err != nil {
		return err
	}
	if err := im.conversations(ctx, w.SID); err != nil {
		return err
	}
	return im.notificationLevels(ctx, w.SID)
}

// copyPage writes the records of one page that the target lacks, in one
// transaction: exists reports a record's presence, create writes it.
func copyPage[T any](im *Importer, ctx context.Context, resource string, page []T,
	exists func(tx parley.Tx, w T) error, create func(tx parley.Tx, w T) error) error {
	return im.write(ctx, func(tx parley.Tx) error {
		copied, existing := 0, 0
		for _, w := range page {
			err := exists(tx, w)
			if err == nil {
				existing++
				continue
			}
			if !parley.IsNotFound(err) {
				return err
			}
			copied++
			if im.DryRun {
				continue
			}
			if err := create(tx, w); err != nil {
				return err
			}
		}
		im.tally(resource, copied, existing)
		return nil
	})
}

func (im *Importer) roles(ctx context.Context, service string) error {
	return List(ctx, im.Source, pathf("/v1/Services/%s/Roles", service), func(page []wireRole) error {
		return copyPage(im, ctx, "roles", page,
			func(tx parley.Tx, w wireRole) error { _, err := tx.Role(service, w.SID); return err },
			func(tx parley.Tx, w wireRole) error { return tx.CreateRole(w.record(im.AccountSID, service)) })
	})
}

func (im *Importer) users(ctx context.Context, service string) error {
	return List(ctx, im.Source, pathf("/v1/Services/%s/Users", service), func(page []wireUser) error {
		return copyPage(im, ctx, "users", page,
			func(tx parley.Tx, w wireUser) error { _, err := tx.User(service, w.SID); return err },
			func(tx parley.Tx, w wireUser) error { return tx.CreateUser(w.record(im.AccountSID, service)) })
	})
}

// conversations copies a service's conversations page by page; each
// conversation's participants and messages are copied by a pool of
// im.Concurrency workers.
func (im *Importer) conversations(ctx context.Context, service string) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan string)
	var wg sync.WaitGroup
	for range max(1, im.Concurrency) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sid := range work {
				if err := im.conversationChildren(ctx, service, sid); err != nil {
					cancel(fmt.Errorf("conversation %s: %w", sid, err))
				}
			}
		}()
	}
	err := List(ctx, im.Source, pathf("/v1/Services/%s/Conversations", service), func(page []wireConversation) error {
		err := copyPage(im, ctx, "conversations", page,
			func(tx parley.Tx, w wireConversation) error { _, err := tx.Conversation(service, w.SID); return err },
			func(tx parley.Tx, w wireConversation) error {
				c := w.record(im.AccountSID, service)
				if err := tx.CreateConversation(c); err != nil {
					return err
				}
				return core.ArmImportedTimer(tx, c)
			})
		for _, w := range page {
			if err != nil {
				break
			}
			select {
			case work <- w.SID:
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		return err
	})
	close(work)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// conversationChildren copies one conversation's participants and messages.
func (im *Importer) conversationChildren(ctx context.Context, service, conv string) error {
	err := List(ctx, im.Source, pathf("/v1/Services/%s/Conversations/%s/Participants", service, conv), func(page []wireParticipant) error {
		return copyPage(im, ctx, "participants", page,
			func(tx parley.Tx, w wireParticipant) error { _, err := tx.Participant(conv, w.SID); return err },
			func(tx parley.Tx, w wireParticipant) error {
				return tx.CreateParticipant(w.record(im.AccountSID, service, conv))
			})
	})
	if err != nil {
		return err
	}
	return im.messages(ctx, service, conv)
}

// messages copies a conversation's messages in index order. The
// conversation's last_message_index is the checkpoint: a message at or
// below it is already in the target, because each page is written in one
// transaction that also moves the index.
func (im *Importer) messages(ctx context.Context, service, conv string) error {
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
	path := pathf("/v1/Services/%s/Conversations/%s/Messages", service, conv) + "?Order=asc"
	return List(ctx, im.Source, path, func(page []wireMessage) error {
		err := im.write(ctx, func(tx parley.Tx) error {
			copied, existing, media := 0, 0, 0
			for _, w := range page {
				if w.Index <= last {
					existing++
					continue
				}
				copied++
				if w.hasMedia() {
					media++
				}
				if im.DryRun {
					continue
				}
				if err := tx.CreateMessage(w.record(im.AccountSID, service, conv)); err != nil {
					return err
				}
			}
			if copied > 0 && !im.DryRun {
				// The next message posted here gets the index after the
				// source's last, as it would have there; and the index is
				// the checkpoint of the next run.
				if err := tx.RaiseLastMessageIndex(conv, page[len(page)-1].Index); err != nil {
					return err
				}
			}
			im.tally("messages", copied, existing)
			im.mu.Lock()
			im.media += media
			im.mu.Unlock()
			return nil
		})
		if err == nil && len(page) > 0 {
			last = max(last, page[len(page)-1].Index)
		}
		return err
	})
}

// notificationLevels copies each user's per-conversation notification
// level, which Conversations shows only on the User Conversation resource.
func (im *Importer) notificationLevels(ctx context.Context, service string) error {
	return List(ctx, im.Source, pathf("/v1/Services/%s/Users", service), func(users []wireUser) error {
		for _, u := range users {
			err := List(ctx, im.Source, pathf("/v1/Services/%s/Users/%s/Conversations", service, u.SID), func(page []wireUserConversation) error {
				return im.write(ctx, func(tx parley.Tx) error {
					return im.setLevels(tx, service, u.Identity, page)
				})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (im *Importer) setLevels(tx parley.Tx, service, identity string, page []wireUserConversation) error {
	copied, existing := 0, 0
	for _, w := range page {
		c, err := tx.Conversation(service, w.ConversationSID)
		if im.DryRun && parley.IsNotFound(err) {
			copied++
			continue
		}
		if err != nil {
			return err
		}
		m, err := tx.Membership(c, identity)
		if err != nil {
			return err
		}
		if strings.EqualFold(m.NotificationLevel, w.NotificationLevel) || w.NotificationLevel == "" {
			existing++
			continue
		}
		copied++
		if im.DryRun {
			continue
		}
		m.NotificationLevel = w.NotificationLevel
		if err := tx.UpdateMembership(m); err != nil {
			return err
		}
	}
	im.tally("notification levels", copied, existing)
	return nil
}
