package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// Verifier compares a source account with its copy in a store.
type Verifier struct {
	Source     *Source
	Store      parley.Store
	AccountSID string
	Services   []string
	// Sample compares every Sample-th message field by field (by index);
	// every other record is compared whole. 1 compares every message.
	Sample int
	// MaxDifferences stops listing after this many; 0 means 50.
	MaxDifferences int

	// im reads the source and describes each resource as the import
	// copies it (its kinds), so verify compares what a run would write.
	im *Importer
}

// Verification is what Verify found.
type Verification struct {
	// Counts holds, per resource, the source's and the target's counts.
	Counts map[string][2]int
	// Compared counts the records compared field by field.
	Compared    int
	Differences []string
}

// OK reports whether source and target agree.
func (v Verification) OK() bool { return len(v.Differences) == 0 }

// Verify counts every resource on both sides and compares records field
// by field: all services (with their Chat settings), roles, users,
// conversations, participants, conversation webhooks (with their Chat
// retry counts), public channels with their members, invites and address
// configurations, and a sample of messages.
func (v *Verifier) Verify(ctx context.Context) (Verification, error) {
	out := &Verification{Counts: map[string][2]int{}}
	v.im = &Importer{Source: v.Source, Store: v.Store, AccountSID: v.AccountSID, Services: v.Services}
	services, err := v.im.services(ctx)
	if err != nil {
		return *out, err
	}
	if err := v.im.survey(ctx, services); err != nil {
		return *out, err
	}
	for _, svc := range services {
		if err := v.service(ctx, out, svc); err != nil {
			return *out, fmt.Errorf("service %s: %w", svc.SID, err)
		}
	}
	if err := v.addressConfigs(ctx, out); err != nil {
		return *out, fmt.Errorf("address configurations: %w", err)
	}
	return *out, nil
}

// addressConfigs compares the account's address configurations.
func (v *Verifier) addressConfigs(ctx context.Context, out *Verification) error {
	n, _, err := each(ctx, v, out, "/v1/Configuration/Addresses", "address configuration",
		func(w wireAddressConfig) string { return w.SID }, against(v.im.addressConfigKind()))
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.AddressConfig], error) {
		return tx.ListAddressConfigs(v.AccountSID, "", p)
	}, func(c *parley.AddressConfig) int64 { return c.Seq })
	v.count(out, "address configurations", "the account", n, target)
	return err
}

func (v *Verifier) differ(out *Verification, format string, args ...any) {
	max := v.MaxDifferences
	if max <= 0 {
		max = 50
	}
	if len(out.Differences) < max {
		out.Differences = append(out.Differences, fmt.Sprintf(format, args...))
	}
}

// count adds the two sides' counts of a resource and records a mismatch.
func (v *Verifier) count(out *Verification, resource, scope string, source, target int) {
	c := out.Counts[resource]
	c[0] += source
	c[1] += target
	out.Counts[resource] = c
	if source != target {
		v.differ(out, "%s of %s: source has %d, target %d", resource, scope, source, target)
	}
}

// compare records a difference for each field whose rendering differs.
func (v *Verifier) compare(out *Verification, what, sid string, source, target map[string]any) {
	out.Compared++
	keys := make([]string, 0, len(source))
	for k := range source {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if s, t := render(source[k]), render(target[k]); s != t {
			v.differ(out, "%s %s: %s is %s in the source, %s in the target", what, sid, k, s, t)
		}
	}
}

