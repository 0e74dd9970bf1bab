package balance

import "math/bits"

// A spreadSum keeps the sum Σ_j h_j²/c_j of the spread measure over the
// workers with capacity, as a pairwise sum over a complete binary tree
// of the workers' terms. A worker whose load changes is marked; the sum
// brings the marked terms and their ancestors up to date when it is
// read, in O(k·log m) for k marked workers, not O(m).
//
// The tree's shape depends only on the number of workers, so its value
// depends only on the loads, not on the order of the changes that led
// to them: the same assignment gives the same bits whatever the path.
// Pairwise summation also rounds less than summing in order: its error
// is O(log m) ulps of the sum, not O(m).
type spreadSum struct {
	leaves int       // a power of two, at least the number of workers
	node   []float64 // node[1] is the root; worker j's term is node[leaves+j]
	marked []bool    // per worker: its term is out of date
	dirty  []int32   // the marked workers
}

// newSpreadSum returns the sum for m workers, every term zero and
// marked: the first read computes them all.
func newSpreadSum(m int) spreadSum {
	leaves := 1
	if m > 1 {
		leaves = 1 << bits.Len(uint(m-1))
	}
	ss := spreadSum{leaves: leaves, node: make([]float64, 2*leaves), marked: make([]bool, m), dirty: make([]int32, m)}
	for j := range m {
		ss.marked[j] = true
		ss.dirty[j] = int32(j)
	}
	return ss
}

// mark notes that worker j's load has changed.
func (ss *spreadSum) mark(j int32) {
	if !ss.marked[j] {
		ss.marked[j] = true
		ss.dirty = append(ss.dirty, j)
	}
}

// sum brings the marked terms up to date with term and returns the sum.
func (ss *spreadSum) sum(term func(j int32) float64) float64 {
	if len(ss.dirty) == 0 {
		return ss.node[1]
	}
	for _, j := range ss.dirty {
		ss.marked[j] = false
		k := ss.leaves + int(j)
		ss.node[k] = term(j)
		for k > 1 {
			k >>= 1
			ss.node[k] = ss.node[2*k] + ss.node[2*k+1]
		}
	}
	ss.dirty = ss.dirty[:0]
	return ss.node[1]
}
