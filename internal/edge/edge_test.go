package edge_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parley-dev/parley/internal/apitest"
	"github.com/parley-dev/parley/internal/edge"
	"github.com/parley-dev/parley/internal/server"
)

// TestHTTPEdge: requests net/http refuses before any handler, and paths
// ServeMux would redirect, are answered with Twilio error bodies.
func TestHTTPEdge(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		auth := "Authorization: " + env.BasicAuth() + "\r\n"
		cases := []struct {
			name, request string
			status, code  int
		}{
			{"bad Content-Length", "POST /v1/Conversations HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: abc\r\n\r\n", 400, 20001},
			{"two Content-Lengths", "POST /v1/Conversations HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400, 20001},
			{"percent escape in the path", "GET /v1/Conversations/%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400, 20001},
			{"control byte in the path", "GET /v1/Conver\x01sations HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 400, 20001},
			{"control byte in a header", "GET /v1/Conversations HTTP/1.1\r\nHost: x\r\nX-Bad: a\x7fb\r\n" + auth + "\r\n", 400, 20001},
			{"no Host", "GET /v1/Conversations HTTP/1.1\r\n" + auth + "\r\n", 400, 20001},
			{"gzip, chunked", "POST /v1/Conversations HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, 20001},
			{"double slash, unauthenticated", "GET /v1//Conversations HTTP/1.1\r\nHost: x\r\n\r\n", 404, 20404},
			{"dot segment", "GET /v1/./Conversations HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 404, 20404},
			{"dot-dot segment", "GET /v1/Conversations/../Users HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 404, 20404},
			{"huge headers", "GET /v1/Conversations HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 1<<20+10000) + "\r\n\r\n", 431, 20001},
			{"malformed chunked body", "POST /v1/Conversations HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, 20001},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := env.Raw(tc.request)
				var body struct{ Code int }
				json.Unmarshal(r.Body, &body)
				if r.Status != tc.status || body.Code != tc.code {
					t.Errorf("got %s, want %d with code %d", r, tc.status, tc.code)
				}
			})
		}
		// None of them created anything.
		r := env.Do("GET", "/v1/Conversations", nil)
		if !strings.Contains(string(r.Body), `"conversations":[]`) {
			t.Errorf("conversations after bad requests: %s", r)
		}
	})
}

// withHTTP sets short edge limits.
func withHTTP(cfg edge.Config) apitest.Option {
	return func(c *server.Config) { c.HTTP = cfg }
}

// TestTimeouts: a connection that trickles its body, and an idle keep-alive
// connection, are closed once their limits pass.
func TestTimeouts(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, withHTTP(edge.Config{ReadTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond}))
		addr := strings.TrimPrefix(env.URL, "http://")

		t.Run("slow body", func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			io.WriteString(conn, "POST /v1/Conversations HTTP/1.1\r\nHost: x\r\nAuthorization: "+env.BasicAuth()+
				"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nFriendlyName=slow")
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("no answer to an unfinished body within 10s (read timeout 300ms): %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 400 || !strings.Contains(string(body), `"code":20001`) || strings.Contains(string(body), "tcp") {
				t.Errorf("unfinished body: %d %s", resp.StatusCode, body)
			}
			if _, err := br.ReadByte(); err == nil {
				t.Error("the connection stayed open after the timeout's answer")
			}
		})
		t.Run("idle keep-alive", func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			io.WriteString(conn, "GET /v1/Conversations HTTP/1.1\r\nHost: x\r\nAuthorization: "+env.BasicAuth()+"\r\n\r\n")
			br := bufio.NewReader(conn)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			if resp.StatusCode != 200 || resp.Close {
				t.Fatalf("first request: %d close=%v", resp.StatusCode, resp.Close)
			}
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, err := br.ReadByte(); err == nil {
				t.Fatal("server sent bytes on an idle connection")
			} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("an idle keep-alive connection was still open after 10s (idle timeout 300ms)")
			}
		})
		r := env.Do("GET", "/v1/Conversations", nil)
		if !strings.Contains(string(r.Body), `"conversations":[]`) {
			t.Errorf("the slow request created something: %s", r)
		}
	})
}

// TestMaxConns: beyond the cap a connection is not served until another
// closes.
func TestMaxConns(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine, withHTTP(edge.Config{MaxConns: 2}))
		addr := strings.TrimPrefix(env.URL, "http://")
		request := "GET /v1/Conversations HTTP/1.1\r\nHost: x\r\nAuthorization: " + env.BasicAuth() + "\r\n\r\n"
		var held []net.Conn
		for range 2 {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, request)
			if _, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
		}
		third, err := net.Dial("tcp", addr) // the kernel completes the handshake
		if err != nil {
			t.Fatal(err)
		}
		defer third.Close()
		io.WriteString(third, request)
		br := bufio.NewReader(third)
		third.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if _, err := br.ReadByte(); err == nil {
			t.Fatal("a third connection was served with MaxConns 2")
		}
		held[0].Close()
		third.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("third connection after one closed: %v", err)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("third connection: %d", resp.StatusCode)
		}
	})
}
