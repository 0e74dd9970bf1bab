// Package idindex finds string IDs among the elements of a slice, like
// a map[string]int32 from ID to position, but built without inserting
// into a map.
//
// An [Index] stores no IDs: the caller passes a function that returns
// the ID at a position, so that an index over the elements of a slice
// costs a few bytes per element (at most twelve) and holds no pointers
// for the garbage collector to scan.
package idindex

import (
	"hash/maphash"
	"math/bits"
	"slices"
	"sync"
)

// An Index finds the position of an ID among n IDs.
//
// Each entry packs the upper 32 bits of an ID's hash with the ID's
// position in the lower 32. Entries with equal upper halves are told
// apart by comparing the IDs themselves, so the hash seed, random per
// index, never shows in any result.
//
// A large index sorts its entries by hash with a radix sort, which runs
// through memory in order where inserting into a hash table would miss
// the cache on nearly every insert. Up to smallIndex IDs, whose table
// fits in the cache, it is an open-addressing hash table instead, of
// four-byte entries: position+1 in the lower bits (15 of them for
// smallIndex IDs), so that zero marks an empty slot, and above them bits
// of the hash that do not choose the slot, to tell most IDs apart
// without comparing them.
//
// An Index is safe for concurrent use by readers.
type Index struct {
	seed    maphash.Seed
	entries []uint64 // sorted, for a large index
	table   []uint32 // open addressing, for a small one
	shift   uint
	pos     uint32 // the mask of a table entry's position+1
}

// A Duplicate is a position whose ID appears at an earlier position.
type Duplicate struct {
	At    int32 // the later position
	First int32 // the first position with the same ID
}

// smallIndex is the largest number of IDs indexed by a hash table.
const smallIndex = 1 << 14

// New indexes the IDs at positions 0 to n-1; key returns the ID at a
// position. It also returns, in order of At, every position whose ID
// appeared at an earlier position. key must return the same ID for a
// position every time; New calls it from two goroutines at once for a
// large index. It takes O(n) expected time.
func New(n int, key func(int32) string) (*Index, []Duplicate) {
	if n <= smallIndex {
		return newTable(n, key)
	}
	return newSorted(n, key)
}

// newSorted builds an index of sorted entries.
func newSorted(n int, key func(int32) string) (*Index, []Duplicate) {
	x := &Index{seed: maphash.MakeSeed(), entries: make([]uint64, n)}
	hash := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			x.entries[i] = maphash.String(x.seed, key(int32(i)))&^0xffff_ffff | uint64(i)
		}
	}
	// Hash the two halves at once: each goroutine writes its own half.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		hash(0, n/2)
	}()
	hash(n/2, n)
	wg.Wait()
	radixSortHigh(x.entries)
	var dups []Duplicate
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && x.entries[hi]>>32 == x.entries[lo]>>32 {
			hi++
		}
		// Within a run of equal upper halves positions ascend, since the
		// radix sort is stable and entries start in position order.
		for a := lo + 1; a < hi; a++ {
			pa := int32(x.entries[a])
			for b := lo; b < a; b++ {
				pb := int32(x.entries[b])
				if key(pb) == key(pa) {
					dups = append(dups, Duplicate{At: pa, First: pb})
					break
				}
			}
		}
		lo = hi
	}
	slices.SortFunc(dups, func(a, b Duplicate) int { return int(a.At - b.At) })
	return x, dups
}

// newTable builds a small index as a hash table. A slot is chosen by
// the upper bits of an ID's hash and the entry keeps bits of the lower
// half ([Index.tag]). It is meant for at most smallIndex IDs, and
// correct for up to 1<<31-1.
func newTable(n int, key func(int32) string) (*Index, []Duplicate) {
	size, lg := 16, uint(4)
	for 2*size < 3*n { // load at most two thirds
		size, lg = size*2, lg+1
	}
	x := &Index{seed: maphash.MakeSeed(), table: make([]uint32, size), shift: 64 - lg,
		pos: 1<<bits.Len32(uint32(n)) - 1}
	mask := uint64(size - 1)
	var dups []Duplicate
	for i := range n {
		id := key(int32(i))
		h := maphash.String(x.seed, id)
		tag := x.tag(h)
		for s := h >> x.shift; ; s = (s + 1) & mask {
			e := x.table[s]
			if e == 0 {
				x.table[s] = tag | uint32(i+1)
				break
			}
			if e&^x.pos == tag {
				if p := int32(e&x.pos) - 1; key(p) == id {
					dups = append(dups, Duplicate{At: int32(i), First: p})
					break
				}
			}
		}
	}
	return x, dups
}

// tag returns the bits of hash h that a table entry keeps: those of its
// lower half above the position. The slot comes from the upper bits, at
// most 16 of them for smallIndex IDs, so the two are independent.
func (x *Index) tag(h uint64) uint32 { return uint32(h) &^ x.pos }

// Find returns the first position of id and whether the index holds
// it; key must be the function the index was built with. It takes O(1)
// time for a small index and O(log n) for a large one.
func (x *Index) Find(id string, key func(int32) string) (int32, bool) {
	if x.table != nil {
		h := maphash.String(x.seed, id)
		tag, mask := x.tag(h), uint64(len(x.table)-1)
		for s := h >> x.shift; ; s = (s + 1) & mask {
			e := x.table[s]
			if e == 0 {
				return 0, false
			}
			if p := int32(e&x.pos) - 1; e&^x.pos == tag && key(p) == id {
				return p, true
			}
		}
	}
	h := maphash.String(x.seed, id) >> 32
	i, _ := slices.BinarySearchFunc(x.entries, h, func(e, h uint64) int {
		switch {
		case e>>32 < h:
			return -1
		case e>>32 > h:
			return 1
		}
		return 0
	})
	for ; i < len(x.entries) && x.entries[i]>>32 == h; i++ {
		if p := int32(x.entries[i]); key(p) == id {
			return p, true
		}
	}
	return 0, false
}

// radixSortHigh sorts a stably by the upper 32 bits of each element,
// in four passes of 8 bits whose counts stay in the first-level cache.
func radixSortHigh(a []uint64) {
	if len(a) < 2 {
		return
	}
	tmp := make([]uint64, len(a))
	var count [256]int32
	for shift := uint(32); shift < 64; shift += 8 {
		clear(count[:])
		for _, v := range a {
			count[(v>>shift)&0xff]++
		}
		var sum int32
		for k, c := range count {
			count[k] = sum
			sum += c
		}
		for _, v := range a {
			b := (v >> shift) & 0xff
			tmp[count[b]] = v
			count[b]++
		}
		a, tmp = tmp, a
	}
	// After an even number of passes the sorted data is back in the
	// caller's slice.
}
