package balance

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// A homeKeeper looks, for a utilization T, for an assignment with every
// worker at T or below that keeps as many held units with their workers
// as it can ([solver.keepHome]). It indexes the workers of the classes
// it places units of by their room under T, each class when first
// asked, and keeps those indexes as units move.
type homeKeeper struct {
	s       *solver
	movable func(u *unit) bool
	lim     []int64             // per worker, the most load at T, in micro-units
	index   map[int32]*fitIndex // per class asked for; nil for a small class
	held    []int32             // buffer: the units of workers that may leave
	at      []int32             // buffer: per worker, their place among those above T, or -1
	moved   []moveRec           // buffer: the units eject moved, to take back
	tries   []int32             // buffer: the workers eject tries
	work    int                 // units placed, for the look at ctx
}

// A moveRec records where a unit was before a move.
type moveRec struct{ x, from int32 }

// slack returns the most weight worker b can take and stay at T or
// below, in micro-units; negative if b is above T.
func (k *homeKeeper) slack(b int32) int64 { return k.lim[b] - k.s.load[b] }

// indexOf returns the index of class c's workers with capacity by
// slack, built when first asked for, or nil for a class of fewer than
// fitBlock workers, which a scan serves as fast.
func (k *homeKeeper) indexOf(c int32) *fitIndex {
	if ix, ok := k.index[c]; ok {
		return ix
	}
	var ix *fitIndex
	if elig := k.s.classes[c].elig; len(elig) >= fitBlock {
		entries := make([]fitEntry, 0, len(elig))
		for _, b := range elig {
			if k.s.capH[b] > 0 {
				entries = append(entries, fitEntry{k.slack(b), b})
			}
		}
		if len(entries) > 0 {
			ix = k.s.newFitIndex(entries)
		}
	}
	k.index[c] = ix
	return ix
}

// place puts unit x on worker b, or takes it off if b is -1, and keeps
// the indexes.
func (k *homeKeeper) place(x, b int32) {
	s := k.s
	from := s.units[x].pos
	var was [2]int64
	for i, c := range [2]int32{from, b} {
		if c >= 0 && s.capH[c] > 0 {
			was[i] = k.slack(c)
		}
	}
	s.place(x, b)
	for i, c := range [2]int32{from, b} {
		if c < 0 || s.capH[c] == 0 || i == 1 && c == from {
			continue
		}
		for _, r := range s.classOf[c] {
			if ix := k.index[r.class]; ix != nil {
				ix.update(c, was[i], k.slack(c))
			}
		}
	}
}

// bestFit returns the worker other than skip and u's own place who may
// take unit u and stay at T or below with it, with the least room left,
// u's own worker first among equals (a unit back home costs no move);
// or -1.
func (k *homeKeeper) bestFit(u *unit, skip int32) int32 {
	s := k.s
	best, bestRoom := int32(-1), int64(math.MaxInt64)
	if b := u.orig; b >= 0 && b != skip && b != u.pos && s.capH[b] > 0 && s.fits(u, b, nil) {
		if room := k.slack(b) - u.w; room >= 0 {
			best, bestRoom = b, room
		}
	}
	if ix := k.indexOf(u.class); ix != nil {
		b, sl := ix.first(u.w, s.need(u), func(b int32) bool { return b != skip && b != u.pos && s.fits(u, b, nil) })
		if b >= 0 && sl-u.w < bestRoom {
			best = b
		}
		return best
	}
	for _, b := range s.classes[u.class].elig {
		if b == skip || b == u.pos || s.capH[b] == 0 || !s.fits(u, b, nil) {
			continue
		}
		if room := k.slack(b) - u.w; room >= 0 && room < bestRoom {
			best, bestRoom = b, room
		}
	}
	return best
}

// roomiest returns up to ejectTries workers with capacity who may take
// unit u, the most room under T first (ties by index), in k.tries.
func (k *homeKeeper) roomiest(u *unit) []int32 {
	s := k.s
	out := k.tries[:0]
	defer func() { k.tries = out }()
	if ix := k.indexOf(u.class); ix != nil {
		// The index ascends by slack, then by worker: walked from its
		// end, equals come highest index first.
		for bi := len(ix.blocks) - 1; bi >= 0 && len(out) < ejectTries; bi-- {
			blk := ix.blocks[bi]
			for i := len(blk) - 1; i >= 0 && len(out) < ejectTries; i-- {
				if b := blk[i].b; s.fits(u, b, nil) {
					out = append(out, b)
				}
			}
		}
		return out
	}
	for _, b := range s.classes[u.class].elig {
		if s.capH[b] > 0 && s.fits(u, b, nil) {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b int32) int { return cmp.Or(cmp.Compare(k.slack(b), k.slack(a)), cmp.Compare(a, b)) })
	if len(out) > ejectTries {
		out = out[:ejectTries]
	}
	return out
}

