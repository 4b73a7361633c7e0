package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	twapi "github.com/twilio/twilio-go/rest/api/v2010"
	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/accesstoken"
	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/demo"
	"github.com/parley-dev/parley/internal/server"
)

// TestDemoInBrowser opens /demo of a dev-mode server in headless Chromium
// as two users, alice and bob, who sign in through the dev token endpoint,
// start a conversation, exchange messages both ways and send a picture
// that the other side displays. Typing, read marks and online dots are
// asserted as the switches below say. Each engine saves screenshots of both
// pages in $PARLEY_TEST_ARTIFACTS (default: a temporary directory). Last, a
// server without dev mode: the page takes a pasted token.
//
// It skips when chromium is not installed, unless PARLEY_TEST_BROWSER is
// "require" (as in CI).
func TestDemoInBrowser(t *testing.T) {
	browser := startChromium(t)
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, func(c *server.Config) { c.Dev = true })
		enablePresence(t, env)
		ctx, cancel := context.WithTimeout(browser, 90*time.Second)
		defer cancel()
		alice := newPage(t, ctx, env.URL, "alice")
		bob := newPage(t, ctx, env.URL, "bob")

		if got, want := eval[string](t, alice, `Twilio.Conversations.Client.version`), demo.SDKLockVersion(t); got != want {
			t.Errorf("the page runs SDK %s, the lock file pins %s", got, want)
		}

		// alice starts a conversation with bob; it shows up in bob's list.
		do(t, alice, chromedp.SendKeys("#new-name", "Lunch"), chromedp.SendKeys("#new-with", "bob"), chromedp.Click("#new-create"))
		waitFor(t, alice, `document.querySelector('#chat-title').textContent === 'Lunch' && document.querySelectorAll('#people li').length === 2 && document.querySelector('#chat').dataset.loaded`)
		waitFor(t, bob, `[...document.querySelectorAll('#conversations li.conv')].some((li) => li.textContent === 'Lunch')`)
		do(t, bob, chromedp.Click(`#conversations li.conv`))
		waitFor(t, bob, `document.querySelector('#chat-title').textContent === 'Lunch' && document.querySelector('#chat').dataset.loaded`)

		// Typing: alice's keystrokes, then her message. The SDK sends at
		// most one typing signal per typing timeout, and bob's SDK shows
		// one only once it has loaded alice as a participant: alice keeps
		// typing, as a person would, until bob's page shows it.
		do(t, alice, chromedp.SendKeys("#text", "hello bob"))
		if typingLive {
			const shown = `document.querySelector('#typing').textContent === 'alice is typing…'`
			for deadline := time.Now().Add(30 * time.Second); !eval[bool](t, bob, shown); time.Sleep(250 * time.Millisecond) {
				if time.Now().After(deadline) {
					waitFor(t, bob, shown) // fails with what the page shows
				}
				do(t, alice, chromedp.SendKeys("#text", "."), chromedp.SendKeys("#text", "\b"))
			}
		} else {
			t.Log("typing: not asserted (typingLive is off)")
		}
		do(t, alice, chromedp.Click("#send"))
		waitFor(t, bob, hasMessage("alice", "hello bob"))
		if typingLive {
			waitFor(t, bob, `document.querySelector('#typing').textContent === ''`)
		}

		// bob answers; alice sees it.
		do(t, bob, chromedp.SendKeys("#text", "hi alice"), chromedp.Click("#send"))
		waitFor(t, alice, hasMessage("bob", "hi alice"))

		// Read marks: bob has the conversation open, so his page moved his
		// read horizon; alice's message shows read by bob.
		if readMarksLive {
			waitFor(t, alice, `[...document.querySelectorAll('#messages li.msg.mine')].some((li) => li.classList.contains('read') && li.querySelector('.status').textContent === '✓✓ read by bob')`)
		} else {
			t.Log("read marks: not asserted (readMarksLive is off)")
		}

		// Presence: bob's dot is green on alice's page, and her own.
		if presenceLive {
			waitFor(t, alice, `state.client.reachabilityEnabled === true && document.querySelector('#people li[data-identity="bob"] .dot').classList.contains('online') && document.querySelector('#me-dot').classList.contains('online')`)
		} else {
			t.Log("online dots: not asserted (presenceLive is off)")
		}

		// A picture from alice, displayed on bob's page.
		picture := writePicture(t)
		do(t, alice, chromedp.SetUploadFiles("#file", []string{picture}))
		waitFor(t, bob, `[...document.querySelectorAll('#messages li.msg img.media')].some((img) => img.complete && img.naturalWidth === 160 && img.naturalHeight === 100)`)
		waitFor(t, alice, `[...document.querySelectorAll('#messages li.msg.mine img.media')].some((img) => img.complete && img.naturalWidth === 160)`)
		page, err := env.Twilio().ConversationsV1.ListConversationMessage(eval[string](t, alice, `state.current.sid`), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 3 || page[2].Media == nil {
			t.Errorf("REST lists %d messages; want 3, the picture last", len(page))
		}
		saveScreenshots(t, engine, map[string]context.Context{"alice": alice, "bob": bob})

		// bob signs out: his dot turns grey on alice's page.
		if presenceLive {
			do(t, bob, chromedp.Click("#sign-out"))
			waitFor(t, alice, `document.querySelector('#people li[data-identity="bob"] .dot').classList.contains('offline')`)
		}
	})

	// Without dev mode the token endpoint is off: the page asks for a
	// token (as parley token prints) and signs in with it.
	t.Run("pasted token", func(t *testing.T) {
		env := apitest.Start(t, "sqlite")
		name := "demo test"
		k, err := env.Twilio().Api.CreateNewKey(&twapi.CreateNewKeyParams{FriendlyName: &name})
		if err != nil {
			t.Fatal(err)
		}
		jwt, err := accesstoken.Mint(accesstoken.Key{SID: *k.Sid, AccountSID: env.AccountSID, Secret: *k.Secret}, "carol", "", time.Now(), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		page := openPage(t, ctx, env.URL, "carol")
		do(t, page, chromedp.Click("#sign-in"))
		waitFor(t, page, `!document.querySelector('#paste').hidden`)
		do(t, page, chromedp.SetValue("#token", jwt), chromedp.Click("#sign-in"))
		waitFor(t, page, `document.body.dataset.state === 'ready' && document.querySelector('#me-identity').textContent === 'carol'`)
	})
}

