package balance

import "math/bits"

// A utilHeap is an indexed binary heap of workers keyed by utilization:
// a max-heap finds the fullest worker, and the fullest but for two given
// workers, at once while loads change; a min-heap per class of cases
// finds the emptiest workers who may take them. It holds its members by
// their local index, their position in ids, so that its memory is the
// size of its members, not of the team.
//
// A change of key is noted ([utilHeap.mark]) and the heap put back in
// order when it is next read: a worker whose load changes is in every
// class that may take their cases, and most of those heaps are not read
// before the worker's load changes again. What a read returns does not
// depend on the heap's layout (members rank in one total order), so the
// order in which changes are taken in changes no result.
type utilHeap struct {
	key   []float64 // per worker, shared with the solver
	ids   []int32   // local index → worker, ascending
	at    []int32   // local index → position in item
	item  []int32   // heap positions → local index
	stale []int32   // local indices whose key changed since the last read
	dirty []bool    // per local index: in stale
	// paths, starts and onPath are order's scratch: the positions to
	// sift down, where each stale member's walk up begins in paths,
	// and, per position, whether it is in paths.
	paths, starts []int32
	onPath        []bool
	min           bool
}

// newUtilHeap returns a heap of members (ascending worker indices) keyed
// by key: a min-heap if min is set, else a max-heap. key has one entry
// per worker and is shared, not copied: call fix with a member's local
// index (its position in members) when its entry changes.
func newUtilHeap(key []float64, members []int32, min bool) *utilHeap {
	h := new(utilHeap)
	h.init(key, members, min)
	return h
}

// init makes h a heap of members, as [newUtilHeap] does, for heaps held
// by value: a class holds one per capacity, often of one member each.
func (h *utilHeap) init(key []float64, members []int32, min bool) {
	n := len(members)
	idx := make([]int32, 2*n)
	*h = utilHeap{key: key, ids: members, at: idx[:n:n], item: idx[n:], dirty: make([]bool, n), min: min}
	for i := range n {
		h.at[i], h.item[i] = int32(i), int32(i)
	}
	h.heapify()
}

// heapify puts the whole heap in order, in O(n).
func (h *utilHeap) heapify() {
	for i := len(h.item)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// above reports whether the member of local index a ranks above b: the
// higher key (the lower for a min-heap), then the lower index, so that
// ties break the same way every time (ids ascend, so the lower local
// index is the lower worker index).
func (h *utilHeap) above(a, b int32) bool {
	ka, kb := h.key[h.ids[a]], h.key[h.ids[b]]
	if ka != kb {
		return (ka > kb) != h.min
	}
	return a < b
}

func (h *utilHeap) swap(i, j int) {
	h.item[i], h.item[j] = h.item[j], h.item[i]
	h.at[h.item[i]] = int32(i)
	h.at[h.item[j]] = int32(j)
}

func (h *utilHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.above(h.item[i], h.item[p]) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h *utilHeap) down(i int) {
	n := len(h.item)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && h.above(h.item[r], h.item[l]) {
			c = r
		}
		if !h.above(h.item[c], h.item[i]) {
			return
		}
		h.swap(i, c)
		i = c
	}
}

// fix restores the heap after the key of the member of local index l
// changed.
func (h *utilHeap) fix(l int32) {
	h.up(int(h.at[l]))
	h.down(int(h.at[l]))
}

// mark notes that the key of the member of local index l changed: the
// heap is put back in order when it is next read.
func (h *utilHeap) mark(l int32) {
	if !h.dirty[l] {
		h.dirty[l] = true
		h.stale = append(h.stale, l)
	}
}

// order puts the heap back in order after the changes marked since the
// last read. One change is sifted into place. Several are not taken in
// one at a time, which may leave the heap out of order (each sift
// assumes the rest in order); instead the positions they hold and
// their ancestors are sifted down, each after every one of them below
// it, as Floyd's heap construction does for every position: when a
// position is sifted, the subtrees below it are in order, either
// untouched or already sifted. When the changes are many, the whole
// heap is rebuilt, which costs less. Either way the heap ends in order
// over the current keys.
func (h *utilHeap) order() {
	k, n := len(h.stale), len(h.item)
	switch {
	case k == 0:
		return
	case k == 1:
		h.dirty[h.stale[0]] = false
		h.fix(h.stale[0])
	case k*bits.Len(uint(n)) > n:
		for _, l := range h.stale {
			h.dirty[l] = false
		}
		h.heapify()
	default:
		h.siftPaths()
	}
	h.stale = h.stale[:0]
}

