package events_test

import (
	"testing"

	"prizequiz/internal/events"
)

func TestPublishNeverBlocksAndDropsSlowReaders(t *testing.T) {
	b := events.NewBroker[int]()
	fast, cancelFast := b.Subscribe("t", 8)
	defer cancelFast()
	slow, cancelSlow := b.Subscribe("t", 1)
	defer cancelSlow()
	other, cancelOther := b.Subscribe("other", 1)
	defer cancelOther()
	for i := range 3 { // the slow reader never reads: its second value finds the buffer full
		b.Publish("t", i)
		if got := <-fast; got != i {
			t.Fatalf("fast reader got %d, want %d", got, i)
		}
	}
	if v, ok := <-slow; !ok || v != 0 {
		t.Fatalf("slow reader's buffered value: %d %v", v, ok)
	}
	if _, ok := <-slow; ok {
		t.Fatal("slow reader was not dropped")
	}
	if b.Subscribers("t") != 1 {
		t.Fatalf("%d subscribers left", b.Subscribers("t"))
	}
	select {
	case v := <-other:
		t.Fatalf("other topic received %d", v)
	default:
	}
	cancelFast()
	cancelFast() // twice is fine
	if b.Subscribers("t") != 0 {
		t.Fatal("cancel did not unsubscribe")
	}
}
