package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/clock"
	"github.com/parley-dev/parley/internal/importer"
	"github.com/parley-dev/parley/internal/store"
)

// notCopied is what an import cannot carry over and the operator must
// re-create; printed after every run and listed in
// docs/migrating-from-twilio.md.
const notCopied = `not copied (re-create or re-point by hand):
  - media files of messages (Twilio keeps them; the message bodies and attributes are copied)
  - push credentials (Twilio never returns their secrets): parley's Credentials API
  - auth tokens and API keys (Twilio never returns them): a new token is printed above or set with --target-auth-token
  - Chat channel webhooks' retry counts (Chat v2 only; the webhooks themselves are copied)
  - access tokens minted by your backend: re-mint them with a Parley API key (parley keys create)
`

const twilioConversations = "https://conversations.twilio.com"

// importTransport is the source client's transport; nil is Go's default.
// Tests set one that checks every answer against Twilio's specs.
var importTransport http.RoundTripper

// importFlags are the flags parley import and parley import verify share.
type importFlags struct {
	from, chatFrom, accountsFrom                       string
	accountSID, authToken, apiKey, apiSecret, services string
	dataDir, databaseURL, into                         string
	concurrency, retries, pageSize                     int
}

func (f *importFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&f.from, "from", twilioConversations, "the source's Conversations API root")
	fs.StringVar(&f.chatFrom, "chat-from", "", "the source's Chat API root (default: https://chat.twilio.com with Twilio's --from, else --from)")
	fs.StringVar(&f.accountsFrom, "accounts-from", "", "the source's 2010 API root, for the account's name (default: https://api.twilio.com with Twilio's --from, else --from)")
	fs.StringVar(&f.accountSID, "account-sid", env("TWILIO_ACCOUNT_SID", ""), "the source account (AC…) ($TWILIO_ACCOUNT_SID)")
	fs.StringVar(&f.authToken, "auth-token", env("TWILIO_AUTH_TOKEN", ""), "the source account's auth token ($TWILIO_AUTH_TOKEN)")
	fs.StringVar(&f.apiKey, "api-key", env("TWILIO_API_KEY", ""), "a source API key SID (SK…), instead of the auth token ($TWILIO_API_KEY)")
	fs.StringVar(&f.apiSecret, "api-secret", env("TWILIO_API_SECRET", ""), "the API key's secret ($TWILIO_API_SECRET)")
	fs.StringVar(&f.services, "services", "", "comma-separated Conversation Service SIDs (IS…) to copy (default: all)")
	fs.StringVar(&f.dataDir, "data-dir", env("PARLEY_DATA_DIR", "./parley-data"), "the target server's data directory ($PARLEY_DATA_DIR)")
	fs.StringVar(&f.databaseURL, "database-url", env("PARLEY_DATABASE_URL", ""), "the target server's database (default: <data-dir>/parley.db) ($PARLEY_DATABASE_URL)")
	fs.StringVar(&f.into, "into", "", "import into this existing target account (AC…) instead of one with the source's SID")
	fs.IntVar(&f.concurrency, "concurrency", 4, "conversations copied at once (each makes one request at a time)")
	fs.IntVar(&f.retries, "retries", 8, "retries of one request answered 429 or 5xx")
	fs.IntVar(&f.pageSize, "page-size", 100, "records asked per page (Twilio's maximum is 100)")
}

// open checks the flags and opens the source and the target store.
func (f *importFlags) open(ctx context.Context, logf func(string, ...any)) (*importer.Source, parley.Store, error) {
	if !strings.HasPrefix(f.accountSID, "AC") {
		return nil, nil, errors.New("--account-sid AC… is required")
	}
	src := &importer.Source{BaseURL: f.from, ChatURL: f.chatFrom, AccountsURL: f.accountsFrom, MaxRetries: f.retries,
		Logf: logf, PageSize: f.pageSize, HTTP: &http.Client{Timeout: time.Minute, Transport: importTransport}}
	if strings.TrimRight(f.from, "/") == twilioConversations {
		// Twilio serves each API on its own host; a Parley serves all on one.
		src.ChatURL = cmp.Or(src.ChatURL, "https://chat.twilio.com")
		src.AccountsURL = cmp.Or(src.AccountsURL, "https://api.twilio.com")
	}
	switch {
	case f.apiKey != "" && f.apiSecret != "":
		src.Username, src.Password = f.apiKey, f.apiSecret
	case f.authToken != "":
		src.Username, src.Password = f.accountSID, f.authToken
	default:
		return nil, nil, errors.New("give --auth-token, or --api-key and --api-secret")
	}
	if f.concurrency < 1 || f.concurrency > 64 {
		return nil, nil, fmt.Errorf("--concurrency: want 1 to 64, got %d", f.concurrency)
	}
	url := f.databaseURL
	if url == "" {
		if err := os.MkdirAll(f.dataDir, 0o700); err != nil {
			return nil, nil, err
		}
		url = filepath.Join(f.dataDir, "parley.db")
	}
	// The store is opened directly, not through the server's operator
	// access: the import may be the first thing to touch it, and it writes
	// nothing the master key seals.
	db, err := store.Open(ctx, url, store.Options{Clock: clock.Real{}, MaxConns: f.concurrency + 1})
	if err != nil {
		return nil, nil, fmt.Errorf("open target store: %w", err)
	}
	return src, db, nil
}

