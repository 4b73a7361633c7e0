package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
)

// Importer copies one account's Conversations data from Source into Store.
type Importer struct {
	Source *Source
	Store  parley.Store
	// AccountSID is the target account the records are written under: the
	// source's own SID, or another account chosen with --into.
	AccountSID string
	// SourceAccountSID is the account read; when it is AccountSID, the
	// account's own settings are copied too.
	SourceAccountSID string
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
	// Terminal, when set, receives one progress line rewritten in place
	// twice a second instead of the logged lines: the operator's terminal.
	Terminal io.Writer
	// Since, when set, limits the message reading to what changed after it
	// (see messages); everything else is still compared whole.
	Since time.Time

	mu     sync.Mutex
	counts map[string]*Count
	// channels are each service's Chat channels (absent: no Chat), and
	// total the messages they hold, for the ETA; 0 when unknown.
	channels map[string][]wireChannel
	total    int64
}

// Count is what one resource's import did.
type Count struct {
	// Copied records were written (or, in a dry run, would be).
	Copied int
	// Updated records were in the target with other field values and were
	// rewritten with the source's.
	Updated int
	// Deleted records were in the target but are gone from the source.
	Deleted int
	// Existing records were already in the target, the same, and left alone.
	Existing int
	// media counts copied messages whose media was not copied.
	media int
}

func (c *Count) plus(d Count) {
	c.Copied += d.Copied
	c.Updated += d.Updated
	c.Deleted += d.Deleted
	c.Existing += d.Existing
	c.media += d.media
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
	if err := im.survey(ctx, services); err != nil {
		return Report{}, err
	}
	if err := im.accountSettings(ctx); err != nil {
		return im.report(start), fmt.Errorf("account: %w", err)
	}
	if err := im.webhookConfig(ctx, ""); err != nil {
		return im.report(start), fmt.Errorf("account webhooks: %w", err)
	}
	if err := im.addressConfigs(ctx); err != nil {
		return im.report(start), fmt.Errorf("address configurations: %w", err)
	}
	for _, svc := range services {
		if err := im.service(ctx, svc); err != nil {
			return im.report(start), fmt.Errorf("service %s: %w", svc.SID, err)
		}
	}
	return im.report(start), nil
}

func (im *Importer) report(start time.Time) Report {
	r := Report{Counts: map[string]Count{}, Elapsed: time.Since(start)}
	for n, c := range im.counts {
		r.Counts[n] = *c
		r.MessagesWithMedia += c.media
	}
	return r
}

func (im *Importer) logf(format string, args ...any) {
	if im.Logf != nil {
		im.Logf(format, args...)
	}
}

// add adds to a resource's count.
func (im *Importer) add(resource string, n Count) {
	im.mu.Lock()
	defer im.mu.Unlock()
	c := im.counts[resource]
	if c == nil {
		c = &Count{}
		im.counts[resource] = c
	}
	c.plus(n)
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

// service copies one service with its roles, users and conversations,
// then what only Chat shows of it.
func (im *Importer) service(ctx context.Context, w wireService) error {
	var cfg wireServiceConfig
	if err := im.Source.Get(ctx, pathf("/v1/Services/%s/Configuration", w.SID), &cfg); err != nil {
		return err
	}
	chat, err := im.chatSettings(ctx, w.SID)
	if err != nil {
		return err
	}
	channels, hasChat := im.channels[w.SID]
	if err := syncPage(im, ctx, im.serviceKind(cfg, chat), []wireService{w}); err != nil {
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
	if err := im.notificationLevels(ctx, w.SID); err != nil {
		return err
	}
	if !hasChat {
		return nil
	}
	return im.chat(ctx, w.SID, channels)
}

func (im *Importer) roles(ctx context.Context, service string) error {
	k := im.roleKind(service)
	return List(ctx, im.Source, pathf("/v1/Services/%s/Roles", service), func(page []wireRole) error {
		return syncPage(im, ctx, k, page)
	})
}

func (im *Importer) users(ctx context.Context, service string) error {
	k := im.userKind(service)
	return List(ctx, im.Source, pathf("/v1/Services/%s/Users", service), func(page []wireUser) error {
		return syncPage(im, ctx, k, page)
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
	k := im.conversationKind(service)
	err := List(ctx, im.Source, pathf("/v1/Services/%s/Conversations", service), func(page []wireConversation) error {
		err := syncPage(im, ctx, k, page)
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
	k := im.participantKind(service, conv)
	seen := map[string]bool{}
	err := List(ctx, im.Source, pathf("/v1/Services/%s/Conversations/%s/Participants", service, conv), func(page []wireParticipant) error {
		for _, w := range page {
			seen[w.SID] = true
		}
		return syncPage(im, ctx, k, page)
	})
	if err != nil {
		return err
	}
	if err := im.pruneParticipants(ctx, conv, seen); err != nil {
		return err
	}
	if err := im.scopedWebhooks(ctx, service, conv); err != nil {
		return err
	}
	return im.messages(ctx, service, conv, pathf("/v1/Services/%s/Conversations/%s/Messages", service, conv))
}

// notificationLevels copies each user's per-conversation notification
// level, which Conversations shows only on the User Conversation resource.
func (im *Importer) notificationLevels(ctx context.Context, service string) error {
	return List(ctx, im.Source, pathf("/v1/Services/%s/Users", service), func(users []wireUser) error {
		for _, u := range users {
			err := List(ctx, im.Source, pathf("/v1/Services/%s/Users/%s/Conversations", service, u.SID), func(page []wireUserConversation) error {
				return im.counted(ctx, "notification levels", func(tx parley.Tx, n *Count) error {
					return im.setLevels(tx, n, service, u.Identity, page)
				})
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func (im *Importer) setLevels(tx parley.Tx, n *Count, service, identity string, page []wireUserConversation) error {
	for _, w := range page {
		c, err := tx.Conversation(service, w.ConversationSID)
		if im.DryRun && parley.IsNotFound(err) {
			n.Copied++
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
			n.Existing++
			continue
		}
		n.Copied++
		if im.DryRun {
			continue
		}
		m.NotificationLevel = w.NotificationLevel
		if err := tx.UpdateMembership(m); err != nil {
			return err
		}
	}
	return nil
}

// pruneParticipants removes the target's participants of conv that the
// source no longer lists: they left or were removed there.
func (im *Importer) pruneParticipants(ctx context.Context, conv string, seen map[string]bool) error {
	return im.counted(ctx, "participants", func(tx parley.Tx, n *Count) error {
		var gone []string
		p := parley.PageRequest{Size: 1000}
		for {
			page, err := tx.ListParticipants(conv, p)
			if parley.IsNotFound(err) && im.DryRun {
				return nil
			}
			if err != nil {
				return err
			}
			for _, x := range page.Items {
				if !seen[x.SID] {
					gone = append(gone, x.SID)
				}
			}
			if !page.More || len(page.Items) == 0 {
				break
			}
			p.After = &page.Items[len(page.Items)-1].Seq
		}
		n.Deleted = len(gone)
		if im.DryRun {
			return nil
		}
		for _, sid := range gone {
			if err := tx.DeleteParticipant(conv, sid); err != nil {
				return err
			}
		}
		return nil
	})
}
