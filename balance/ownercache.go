package balance

// An ownerCache remembers which worker owns cases whose Owner ends in
// some way: a case scan looks up every case's owner, and a team's
// owners repeat, case after case. Each slot, chosen by an ID's length
// and its first and last three bytes, holds the last worker (plus one)
// found for an ID that picks it; a look-up compares the ID with that
// worker's and asks the team's map only when they differ. Numbered IDs
// such as "w00042", the common kind, each take a slot of their own; IDs
// that pick the same slot cost one comparison more than the map alone.
type ownerCache [ownerSlots]int32

// ownerSlots is the number of slots of an [ownerCache]: twice a large
// region's workers, in 4 kB.
const ownerSlots = 1 << 10

// ownerSlot returns the slot of an [ownerCache] that id picks.
func ownerSlot(id string) uint {
	n := len(id)
	if n < 3 {
		return uint(n)
	}
	x := uint64(id[n-1]) | uint64(id[n-2])<<8 | uint64(id[n-3])<<16 |
		uint64(id[0])<<24 | uint64(id[1])<<32 | uint64(id[2])<<40 | uint64(n)<<48
	return uint((x * 0x9e3779b97f4a7c15) >> (64 - 10))
}

// find returns the index of the worker with the given ID, as
// [Team.worker] does.
func (oc *ownerCache) find(t *Team, id string) (int32, bool) {
	s := &oc[ownerSlot(id)]
	if w := *s - 1; w >= 0 && t.workers[w].ID == id {
		return w, true
	}
	w, ok := t.worker(id)
	if ok {
		*s = w + 1
	}
	return w, ok
}
