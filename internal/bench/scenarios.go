package bench

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// messageForm is the body both Parley and the floor parse for a message.
const messageForm = "Author=bench&Body=Hello+from+the+benchmark%2C+one+durable+row+at+a+time."

// postMessages posts messageForm to paths[0], or round-robin over every path
// when spread, so concurrent writers hit one or many conversations.
func postMessages(ep *endpoint, paths []string, spread bool) op {
	return func(ctx context.Context, _, i int) error {
		p := paths[0]
		if spread {
			p = paths[i%len(paths)]
		}
		return ep.call(ctx, "POST", p, messageForm, nil)
	}
}

// messageCreate is scenarios 1 and 2: Parley against the floor, message
// create into one conversation at each concurrency, then spread over many
// conversations.
func (b *bencher) messageCreate(ctx context.Context) ([]Row, error) {
	sids, err := b.createConversations(ctx, b.opt.Conversations)
	if err != nil {
		return nil, err
	}
	parleyPaths := make([]string, len(sids))
	floorPaths := make([]string, len(sids))
	groupedPaths := make([]string, len(sids))
	for i, sid := range sids {
		parleyPaths[i] = "/v1/Conversations/" + sid + "/Messages"
		floorPaths[i], groupedPaths[i] = messagePath(i), groupedMessagePath(i)
	}
	var out []Row
	run := func(scenario string, conc int, spread bool) {
		cs := []contender{
			{"parley", scenario, postMessages(b.env.parley, parleyPaths, spread)},
			{"floor", scenario, postMessages(b.env.floor, floorPaths, spread)},
		}
		if b.opt.GroupCommitFloor {
			cs = append(cs, contender{"floor-gc", scenario, postMessages(b.env.floor, groupedPaths, spread)})
		}
		rs := rows(cs, conc, b.alternate(ctx, conc, cs))
		// Parley is compared with the group-commit floor when it runs (it
		// commits concurrent writes together, as Parley does), else with
		// the single-commit floor; each floor row shows its own distance
		// from the other.
		base, of := 1, "floor ops/s"
		if len(rs) > 2 {
			base, of = 2, "group-commit floor ops/s"
		}
		for i := range rs {
			other, otherOf := base, of
			if i == base {
				other, otherOf = 1, "floor ops/s"
			}
			rs[i].ratio(rs[i].OpsPerSec, rs[other].OpsPerSec, otherOf)
			rs[i].ratioPerRound(rs[other])
		}
		out = append(out, rs...)
	}
	for _, conc := range b.opt.Concurrency {
		run("message create, 1 conversation", conc, false)
	}
	run(fmt.Sprintf("message create, %d conversations", len(sids)), b.opt.SpreadConcurrency, true)
	return out, ctx.Err()
}

// listDepth is scenario 3: the first page of one conversation's messages
// against a page deep into it. Keyset paging should make them cost the same.
func (b *bencher) listDepth(ctx context.Context) ([]Row, error) {
	sids, err := b.createConversations(ctx, 1)
	if err != nil {
		return nil, err
	}
	depths := []int{b.opt.Depth}
	if b.opt.Large && largeDepth > b.opt.Depth {
		depths = append(depths, largeDepth)
	}
	deepest := depths[len(depths)-1]
	if err := b.seed(ctx, sids[0], deepest+b.opt.PageSize); err != nil {
		return nil, err
	}
	base := "/v1/Conversations/" + sids[0] + "/Messages?PageSize=" + strconv.Itoa(b.opt.PageSize)
	cs := []contender{{"parley", "list messages, first page", b.getPage(base)}}
	for _, d := range depths {
		// The token is the one next_page_url carries after d messages.
		path := base + "&PageToken=PA" + strconv.Itoa(d-1)
		if err := b.checkPage(ctx, path, d); err != nil {
			return nil, err
		}
		cs = append(cs, contender{"parley", "list messages, depth " + thousands(d), b.getPage(path)})
	}
	rs := rows(cs, 1, b.alternate(ctx, 1, cs))
	for i := 1; i < len(rs); i++ {
		rs[i].ratio(rs[i].P50Ms, rs[0].P50Ms, "first page p50")
	}
	return rs, ctx.Err()
}

func (b *bencher) getPage(path string) op {
	return func(ctx context.Context, _, _ int) error { return b.env.parley.call(ctx, "GET", path, "", nil) }
}

// checkPage proves the deep page really starts at the given depth.
func (b *bencher) checkPage(ctx context.Context, path string, depth int) error {
	var page struct {
		Messages []struct {
			Index int `json:"index"`
		} `json:"messages"`
	}
	if err := b.env.parley.call(ctx, "GET", path, "", &page); err != nil {
		return err
	}
	if len(page.Messages) != b.opt.PageSize || page.Messages[0].Index != depth {
		return fmt.Errorf("page at depth %d: got %d messages starting at %v", depth, len(page.Messages), page.Messages)
	}
	return nil
}

// conversationCreate is scenario 4: create a conversation and add a
// participant to it, as one operation.
func (b *bencher) conversationCreate(ctx context.Context) ([]Row, error) {
	cs := []contender{{"parley", "conversation create + participant add", b.createWithParticipant}}
	return rows(cs, b.opt.CreateConcurrency, b.alternate(ctx, b.opt.CreateConcurrency, cs)), ctx.Err()
}

// createWithParticipant creates a conversation and adds a participant whose
// identity is new for every operation: the scenario measures the two
// writes, not an identity's way to its per-identity conversation limit
// (1,000 through Conversations), which one identity per client reached
// within seconds.
func (b *bencher) createWithParticipant(ctx context.Context, _, i int) error {
	sid, err := b.createConversation(ctx, "bench-"+strconv.Itoa(i))
	if err != nil {
		return err
	}
	identity := "user-" + strconv.FormatInt(b.identities.Add(1), 10)
	form := url.Values{"Identity": {identity}}.Encode()
	return b.env.parley.call(ctx, "POST", "/v1/Conversations/"+sid+"/Participants", form, nil)
}

func (b *bencher) createConversation(ctx context.Context, name string) (string, error) {
	return createConversationAt(ctx, b.env.parley, name)
}

// createConversationAt creates a conversation through ep's API.
func createConversationAt(ctx context.Context, ep *endpoint, name string) (string, error) {
	var c struct {
		SID string `json:"sid"`
	}
	err := ep.call(ctx, "POST", "/v1/Conversations", url.Values{"FriendlyName": {name}}.Encode(), &c)
	return c.SID, err
}

// setupClients is how many clients create setup data over HTTP.
const setupClients = 16

// createConversations creates n conversations through the API.
func (b *bencher) createConversations(ctx context.Context, n int) ([]string, error) {
	return createConversationsAt(ctx, b.env.parley, n)
}

// createConversationsAt creates n conversations through ep's API.
func createConversationsAt(ctx context.Context, ep *endpoint, n int) ([]string, error) {
	sids := make([]string, n)
	s := measure(ctx, min(setupClients, n), budget{count: n}, func(ctx context.Context, _, i int) (err error) {
		sids[i], err = createConversationAt(ctx, ep, "bench-"+strconv.Itoa(i))
		return err
	})
	if s.firstErr != nil {
		return nil, fmt.Errorf("create conversations: %w", s.firstErr)
	}
	return sids, nil
}

// thousands formats n with comma separators, as the issue and docs write depths.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