// Limits of eject: it tries the ejectTries workers with the most room
// for a unit, moves at most ejectMost units off one of them to make the
// rest, and looks at most at ejectLook of their units, and tries to
// place at most 2·ejectMost of them, so that a worker who holds
// thousands of units costs no more than one who holds a few dozen.
const (
	ejectTries = 4
	ejectMost  = 8
	ejectLook  = 256
)

// eject places unit x, which fits under T nowhere, on one of the
// ejectTries workers with the most room who may take it, making the
// room it lacks there by moving some of their units on, each where it
// fits best under T: each time the lightest that makes the rest of the
// room, else the heaviest. It reports whether it placed x; if not,
// nothing moved.
func (k *homeKeeper) eject(x int32) bool {
	s := k.s
	u := &s.units[x]
	for _, b := range k.roomiest(u) {
		need := u.w - k.slack(b)
		if need <= 0 {
			k.place(x, b)
			return true
		}
		k.held = k.held[:0]
		for _, y := range s.on[b][:min(len(s.on[b]), ejectLook)] {
			if k.movable(&s.units[y]) {
				k.held = append(k.held, y)
			}
		}
		slices.SortFunc(k.held, s.heavierFirst)
		k.moved = k.moved[:0]
		for try := 0; need > 0 && len(k.moved) < ejectMost && len(k.held) > 0 && try < 2*ejectMost; try++ {
			// Heaviest first, the units that cover the need are a prefix.
			pick := 0
			if n := sort.Search(len(k.held), func(i int) bool { return s.units[k.held[i]].w < need }); n > 0 {
				pick = n - 1
			}
			y := k.held[pick]
			k.held = slices.Delete(k.held, pick, pick+1)
			if c := k.bestFit(&s.units[y], b); c >= 0 {
				k.moved = append(k.moved, moveRec{y, b})
				k.place(y, c)
				need -= s.units[y].w
			}
		}
		if need <= 0 && s.fits(u, b, nil) {
			k.place(x, b)
			return true
		}
		for _, m := range slices.Backward(k.moved) {
			k.place(m.x, m.from)
		}
	}
	return false
}

// shedOver takes units off each worker above T, fullest first, until
// they are at T or below: each time the lightest unit that may move and
// clears what is left of their excess, else the heaviest. The units the
// most workers may take are the only ones taken if they clear the
// excess: the others have less room elsewhere. It returns the units
// taken off, left unplaced.
func (k *homeKeeper) shedOver() []int32 {
	s := k.s
	over := s.fullestFirst(func(j int32) bool { return k.slack(j) < 0 })
	if len(over) == 0 {
		return nil
	}
	// Each one's units that may move, heaviest first, in one pass over
	// the units in that order: no sort of a worker who holds them all.
	if k.at == nil {
		k.at = make([]int32, s.m)
	}
	for j := range k.at {
		k.at[j] = -1
	}
	at := k.at
	n := 0
	for _, a := range over {
		n += len(s.on[a])
	}
	all := slices.Grow(k.held[:0], n)[:n]
	k.held = all
	lists := make([][]int32, len(over))
	for i, a := range over {
		at[a] = int32(i)
		lists[i], all = all[:0:len(s.on[a])], all[len(s.on[a]):]
	}
	for _, x := range s.heavyOrder() {
		if u := &s.units[x]; u.pos >= 0 && at[u.pos] >= 0 && k.movable(u) {
			lists[at[u.pos]] = append(lists[at[u.pos]], x)
		}
	}
	var pool []int32
	for i, a := range over {
		excess := -k.slack(a)
		held := lists[i]
		broad, sum := 0, int64(0)
		for _, x := range held {
			u := &s.units[x]
			if n := len(s.classes[u.class].elig); n > broad {
				broad, sum = n, u.w
			} else if n == broad {
				sum += u.w
			}
		}
		if sum >= excess {
			held = slices.DeleteFunc(held, func(x int32) bool { return len(s.classes[s.units[x].class].elig) < broad })
		}
		// Heaviest first, the units that clear the excess are a prefix:
		// each pick is a binary search, and only the last leaves from
		// inside the list.
		for head := 0; excess > 0 && head < len(held); head++ {
			pick := head
			rest := held[head:]
			if n := sort.Search(len(rest), func(i int) bool { return s.units[rest[i]].w < excess }); n > 0 {
				pick = head + n - 1
			}
			x := held[pick]
			held[pick] = held[head]
			k.place(x, -1)
			pool = append(pool, x)
			excess -= s.units[x].w
		}
	}
	return pool
}

