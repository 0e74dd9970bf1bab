package balance

import (
	"math"
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
	// room, where set, gives a worker's room in hours under their
	// capacity, in micro-hours, and most holds, per block, at least the
	// most room of its workers: first passes by a block in which no one
	// has the hours a unit needs ([solver.newFitIndex]). A worker's room
	// changes with their slack, when update moves them: the block they
	// join raises its most to their room, the one they leave keeps its
	// own, and first reads the block again where it found no one.
	room func(b int32) int64
	most []int64
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
// more for whom ok reports true, and its slack; or -1. Where the index
// knows the workers' room in hours, it passes by the blocks in which no
// one has need: ok must then report false for a worker with less.
func (ix *fitIndex) first(w, need int64, ok func(b int32) bool) (int32, int64) {
	bi := sort.Search(len(ix.blocks), func(i int) bool {
		blk := ix.blocks[i]
		return blk[len(blk)-1].slack >= w
	})
	for ; bi < len(ix.blocks); bi++ {
		if ix.room != nil && ix.most[bi] < need {
			continue
		}
		blk := ix.blocks[bi]
		for k := sort.Search(len(blk), func(i int) bool { return blk[i].slack >= w }); k < len(blk); k++ {
			if ok(blk[k].b) {
				return blk[k].b, blk[k].slack
			}
		}
		ix.setMost(bi) // no one here may take the unit: read them again
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
		if ix.room != nil {
			ix.most = slices.Delete(ix.most, bi, bi+1)
		}
	} else {
		ix.blocks[bi] = blk
	}
	e.slack = now
	if len(ix.blocks) == 0 {
		ix.blocks = [][]fitEntry{{e}}
		if ix.room != nil {
			ix.most = append(ix.most[:0], 0)
			ix.setMost(0)
		}
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
		if ix.room != nil {
			ix.most = slices.Insert(ix.most, bi+1, 0)
			ix.setMost(bi)
			ix.setMost(bi + 1)
		}
		return
	}
	ix.blocks[bi] = blk
	if ix.room != nil {
		ix.most[bi] = max(ix.most[bi], ix.room(b))
	}
}

// withRoom sets the index's room in hours (see fitIndex) and returns
// it.
func (ix *fitIndex) withRoom(room func(b int32) int64) *fitIndex {
	ix.room = room
	ix.most = make([]int64, len(ix.blocks))
	for bi := range ix.blocks {
		ix.setMost(bi)
	}
	return ix
}

// setMost sets the most room of block bi's workers, where the index
// knows their room.
func (ix *fitIndex) setMost(bi int) {
	if ix.room == nil {
		return
	}
	m := int64(math.MinInt64)
	for _, e := range ix.blocks[bi] {
		m = max(m, ix.room(e.b))
	}
	ix.most[bi] = m
}

// newFitIndex returns the index of entries, as the function
// [newFitIndex] does, and under hard capacity one that knows the
// workers' room in hours: every worker who may take a unit has its
// hours then ([solver.fits]). Under hard
// capacity, on a national team whose cases weigh twice its capacity,
// most workers with the slack under a level for a unit were full by
// hours, and keepHome's searches passed them all.
func (s *solver) newFitIndex(entries []fitEntry) *fitIndex {
	ix := newFitIndex(entries)
	if s.ro.hardCapacity {
		ix.withRoom(func(b int32) int64 { return s.hourLimit[b] - s.hours[b] })
	}
	return ix
}

// need returns the hours in micro-hours that a worker must have room
// for to take unit u, for fitIndex.first: u's under hard capacity, and
// none otherwise.
func (s *solver) need(u *unit) int64 {
	if s.ro.hardCapacity {
		return u.h
	}
	return math.MinInt64
}