// render prints a field for comparison; times to the second, which is
// what the API shows.
func render(x any) string {
	switch x := x.(type) {
	case time.Time:
		return x.UTC().Truncate(time.Second).Format(time.RFC3339)
	case *time.Time:
		if x == nil {
			return "null"
		}
		return render(*x)
	case *string:
		if x == nil {
			return "null"
		}
		return fmt.Sprintf("%q", *x)
	case *int64:
		if x == nil {
			return "null"
		}
		return fmt.Sprint(*x)
	case []string:
		s := slices.Clone(x)
		slices.Sort(s)
		return strings.Join(s, ",")
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(x)
}

func (v *Verifier) service(ctx context.Context, out *Verification, w wireService) error {
	var cfg wireServiceConfig
	if err := v.Source.Get(ctx, pathf("/v1/Services/%s/Configuration", w.SID), &cfg); err != nil {
		return err
	}
	chat, err := v.im.chatSettings(ctx, w.SID)
	if err != nil {
		return err
	}
	var got *parley.Service
	err = v.Store.Read(ctx, func(tx parley.Tx) (err error) { got, err = tx.Service(v.AccountSID, w.SID); return err })
	if parley.IsNotFound(err) {
		v.count(out, "services", "the account", 1, 0)
		return nil
	}
	if err != nil {
		return err
	}
	v.count(out, "services", "the account", 1, 1)
	k := v.im.serviceKind(cfg, chat)
	v.compare(out, "service", w.SID, k.fields(k.record(w)), k.fields(got))
	if err := v.roles(ctx, out, w.SID); err != nil {
		return err
	}
	if err := v.users(ctx, out, w.SID); err != nil {
		return err
	}
	if err := v.conversations(ctx, out, w.SID); err != nil {
		return err
	}
	if channels, hasChat := v.im.channels[w.SID]; hasChat {
		return v.chat(ctx, out, w.SID, channels)
	}
	return nil
}

func serviceFields(s *parley.Service) map[string]any {
	return map[string]any{"friendly_name": s.FriendlyName, "date_created": s.DateCreated, "date_updated": s.DateUpdated,
		"default_conversation_creator_role_sid": s.DefaultConversationCreatorRoleSID,
		"default_conversation_role_sid":         s.DefaultConversationRoleSID,
		"default_chat_service_role_sid":         s.DefaultChatServiceRoleSID,
		"reachability_enabled":                  s.ReachabilityEnabled}
}

// each pages through a source list, comparing every record with lookup's
// target record; it returns the source's count and how many were found.
func each[T any](ctx context.Context, v *Verifier, out *Verification, path, what string, sid func(T) string,
	lookup func(tx parley.Tx, w T) (source, target map[string]any, err error)) (int, int, error) {
	n, found := 0, 0
	err := List(ctx, v.Source, path, func(page []T) error {
		return v.Store.Read(ctx, func(tx parley.Tx) error {
			for _, w := range page {
				n++
				s, t, err := lookup(tx, w)
				if parley.IsNotFound(err) {
					v.differ(out, "%s %s: missing in the target", what, sid(w))
					continue
				}
				if err != nil {
					return err
				}
				found++
				if s != nil {
					v.compare(out, what, sid(w), s, t)
				}
			}
			return nil
		})
	})
	return n, found, err
}

// against compares a source record with the target's copy as the import's
// kind k does: the same record, lookup and fields.
func against[W, R any](k kind[W, R]) func(tx parley.Tx, w W) (source, target map[string]any, err error) {
	return func(tx parley.Tx, w W) (map[string]any, map[string]any, error) {
		have, err := k.find(tx, w)
		if err != nil {
			return nil, nil, err
		}
		return k.fields(k.record(w)), k.fields(have), nil
	}
}

func (v *Verifier) roles(ctx context.Context, out *Verification, service string) error {
	n, _, err := each(ctx, v, out, pathf("/v1/Services/%s/Roles", service), "role", func(w wireRole) string { return w.SID },
		against(v.im.roleKind(service)))
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.Role], error) {
		return tx.ListRoles(service, p)
	}, func(r *parley.Role) int64 { return r.Seq })
	v.count(out, "roles", service, n, target)
	return err
}

func roleFields(r *parley.Role) map[string]any {
	return map[string]any{"friendly_name": r.FriendlyName, "type": r.Type, "permissions": r.Permissions,
		"date_created": r.DateCreated, "date_updated": r.DateUpdated}
}

func (v *Verifier) users(ctx context.Context, out *Verification, service string) error {
	n, _, err := each(ctx, v, out, pathf("/v1/Services/%s/Users", service), "user", func(w wireUser) string { return w.SID },
		against(v.im.userKind(service)))
	if err != nil {
		return err
	}
	target, err := countTarget(ctx, v.Store, func(tx parley.Tx, p parley.PageRequest) (parley.Page[*parley.User], error) {
		return tx.ListUsers(service, p)
	}, func(u *parley.User) int64 { return u.Seq })
	v.count(out, "users", service, n, target)
	return err
}

func userFields(u *parley.User) map[string]any {
	return map[string]any{"identity": u.Identity, "friendly_name": u.FriendlyName, "attributes": u.Attributes,
		"role_sid": u.RoleSID, "date_created": u.DateCreated, "date_updated": u.DateUpdated}
}

// countTarget counts a target list by paging it; a list whose parent is
// missing (reported already) counts 0.
func countTarget[T any](ctx context.Context, store parley.Store, list func(tx parley.Tx, p parley.PageRequest) (parley.Page[T], error), key func(T) int64) (int, error) {
	n := 0
	p := parley.PageRequest{Size: 1000}
	for {
		var page parley.Page[T]
		err := store.Read(ctx, func(tx parley.Tx) (err error) { page, err = list(tx, p); return err })
		if parley.IsNotFound(err) {
			return 0, nil
		}
		if err != nil {
			return n, err
		}
		n += len(page.Items)
		if !page.More || len(page.Items) == 0 {
			return n, nil
		}
		after := key(page.Items[len(page.Items)-1])
		p.After = &after
	}
}