// siftPaths sifts down the positions of the stale members and their
// ancestors, each once, every position after those below it. Each
// stale member's path is walked up to the root or to the first
// position an earlier walk took: a walk's positions are then below
// those of the walks before it and of none after it, so the walks are
// sifted last first, each from the bottom up.
func (h *utilHeap) siftPaths() {
	if h.onPath == nil {
		h.onPath = make([]bool, len(h.item))
	}
	ps, starts := h.paths[:0], h.starts[:0]
	for _, l := range h.stale {
		h.dirty[l] = false
		starts = append(starts, int32(len(ps)))
		for p := h.at[l]; !h.onPath[p]; p = (p - 1) / 2 {
			h.onPath[p] = true
			ps = append(ps, p)
			if p == 0 {
				break
			}
		}
	}
	end := len(ps)
	for w := len(starts) - 1; w >= 0; w-- {
		for _, p := range ps[starts[w]:end] {
			h.onPath[p] = false
			h.down(int(p))
		}
		end = int(starts[w])
	}
	h.paths, h.starts = ps, starts
}

// top returns the fullest worker, or -1 if the heap is empty.
func (h *utilHeap) top() int32 {
	h.order()
	if len(h.item) == 0 {
		return -1
	}
	return h.ids[h.item[0]]
}

// maxExcept returns the highest key among workers other than a and b,
// or 0. The three highest keys of a binary heap lie in its first three
// levels.
func (h *utilHeap) maxExcept(a, b int32) float64 {
	return h.maxExcept3(a, b, -1)
}

// maxExcept3 returns the highest key among workers other than a, b and
// c; the four highest keys lie in the first four levels.
func (h *utilHeap) maxExcept3(a, b, c int32) float64 {
	h.order()
	best := 0.0
	for i := 0; i < len(h.item) && i < 15; i++ {
		if w := h.ids[h.item[i]]; w != a && w != b && w != c && h.key[w] > best {
			best = h.key[w]
		}
	}
	return best
}

// walkHeap visits the members of a min-heap in order of increasing key
// until visit returns false.
//
// It keeps a frontier of heap positions, the classic way to list a
// binary heap in order without popping it, and the frontier is itself a
// binary heap in the same order: a walk that visits k members costs
// O(k log k). (Chosen by a scan of the frontier, a walk of the whole
// heap was quadratic: with 500 workers at their caseload norm, each
// unit that none of them may take cost 0.6 ms in bestTarget.) Usually
// visit stops at the first member, and the frontier stays on the stack.
func walkHeap(h *utilHeap, visit func(b int32) bool) {
	h.order()
	if len(h.item) == 0 {
		return
	}
	var buf [16]int32
	front := append(buf[:0], 0)
	for len(front) > 0 {
		p := front[0]
		if !visit(h.ids[h.item[p]]) {
			return
		}
		// p leaves the frontier and its children join it: the first
		// takes p's place at the root, the second is pushed.
		l := 2*p + 1
		if int(l) >= len(h.item) {
			last := len(front) - 1
			front[0] = front[last]
			front = front[:last]
			h.frontDown(front, 0)
			continue
		}
		front[0] = l
		h.frontDown(front, 0)
		if int(l)+1 < len(h.item) {
			front = append(front, l+1)
			h.frontUp(front, len(front)-1)
		}
	}
}

// frontUp restores the order of walkHeap's frontier, a heap of heap
// positions, from its entry i up.
func (h *utilHeap) frontUp(front []int32, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.above(h.item[front[i]], h.item[front[parent]]) {
			return
		}
		front[i], front[parent] = front[parent], front[i]
		i = parent
	}
}

// frontDown restores the order of walkHeap's frontier from its entry i
// down.
func (h *utilHeap) frontDown(front []int32, i int) {
	for {
		c := 2*i + 1
		if c >= len(front) {
			return
		}
		if r := c + 1; r < len(front) && h.above(h.item[front[r]], h.item[front[c]]) {
			c = r
		}
		if !h.above(h.item[front[c]], h.item[front[i]]) {
			return
		}
		front[i], front[c] = front[c], front[i]
		i = c
	}
}
