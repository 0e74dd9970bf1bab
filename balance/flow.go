package balance

// A flowNet is a directed network with integer capacities, stored in
// flat arrays, for Dinic's maximum-flow algorithm. It is small and
// allocation-free once built: the bound's binary search reuses it,
// resetting only the capacities that change.
type flowNet struct {
	head  []int32 // first edge out of each node, or -1
	next  []int32 // next edge out of the same node
	to    []int32
	cap   []int64 // residual capacity; edge e^1 is e's reverse
	level []int32
	iter  []int32
	queue []int32
}

func newFlowNet(nodes, edges int) *flowNet {
	f := &flowNet{
		head:  make([]int32, nodes),
		next:  make([]int32, 0, 2*edges),
		to:    make([]int32, 0, 2*edges),
		cap:   make([]int64, 0, 2*edges),
		level: make([]int32, nodes),
		iter:  make([]int32, nodes),
		queue: make([]int32, 0, nodes),
	}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

// addEdge adds an edge u→v of capacity c and returns its index.
func (f *flowNet) addEdge(u, v int32, c int64) int32 {
	e := int32(len(f.to))
	f.to = append(f.to, v, u)
	f.cap = append(f.cap, c, 0)
	f.next = append(f.next, f.head[u], f.head[v])
	f.head[u], f.head[v] = e, e+1
	return e
}

// bfs levels the residual network from s and reports whether t is
// reachable.
func (f *flowNet) bfs(s, t int32) bool {
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
// graph.
func (f *flowNet) dfs(u, t int32, limit int64) int64 {
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

// maxFlow returns the maximum flow from s to t, stopping early once it
// reaches want. The depth of the network is at most 4 (source, class,
// worker, sink), so the recursion is shallow.
func (f *flowNet) maxFlow(s, t int32, want int64) int64 {
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