// These switch on the assertions of what the protocol carries: typing
// (/Client/v2/Typing and its notification to the other participants), read
// marks (an SDK's read horizon reaching the others as participantUpdated)
// and presence (the user info map's online flag, with the service's
// reachability on). The page cannot find out by itself: the SDK swallows a
// failed typing call (it only logs it), and presence that is not tracked
// looks like everyone being offline.
const (
	typingLive    = true
	readMarksLive = true
	presenceLive  = true
)

// startChromium starts one headless Chromium for the test, with a fresh
// profile and no network services of its own (the machine may be offline).
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("PARLEY_TEST_BROWSER") == "require" {
			t.Fatal("PARLEY_TEST_BROWSER=require but chromium is not installed (apt-get install chromium)")
		}
		t.Skip("chromium is not installed (apt-get install chromium); set PARLEY_TEST_BROWSER=require to fail instead")
	}
	// Not t.TempDir: Chromium's child processes can still write to the
	// profile for a moment after the browser stops, which would fail the
	// test's cleanup; removing it is retried instead.
	profile, err := os.MkdirTemp("", "parley-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// newPage opens /demo and signs in as identity through the form and the
// dev token endpoint.
func newPage(t *testing.T, browser context.Context, baseURL, identity string) context.Context {
	t.Helper()
	ctx := openPage(t, browser, baseURL, identity)
	do(t, ctx, chromedp.Click("#sign-in"))
	waitFor(t, ctx, `document.body.dataset.state === 'ready' && document.querySelector('#me-identity').textContent === '`+identity+`'`)
	return ctx
}

// openPage opens /demo in a browser context of its own (its own storage, as
// another person's browser) and types identity into the sign-in form.
func openPage(t *testing.T, browser context.Context, baseURL, identity string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			first, _, _ := strings.Cut(m.Text, "\n")
			switch {
			case m.IsException():
				// An error nothing caught: a bug of the page, or an SDK
				// call the page does not handle.
				t.Errorf("%s page: uncaught %s", identity, first)
			case m.Type == chromedp.ConsoleError:
				t.Logf("%s console: %s", identity, first)
			}
		}
	}()
	do(t, ctx,
		chromedp.EmulateViewport(1000, 560),
		chromedp.Navigate(baseURL+demo.Path+"/"),
		chromedp.SendKeys("#identity", identity),
	)
	return ctx
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	// The page's state lives in window.demo.
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](`(() => { const { state } = window.demo; return `+expr+`; })()`))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the page's predicate holds (the Poll's own 30s limit
// and the test's context bound it); no sleeps.
func waitFor(t *testing.T, ctx context.Context, predicate string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingInterval(25*time.Millisecond))); err != nil {
		// What the page shows says more than the predicate.
		shown, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#messages').innerText + ' | toast: ' + document.querySelector('#toast').innerText`))
		t.Fatalf("waiting for %s: %v\nthe page shows: %s", predicate, err, shown)
	}
}

func hasMessage(author, body string) string {
	return fmt.Sprintf(`[...document.querySelectorAll('#messages li.msg')].some((li) => li.querySelector('.author').textContent === %q && li.querySelector('.body')?.textContent === %q)`, author, body)
}

// enablePresence turns on the service's reachability, so that a server
// that tracks presence shows it (Twilio's default is off).
func enablePresence(t *testing.T, env *apitest.Env) {
	t.Helper()
	api := env.Twilio().ConversationsV1
	cfg, err := api.FetchConfiguration()
	if err != nil {
		t.Fatal(err)
	}
	on := true
	if _, err := api.UpdateServiceConfiguration(*cfg.DefaultChatServiceSid, &conv.UpdateServiceConfigurationParams{ReachabilityEnabled: &on}); err != nil {
		t.Fatal(err)
	}
}

// writePicture writes a 160×100 PNG to upload: a sky-like gradient.
func writePicture(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 160, 100))
	for y := range 100 {
		for x := range 160 {
			img.Set(x, y, color.RGBA{R: uint8(60 + x), G: uint8(120 + y), B: 220, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sky.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// saveScreenshots writes each page's viewport as a PNG to
// $PARLEY_TEST_ARTIFACTS, or to a temporary directory.
func saveScreenshots(t *testing.T, engine string, pages map[string]context.Context) {
	t.Helper()
	dir := os.Getenv("PARLEY_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for who, ctx := range pages {
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, strings.Join([]string{"demo", engine, who}, "-")+".png")
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
}
