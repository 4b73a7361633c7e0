package twilsock

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// rawDial opens a twilsock connection and sends init with a hand-written
// WebSocket handshake and one masked frame, so the client side costs a TCP
// socket and no goroutine: what the benchmark measures is the server.
func rawDial(addr, token string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET /v3/wsconnect HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, fmt.Errorf("handshake: %v %v", resp, err)
	}
	payload, _ := Encode(Header{Method: "init", ID: "TMinit", Token: token}, nil)
	frame := []byte{0x82} // FIN, binary
	switch n := len(payload); {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	default:
		frame = append(frame, 0x80|126)
		frame = binary.BigEndian.AppendUint16(frame, uint16(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	frame = append(frame, mask[:]...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	_, err = c.Write(frame)
	return c, err
}

// BenchmarkIdleConnections opens b.N sessions and reports the server's
// memory and goroutines per idle connection. Run with -benchtime=1000x.
func BenchmarkIdleConnections(b *testing.B) {
	s := New(Config{Verifier: testVerifier{}, Sessions: testVerifier{}, Handler: http.NotFoundHandler()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: s}
	go hs.Serve(ln)
	defer hs.Close()
	defer s.Close()
	token := testToken("alice", time.Now().Add(time.Hour))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()
	conns := make([]net.Conn, 0, b.N)
	b.ResetTimer()
	for range b.N {
		c, err := rawDial(ln.Addr().String(), token)
		if err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for s.Connections() < b.N {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	time.Sleep(100 * time.Millisecond) // let every init reply go out
	runtime.GC()
	runtime.ReadMemStats(&after)
	n := float64(b.N)
	b.ReportMetric(float64(after.HeapInuse+after.StackInuse-before.HeapInuse-before.StackInuse)/n, "B/conn")
	b.ReportMetric(float64(runtime.NumGoroutine()-goroutines)/n, "goroutines/conn")
	for _, c := range conns {
		c.Close()
	}
}
