// Package events is an in-process publish/subscribe broker. Publishing
// never blocks: a subscriber whose buffer is full is dropped (its channel
// closed), so one slow reader cannot slow a submit or the other readers.
package events

import "sync"

// Broker fans values of type T out to the subscribers of a topic.
type Broker[T any] struct {
	mu   sync.Mutex
	subs map[string]map[chan T]struct{}
}

// NewBroker returns an empty broker.
func NewBroker[T any]() *Broker[T] {
	return &Broker[T]{subs: map[string]map[chan T]struct{}{}}
}

// Subscribe returns a channel receiving what is published on topic, with
// room for buf values, and a cancel func that closes it. Call cancel when
// done; it is safe to call more than once.
func (b *Broker[T]) Subscribe(topic string, buf int) (<-chan T, func()) {
	ch := make(chan T, buf)
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[chan T]struct{}{}
	}
	b.subs[topic][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() { b.drop(topic, ch) }
}

func (b *Broker[T]) drop(topic string, ch chan T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[topic][ch]; ok {
		delete(b.subs[topic], ch)
		if len(b.subs[topic]) == 0 {
			delete(b.subs, topic)
		}
		close(ch)
	}
}

// Publish sends v to every subscriber of topic without waiting.
func (b *Broker[T]) Publish(topic string, v T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[topic] {
		select {
		case ch <- v:
		default: // full: this reader stopped reading
			delete(b.subs[topic], ch)
			close(ch)
		}
	}
	if len(b.subs[topic]) == 0 {
		delete(b.subs, topic)
	}
}

// Subscribers reports how many subscribers topic has.
func (b *Broker[T]) Subscribers(topic string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs[topic])
}
