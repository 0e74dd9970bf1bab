package balance

// A utilHeap is an indexed binary heap of workers keyed by utilization:
// a max-heap finds the fullest worker, and the fullest but for two given
// workers, at once while loads change; a min-heap per class of cases
// finds the emptiest workers who may take them.
type utilHeap struct {
	key  []float64 // per worker, shared with the solver
	at   []int32   // position of each worker in item, or -1
	item []int32
	min  bool
}

// newUtilHeap returns a heap of members keyed by key: a min-heap if min
// is set, else a max-heap. key has one entry per worker and is shared,
// not copied: call fix when an entry changes.
func newUtilHeap(key []float64, members []int32, min bool) *utilHeap {
	h := &utilHeap{key: key, at: make([]int32, len(key)), min: min}
	for i := range h.at {
		h.at[i] = -1
	}
	for _, w := range members {
		h.at[w] = int32(len(h.item))
		h.item = append(h.item, w)
	}
	for i := len(h.item)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	return h
}

// above reports whether worker a ranks above b: the higher key (the
// lower for a min-heap), then the lower index, so that ties break the
// same way every time.
func (h *utilHeap) above(a, b int32) bool {
	if h.key[a] != h.key[b] {
		return (h.key[a] > h.key[b]) != h.min
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

// fix restores the heap after worker w's key changed.
func (h *utilHeap) fix(w int32) {
	if i := h.at[w]; i >= 0 {
		h.up(int(i))
		h.down(int(h.at[w]))
	}
}

// top returns the fullest worker, or -1 if the heap is empty.
func (h *utilHeap) top() int32 {
	if len(h.item) == 0 {
		return -1
	}
	return h.item[0]
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
	best := 0.0
	for i := 0; i < len(h.item) && i < 15; i++ {
		if w := h.item[i]; w != a && w != b && w != c && h.key[w] > best {
			best = h.key[w]
		}
	}
	return best
}

// walkHeap visits the members of a min-heap in order of increasing key
// until visit returns false.
func walkHeap(h *utilHeap, visit func(b int32) bool) {
	if len(h.item) == 0 {
		return
	}
	// A frontier of heap positions: the classic way to list a binary
	// heap in order without popping it. It stays small because visit
	// usually stops at the first member.
	front := []int32{0}
	for len(front) > 0 {
		bi := 0
		for i := 1; i < len(front); i++ {
			if h.above(h.item[front[i]], h.item[front[bi]]) {
				bi = i
			}
		}
		p := front[bi]
		front[bi] = front[len(front)-1]
		front = front[:len(front)-1]
		if !visit(h.item[p]) {
			return
		}
		if l := 2*p + 1; int(l) < len(h.item) {
			front = append(front, l)
			if l+1 < int32(len(h.item)) {
				front = append(front, l+1)
			}
		}
	}
}
