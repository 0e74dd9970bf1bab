package balance

import (
	"slices"
	"sort"
)

// A fitIndex holds the workers of one class by their slack under a
// utilization: the most weight, in micro-units, each can take and stay
// at it or below. Entries ascend by slack, then by worker index, so the
// worker on whom a unit of weight w leaves the least room is the first
// from the first entry of slack w or more who may take it. It keeps
// its entries in sorted blocks of at most 2·fitBlock, so that a change
// of one worker's slack costs O(√m) for m workers, not O(m).
type fitIndex struct {
	blocks [][]fitEntry
}

// A fitEntry is one worker's slack, in micro-units.
type fitEntry struct {
	slack int64
	b     int32
}

// fitBlock is the size of a fitIndex's blocks when it is built.
const fitBlock = 64

func (e fitEntry) less(o fitEntry) bool {
	return e.slack < o.slack || e.slack == o.slack && e.b < o.b
}

// newFitIndex returns the index of entries, in any order; it keeps
// entries.
func newFitIndex(entries []fitEntry) *fitIndex {
	slices.SortFunc(entries, func(x, y fitEntry) int {
		if x.less(y) {
			return -1
		}
		if y.less(x) {
			return 1
		}
		return 0
	})
	ix := &fitIndex{}
	for len(entries) > 0 {
		n := min(len(entries), fitBlock)
		ix.blocks = append(ix.blocks, entries[:n:n])
		entries = entries[n:]
	}
	return ix
}

// first returns the first worker, in the index's order, of slack w or
// more for whom ok reports true, and its slack; or -1.
func (ix *fitIndex) first(w int64, ok func(b int32) bool) (int32, int64) {
	bi := sort.Search(len(ix.blocks), func(i int) bool {
		blk := ix.blocks[i]
		return blk[len(blk)-1].slack >= w
	})
	for ; bi < len(ix.blocks); bi++ {
		blk := ix.blocks[bi]
		for k := sort.Search(len(blk), func(i int) bool { return blk[i].slack >= w }); k < len(blk); k++ {
			if ok(blk[k].b) {
				return blk[k].b, blk[k].slack
			}
		}
	}
	return -1, 0
}

// block returns the index of the first block whose last entry is not
// below e, or the last block.
func (ix *fitIndex) block(e fitEntry) int {
	bi := sort.Search(len(ix.blocks), func(i int) bool {
		blk := ix.blocks[i]
		return !blk[len(blk)-1].less(e)
	})
	return min(bi, len(ix.blocks)-1)
}

// update moves worker b from slack old to slack now.
func (ix *fitIndex) update(b int32, old, now int64) {
	if old == now {
		return
	}
	e := fitEntry{old, b}
	bi := ix.block(e)
	blk := ix.blocks[bi]
	k, found := slices.BinarySearchFunc(blk, e, func(x, y fitEntry) int {
		if x.less(y) {
			return -1
		}
		if y.less(x) {
			return 1
		}
		return 0
	})
	if !found {
		panic("balance: fit index lost a worker")
	}
	if blk = slices.Delete(blk, k, k+1); len(blk) == 0 {
		ix.blocks = slices.Delete(ix.blocks, bi, bi+1)
	} else {
		ix.blocks[bi] = blk
	}
	e.slack = now
	if len(ix.blocks) == 0 {
		ix.blocks = [][]fitEntry{{e}}
		return
	}
	bi = ix.block(e)
	blk = ix.blocks[bi]
	k = sort.Search(len(blk), func(i int) bool { return !blk[i].less(e) })
	blk = slices.Insert(blk, k, e)
	if len(blk) > 2*fitBlock {
		// Split in two fresh halves, so that neither shares the other's
		// backing array.
		lo, hi := slices.Clone(blk[:fitBlock]), slices.Clone(blk[fitBlock:])
		ix.blocks[bi] = lo
		ix.blocks = slices.Insert(ix.blocks, bi+1, hi)
		return
	}
	ix.blocks[bi] = blk
}
