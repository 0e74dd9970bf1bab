package balance

// A declinerCache remembers which worker has an ID that reads in some
// way, as an [ownerCache] does, for the decliners of a team's cases:
// one slot per ID, picked by its length and its first and last three
// bytes, holding the last ID that picked it and its worker. It has four
// slots per worker, not a fixed number, since the decliners of many
// cases are spread over the whole team: 3% of 5,000 workers declining
// each of 150,000 cases made 22.5 million look-ups, 0.6 s in the team's
// map. A scan keeps one only when a chunk of cases has enough declines
// to repay it (see [declinerCacheFor]).
type declinerCache struct {
	slots []ownerEntry
	shift uint // 64 less the base-2 log of len(slots)
}

// declinerCacheFor returns whether a chunk with n declines should look
// them up through a [declinerCache] on a team of m workers: when they
// are at least as many as its slots, each to be filled by one look-up
// in the map.
func declinerCacheFor(n, m int) bool { return n >= 4*m }

// init makes room for the IDs of m workers, four slots each.
func (dc *declinerCache) init(m int) {
	size, lg := 16, uint(4)
	for size < 4*m {
		size, lg = size*2, lg+1
	}
	dc.slots, dc.shift = make([]ownerEntry, size), 64-lg
}

// find returns the index of the worker with the given ID, as
// [Team.worker] does.
func (dc *declinerCache) find(t *Team, id string) (int32, bool) {
	n := len(id)
	var x uint64
	if n >= 3 {
		x = uint64(id[n-1]) | uint64(id[n-2])<<8 | uint64(id[n-3])<<16 |
			uint64(id[0])<<24 | uint64(id[1])<<32 | uint64(id[2])<<40
	} else {
		for k := range n {
			x = x<<8 | uint64(id[k])
		}
	}
	e := &dc.slots[(x|uint64(n)<<48)*0x9e3779b97f4a7c15>>dc.shift]
	if e.id == id && id != "" {
		return e.w, true
	}
	w, ok := t.worker(id)
	if ok {
		*e = ownerEntry{id, w}
	}
	return w, ok
}
