package maxflow

import "testing"

// clrs builds the network of Cormen, Leiserson, Rivest and Stein,
// Introduction to Algorithms, 3rd ed., figure 26.1, whose maximum flow
// from s (0) to t (5) is 23.
func clrs() (*Network, []int32) {
	f := New(6, 9)
	var es []int32
	for _, e := range []struct {
		u, v int32
		c    int64
	}{
		{0, 1, 16}, {0, 2, 13}, {2, 1, 4}, {1, 3, 12}, {3, 2, 9},
		{2, 4, 14}, {4, 3, 7}, {3, 5, 20}, {4, 5, 4},
	} {
		es = append(es, f.AddEdge(e.u, e.v, e.c))
	}
	return f, es
}

func TestMaxFlow(t *testing.T) {
	t.Parallel()
	f, es := clrs()
	for i, e := range es {
		if e != int32(i) {
			t.Fatalf("edge %d numbered %d", i, e)
		}
	}
	tests := []struct {
		name string
		s, t int32
		want int64 // the limit passed to MaxFlow
		flow int64
	}{
		{"maximum", 0, 5, 1 << 40, 23},
		{"stops at want", 0, 5, 10, 10},
		{"want zero", 0, 5, 0, 0},
		{"again, from no flow", 0, 5, 1 << 40, 23},
		{"no path back", 5, 0, 1 << 40, 0},
		// Node 1 reaches 4 only along 1→3→2→4, whose narrowest edge,
		// 3→2, carries 9.
		{"inner nodes", 1, 4, 1 << 40, 9},
	}
	for _, tt := range tests {
		if got := f.MaxFlow(tt.s, tt.t, tt.want); got != tt.flow {
			t.Errorf("%s: MaxFlow(%d, %d, %d) = %d, want %d", tt.name, tt.s, tt.t, tt.want, got, tt.flow)
		}
	}
}

func TestSetCapacity(t *testing.T) {
	t.Parallel()
	f, es := clrs()
	// Closing 3→5 leaves only 4→5 into the sink.
	f.SetCapacity(es[7], 0)
	if got := f.MaxFlow(0, 5, 1<<40); got != 4 {
		t.Errorf("with 3→5 closed: %d, want 4", got)
	}
	f.SetCapacity(es[7], 20)
	if got := f.MaxFlow(0, 5, 1<<40); got != 23 {
		t.Errorf("with 3→5 reopened: %d, want 23", got)
	}
}

// TestBipartite checks a transportation network like the one package
// balance bounds with: supplies on the left, demands on the right.
func TestBipartite(t *testing.T) {
	t.Parallel()
	// Source 0, supplies 1 and 2 (5 and 7), demands 3 and 4, sink 5.
	// Supply 1 reaches both demands, supply 2 only demand 4.
	f := New(6, 7)
	f.AddEdge(0, 1, 5)
	f.AddEdge(0, 2, 7)
	f.AddEdge(1, 3, 5)
	f.AddEdge(1, 4, 5)
	f.AddEdge(2, 4, 7)
	d3 := f.AddEdge(3, 5, 0)
	d4 := f.AddEdge(4, 5, 0)
	for _, tt := range []struct {
		room3, room4, flow int64
	}{
		{0, 0, 0},
		{5, 7, 12},
		{10, 7, 12},
		{0, 10, 10},
		{2, 8, 10},
		{3, 9, 12},
	} {
		f.SetCapacity(d3, tt.room3)
		f.SetCapacity(d4, tt.room4)
		if got := f.MaxFlow(0, 5, 12); got != tt.flow {
			t.Errorf("room %d and %d: flow %d, want %d", tt.room3, tt.room4, got, tt.flow)
		}
	}
}
