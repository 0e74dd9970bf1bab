package balance

// An ownerCache remembers which worker owns cases whose Owner reads in
// some way: a case scan looks up every case's owner, and a team's
// owners repeat, case after case. Each slot, chosen by an ID's length
// and its first and last three bytes, holds the last ID that picked it
// and its worker; a look-up compares the ID with the slot's and asks the
// team's map only when they differ, which costs about half a map
// look-up. Numbered IDs such as "w00042", the common kind, each take a
// slot of their own; IDs that pick the same slot cost one comparison
// more than the map alone.
type ownerCache [ownerSlots]ownerEntry

// An ownerEntry is a slot of an [ownerCache]: a worker's ID and index.
// The zero ownerEntry holds no worker (no worker has the empty ID).
type ownerEntry struct {
	id string
	w  int32
}

// ownerSlots is the number of slots of an [ownerCache]: twice a large
// region's workers.
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
	e := &oc[ownerSlot(id)]
	if e.id == id && id != "" {
		return e.w, true
	}
	w, ok := t.worker(id)
	if ok {
		*e = ownerEntry{id, w}
	}
	return w, ok
}