// keepHomeRounds is the most rounds of keepHome: on the national skewed
// team (5,000 workers, 150,000 cases) the units above T fall from
// 35,635 to under a hundred in eight, and change little after.
const keepHomeRounds = 8

// keepHome looks, from the current assignment, for one with every
// worker at utilization T or below that moves few units, and leaves it
// in place; it reports whether every worker ended at T or below. In
// each round the workers above T shed units ([homeKeeper.shedOver]),
// and the units shed are placed again, those few workers may take
// first, then the heaviest. In the first round each goes back to its
// worker if they have room for it under T, else to the worker left
// least full, as a solve from empty places units: the units shed are
// the heaviest of their workers, and the small ones the workers keep
// fill what is left. In the rounds after, each goes where it fits best
// under T, or else makes room on a worker with much room by moving a
// few of their units on ([homeKeeper.eject]), or else goes to the
// worker left least full, to be shed again in the next round. It stops
// after keepHomeRounds rounds, or when a round sheds no fewer units
// than the one before.
//
// The first round places units as a solve from empty does: the method
// that reaches the level from empty, applied to the units that must
// leave. A unit a worker keeps is never moved unless its worker is
// above T, so every move is made for a worker above T, or to make room.
//
// Time, per round: O(N) for the N units, to list those of the workers
// above T heaviest first; O(p log p) to sort the p units they shed;
// and for each unit placed, a look-up of the worker left least full
// ([solver.bestTarget]) or in its class's index, O(√m + k) for m
// workers of whom k are passed by. Each class's index costs O(m log m)
// once.
func (s *solver) keepHome(T float64, movable func(u *unit) bool) bool {
	k := &homeKeeper{s: s, movable: movable, lim: make([]int64, s.m), index: map[int32]*fitIndex{}}
	for j := range int32(s.m) {
		if s.capH[j] > 0 {
			k.lim[j] = s.loadAt(j, T)
		} else {
			k.lim[j] = math.MaxInt64 / 2 // no utilization: never above T
		}
	}
	last := math.MaxInt
	for round := range keepHomeRounds {
		if s.stopIfDone() {
			return false
		}
		pool := k.shedOver()
		if len(pool) == 0 {
			return true
		}
		if len(pool) >= last {
			// No progress: put the units back where they fit least badly.
			k.placeLeastFull(pool)
			break
		}
		last = len(pool)
		// Units few workers may take go first, so that the others do
		// not fill the room only those workers have; then heaviest first.
		slices.SortFunc(pool, func(x, y int32) int {
			a, b := len(s.classes[s.units[x].class].elig), len(s.classes[s.units[y].class].elig)
			return cmp.Or(cmp.Compare(a, b), s.heavierFirst(x, y))
		})
		if round == 0 {
			k.placeLeastFull(pool)
			continue
		}
		var rest []int32
		for _, x := range pool {
			if k.stop() {
				return false
			}
			if b := k.bestFit(&s.units[x], -1); b >= 0 {
				k.place(x, b)
			} else {
				rest = append(rest, x)
			}
		}
		for _, x := range rest {
			if k.stop() {
				return false
			}
			if !k.eject(x) {
				k.placeLeastFull([]int32{x})
			}
		}
	}
	return s.maxUtil() <= T
}

// placeLeastFull places the units of pool, in order, each with its own
// worker if they have room for it under T, else on the worker left
// least full ([solver.bestTarget]), else back with its own worker.
func (k *homeKeeper) placeLeastFull(pool []int32) {
	s := k.s
	for _, x := range pool {
		if k.stop() {
			return
		}
		u := &s.units[x]
		b := u.orig
		if s.capH[b] == 0 || k.slack(b) < u.w || !s.within(u, b, nil) {
			if b = s.bestTarget(u, -1, 1); b < 0 {
				b = u.orig
			}
		}
		k.place(x, b)
	}
}

// stop reports, every cancelEvery units placed, whether the solver has
// stopped: the units not yet placed then stay unplaced, and the caller
// restores a whole assignment.
func (k *homeKeeper) stop() bool {
	k.work++
	return k.work%cancelEvery == 0 && k.s.stopIfDone() || k.s.cancelled
}
