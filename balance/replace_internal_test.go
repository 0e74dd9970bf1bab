package balance

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/caseload/caseload/civil"
)

// cutCtx is a context that is done after its Err has been called left
// times.
type cutCtx struct {
	context.Context
	left atomic.Int64
}

func (c *cutCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.DeadlineExceeded
	}
	return nil
}

// TestReplaceCutKeepsPlaced: on an overloaded team with hard capacity,
// placement leaves cases waiting and replaceByUrgency places every
// free unit again; a deadline that falls in that pass must not leave
// waiting more cases than the first pass did. It did: the pass came to
// 1,024 units once ctx was done, and the rest, placed before, read as
// not reached.
func TestReplaceCutKeepsPlaced(t *testing.T) {
	t.Parallel()
	asOf := civil.NewDate(2026, 3, 4)
	p := Problem{AsOf: asOf}
	for i := range 25 {
		p.Workers = append(p.Workers, Worker{ID: fmt.Sprintf("w%02d", i), Capacity: 100})
	}
	// 3,000 cases, 3,300 h, for 2,500 h of room: the first pass places
	// more than 1,024 cases.
	for i := range 3000 {
		c := Case{ID: fmt.Sprintf("c%04d", i), Weight: 1}
		if i%10 == 0 {
			c.Weight = 2
		}
		p.Cases = append(p.Cases, c)
	}
	team, err := Prepare(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := (&RebalanceOptions{HardCapacity: true}).resolveRebalance()
	if err != nil {
		t.Fatal(err)
	}
	placed := func(s *solver) int {
		n := 0
		for x := range s.units {
			if u := &s.units[x]; u.free && u.pos >= 0 {
				n += len(u.cases)
			}
		}
		return n
	}
	for _, k := range []int{0, 1, 2, 3, 5, 8} {
		ctx := &cutCtx{Context: context.Background()}
		ctx.left.Store(1 << 40)
		s := newSolver(ctx, team, ro)
		failed := s.placeFree(s.freeOrder())
		if len(failed) == 0 {
			t.Fatal("the team is not overloaded")
		}
		first := placed(s)
		if first <= lateGrace {
			t.Fatalf("the first pass placed %d cases, no more than the grace", first)
		}
		ctx.left.Store(int64(k)) // done after k more looks
		s.replaceByUrgency(failed)
		if got := placed(s); got < first {
			t.Errorf("cut after %d looks: %d cases placed, %d before the pass", k, got, first)
		}
	}
}
