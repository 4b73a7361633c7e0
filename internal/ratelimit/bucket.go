package ratelimit

import (
	"math"
	"sync"
	"time"
)

// bucket is a token bucket: it holds up to burst tokens and refills at rate
// tokens per second; each admitted request takes one.
type bucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

// refill brings the bucket up to now.
func (b *bucket) refill(now time.Time) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed*b.rate)
	}
	b.last = now
}

// wait is how long until the bucket holds a whole token (0: it does now).
func (b *bucket) wait() time.Duration {
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// buckets holds the buckets by key. Idle buckets are full buckets; they are
// dropped now and then so per-conversation keys do not pile up.
type buckets struct {
	mu        sync.Mutex
	byKey     map[string]*bucket
	lastSweep time.Time
}

// sweepEvery is how often full (idle) buckets are dropped.
const sweepEvery = time.Minute

// take admits one request against every key, or none: when a bucket is
// empty nothing is taken, and the longest wait and its key are returned.
func (bs *buckets) take(now time.Time, keys []limitKey) (time.Duration, limitKey) {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.byKey == nil {
		bs.byKey = map[string]*bucket{}
	}
	if now.Sub(bs.lastSweep) > sweepEvery {
		bs.sweep(now)
	}
	var wait time.Duration
	var full limitKey
	got := make([]*bucket, len(keys))
	for i, k := range keys {
		b := bs.byKey[k.key]
		if b == nil {
			b = &bucket{rate: k.rate, burst: k.burst, tokens: k.burst, last: now}
			bs.byKey[k.key] = b
		}
		b.refill(now)
		if w := b.wait(); w > wait {
			wait, full = w, k
		}
		got[i] = b
	}
	if wait > 0 {
		return wait, full
	}
	for _, b := range got {
		b.tokens--
	}
	return 0, limitKey{}
}

func (bs *buckets) sweep(now time.Time) {
	for k, b := range bs.byKey {
		b.refill(now)
		if b.tokens >= b.burst {
			delete(bs.byKey, k)
		}
	}
	bs.lastSweep = now
}
