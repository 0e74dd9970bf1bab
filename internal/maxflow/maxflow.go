// Package maxflow computes maximum flows in small directed networks
// with integer capacities, by Dinic's algorithm (Dinic, "Algorithm for
// solution of a problem of maximum flow in a network with power
// estimation", Soviet Mathematics Doklady 11, 1970).
//
// A [Network] is stored in flat arrays and allocates nothing once
// built, so that a caller who solves the same network many times with
// a few capacities changed, as a binary search does, pays only for the
// flow.
package maxflow

// A Network is a directed network with integer capacities. Nodes are
// numbered from 0; edges are numbered by [Network.AddEdge] in the order
// they are added. The zero Network has no nodes: use [New].
//
// A Network is not safe for concurrent use.
type Network struct {
	head  []int32 // first edge out of each node, or -1
	next  []int32 // next edge out of the same node
	to    []int32
	cap   []int64 // residual capacity; edge e^1 is e's reverse
	base  []int64 // capacity without flow, per residual edge
	level []int32
	iter  []int32
	queue []int32
}

// New returns a network of the given number of nodes and no edges,
// with room for the given number of edges.
func New(nodes, edges int) *Network {
	f := &Network{
		head:  make([]int32, nodes),
		next:  make([]int32, 0, 2*edges),
		to:    make([]int32, 0, 2*edges),
		cap:   make([]int64, 0, 2*edges),
		base:  make([]int64, 0, 2*edges),
		level: make([]int32, nodes),
		iter:  make([]int32, nodes),
		queue: make([]int32, 0, nodes),
	}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

// AddEdge adds an edge u→v of capacity c and returns its number. It
// panics if u or v is not a node of f.
func (f *Network) AddEdge(u, v int32, c int64) int32 {
	e := int32(len(f.to) / 2)
	r := 2 * e
	f.to = append(f.to, v, u)
	f.base = append(f.base, c, 0)
	f.cap = append(f.cap, c, 0)
	f.next = append(f.next, f.head[u], f.head[v])
	f.head[u], f.head[v] = r, r+1
	return e
}

// SetCapacity sets the capacity of edge e to c, for the next call of
// [Network.MaxFlow].
func (f *Network) SetCapacity(e int32, c int64) { f.base[2*e] = c }

// MaxFlow returns the value of a maximum flow from s to t, stopping
// early once it reaches want. Each call starts from no flow, so the
// network can be solved again with other capacities. The time
// complexity is O(V²·E) for V nodes and E edges. The search for
// augmenting paths recurses as deep as the shortest path from s to t
// is long, so MaxFlow suits shallow networks, such as the four layers
// (source, supplies, demands, sink) of a transportation problem.
func (f *Network) MaxFlow(s, t int32, want int64) int64 {
	copy(f.cap, f.base)
	var total int64
	for total < want && f.bfs(s, t) {
		copy(f.iter, f.head)
		for {
			d := f.dfs(s, t, want-total)
			if d == 0 {
				break
			}
			total += d
			if total >= want {
				break
			}
		}
	}
	return total
}

// bfs levels the residual network from s and reports whether t is
// reachable.
func (f *Network) bfs(s, t int32) bool {
	for i := range f.level {
		f.level[i] = -1
	}
	f.level[s] = 0
	f.queue = append(f.queue[:0], s)
	for k := 0; k < len(f.queue); k++ {
		u := f.queue[k]
		for e := f.head[u]; e >= 0; e = f.next[e] {
			if v := f.to[e]; f.cap[e] > 0 && f.level[v] < 0 {
				f.level[v] = f.level[u] + 1
				f.queue = append(f.queue, v)
			}
		}
	}
	return f.level[t] >= 0
}

// dfs pushes up to limit units of flow from u to t along the level
// graph. Its recursion is as deep as the longest path from u to t.
func (f *Network) dfs(u, t int32, limit int64) int64 {
	if u == t {
		return limit
	}
	for ; f.iter[u] >= 0; f.iter[u] = f.next[f.iter[u]] {
		e := f.iter[u]
		v := f.to[e]
		if f.cap[e] <= 0 || f.level[v] != f.level[u]+1 {
			continue
		}
		if d := f.dfs(v, t, min(limit, f.cap[e])); d > 0 {
			f.cap[e] -= d
			f.cap[e^1] += d
			return d
		}
	}
	return 0
}