func (f *importFlags) serviceList() []string {
	if f.services == "" {
		return nil
	}
	return strings.Split(f.services, ",")
}

// runImport copies an account from a Twilio-compatible API into the
// target store: parley import [flags], or parley import verify [flags].
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "verify" {
		return runVerify(ctx, args[1:], getenv, stdout, stderr)
	}
	fs := flag.NewFlagSet("parley import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f importFlags
	f.register(fs, getenv)
	dryRun := fs.Bool("dry-run", false, "count what would be copied; write nothing")
	targetToken := fs.String("target-auth-token", "", "auth token of the target account when the import creates it (default: a random one, printed once)")
	progress := fs.Duration("progress", 10*time.Second, "how often to log a progress line")
	since := fs.String("since", "", "catch up: read only messages created or edited after this time (RFC 3339, e.g. 2026-11-30T04:00:00Z)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// On a terminal the progress is one line rewritten in place, which a
	// log line first clears; elsewhere (a file, a pipe, a log collector)
	// plain lines.
	terminal := isTerminal(stderr)
	clear := ""
	if terminal {
		clear = "\r\033[K"
	}
	// Workers, back-offs and the progress ticker log at once: one line at a time.
	var logMu sync.Mutex
	logf := func(format string, a ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		fmt.Fprintf(stderr, "%s%s parley import: %s\n", clear, time.Now().UTC().Format(time.RFC3339), fmt.Sprintf(format, a...))
	}
	var sinceT time.Time
	if *since != "" {
		t, err := time.Parse(time.RFC3339, *since)
		if err != nil {
			return fmt.Errorf("--since: want an RFC 3339 time such as 2026-11-30T04:00:00Z: %w", err)
		}
		sinceT = t
	}
	src, db, err := f.open(ctx, logf)
	if err != nil {
		return err
	}
	defer db.Close()
	target := importer.Target{SourceAccountSID: f.accountSID, Into: f.into, AuthToken: *targetToken}
	acct, created, err := target.Account(ctx, src, db, *dryRun)
	if err != nil {
		return err
	}
	if created != nil && !*dryRun {
		logf("created account %s in the target", created.SID)
		if *targetToken == "" {
			// Twilio never reveals the source's token, so the copy gets its own.
			fmt.Fprintf(stdout, "account %s auth token %s (shown once)\n", created.SID, created.AuthToken)
		}
	}
	im := &importer.Importer{Source: src, Store: db, AccountSID: acct, SourceAccountSID: f.accountSID,
		Services: f.serviceList(), DryRun: *dryRun, Since: sinceT,
		Concurrency: f.concurrency, Logf: logf, ProgressEvery: *progress}
	if terminal {
		im.Terminal = stderr
	}
	rep, err := im.Run(ctx)
	verb := "copied"
	if *dryRun {
		verb = "would copy"
	}
	for _, n := range rep.Resources() {
		c := rep.Counts[n]
		fmt.Fprintf(stdout, "%s %d %s (%d updated, %d deleted, %d already there)\n", verb, c.Copied, n, c.Updated, c.Deleted, c.Existing)
	}
	logf("done in %s: %s", rep.Elapsed.Round(time.Millisecond), rep.Summary(src))
	if rep.MessagesWithMedia > 0 {
		fmt.Fprintf(stdout, "%d messages had media, which is not copied\n", rep.MessagesWithMedia)
	}
	fmt.Fprint(stdout, notCopied)
	return err
}

// runVerify compares the source with the target; a difference is an error.
func runVerify(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("parley import verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f importFlags
	f.register(fs, getenv)
	sample := fs.Int("sample", 10, "compare every Nth message field by field (1: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	src, db, err := f.open(ctx, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	acct := f.accountSID
	if f.into != "" {
		acct = f.into
	}
	v := &importer.Verifier{Source: src, Store: db, AccountSID: acct, Services: f.serviceList(), Sample: *sample}
	res, err := v.Verify(ctx)
	if err != nil {
		return err
	}
	for _, n := range []string{"services", "roles", "users", "conversations", "participants", "messages",
		"conversation webhooks", "public channels", "invites", "address configurations"} {
		c := res.Counts[n]
		fmt.Fprintf(stdout, "%-22s source %d target %d\n", n, c[0], c[1])
	}
	fmt.Fprintf(stdout, "compared %d records field by field\n", res.Compared)
	for _, d := range res.Differences {
		fmt.Fprintln(stdout, "DIFFERENCE", d)
	}
	if !res.OK() {
		return fmt.Errorf("the target differs from the source (%d differences shown)", len(res.Differences))
	}
	fmt.Fprintln(stdout, "source and target agree")
	return nil
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
