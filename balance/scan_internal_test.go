package balance

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestPlainCaseNeedsNoCloserLook holds the shortcut of the case scan:
// a case that plainCase passes has no fault, notice or decliner that
// the full checks would find, and, on a team without efficiency
// factors, takes its owner its weight. Each field is drawn plain, or
// one time in eight odd: numbers on the wrong side of every limit the
// checks hold them to, empty names, declines and fit fields.
func TestPlainCaseNeedsNoCloserLook(t *testing.T) {
	t.Parallel()
	tm, err := Prepare(Problem{AsOf: civil.NewDate(2026, 3, 2), Workers: []Worker{{ID: "a", Capacity: 20, Skills: []string{"court"}}}}, nil)
	require.NoError(t, err)
	require.True(t, tm.weightIsEffort)
	rapid.Check(t, func(rt *rapid.T) {
		odd := func(label string) bool { return rapid.IntRange(0, 7).Draw(rt, label) == 0 }
		num := func(label string) float64 {
			if odd(label + " odd") {
				return rapid.SampledFrom([]float64{-1, math.NaN(), math.Inf(1), math.Inf(-1), math.Nextafter(maxHours, math.Inf(1))}).Draw(rt, label)
			}
			return rapid.SampledFrom([]float64{0, math.Copysign(0, -1), 1e-7, 2.5, maxHours}).Draw(rt, label)
		}
		// A worker ID: none, the worker on the team, or one who left.
		worker := rapid.SampledFrom([]string{"", "a", "gone"})
		c := Case{
			ID:       "c1",
			Weight:   HoursPerWeek(num("weight")),
			Share:    Shares(num("share")),
			Severity: num("severity"),
			Skills:   rapid.SliceOfN(rapid.SampledFrom([]string{"court", "unheld"}), 0, 2).Draw(rt, "skills"),
			Owner:    worker.Draw(rt, "owner"),
			Pinned:   rapid.Bool().Draw(rt, "pinned"),
		}
		if odd("empty ID") {
			c.ID = ""
		}
		if odd("empty skill") {
			c.Skills = append(c.Skills, "")
		}
		if odd("declined") {
			c.Declines = []Decline{{Worker: worker.Draw(rt, "decliner")}}
		}
		if odd("fit") {
			switch rapid.IntRange(0, 3).Draw(rt, "fit field") {
			case 0:
				c.CoShare = num("co-share")
			case 1:
				c.CoWorker = worker.Draw(rt, "co-worker")
			case 2:
				c.Levels = []Proficiency{{Skill: "court", Level: rapid.IntRange(0, MaxLevel+1).Draw(rt, "level")}}
			case 3:
				c.Fit = []PairFit{{Worker: worker.Draw(rt, "fit worker")}}
			}
		}
		if !plainCase(&c) {
			return
		}
		sc := caseScan{lo: 0, hi: 1}
		tm.checkOddCase(&sc, 0, &c, &declinerCache{})
		assert.Empty(rt, sc.errs)
		assert.Empty(rt, sc.notices)
		assert.Empty(rt, sc.decl)
		assert.Equal(rt, tm.heldLoad(&c, 0), max(0, toMicro(float64(c.Weight))), "load")
	})
}

// TestHoldsAgreesWithSkillSets holds that comparing a worker's skill
// names, as [Team.holds] does for a worker with few skills, answers as
// the team's skill bit sets do, empty and unknown names included. The
// workers hold up to twice fewSkills skills, so that both ways are
// taken, and half the skills asked about are the worker's own.
func TestHoldsAgreesWithSkillSets(t *testing.T) {
	t.Parallel()
	names := rapid.SampledFrom([]string{"", "court", "debt", "arabic", "polish", "autism", "trauma", "turkish", "unheld"})
	rapid.Check(t, func(rt *rapid.T) {
		tm := &Team{workers: rapid.SliceOfN(rapid.Custom(func(rt *rapid.T) Worker {
			return Worker{Skills: rapid.SliceOfN(names, 0, 2*fewSkills).Draw(rt, "skills")}
		}), 1, 4).Draw(rt, "workers")}
		tm.indexSkills()
		w := int32(rapid.IntRange(0, len(tm.workers)-1).Draw(rt, "worker"))
		s := names.Draw(rt, "skill")
		if sk := tm.workers[w].Skills; len(sk) > 0 && rapid.Bool().Draw(rt, "own skill") {
			s = sk[rapid.IntRange(0, len(sk)-1).Draw(rt, "own")]
		}
		id, ok := tm.skillID[s]
		want := ok && tm.held[int(w)*tm.words+id/64]&(1<<(id%64)) != 0
		assert.Equal(rt, want, tm.holds(w, s))
	})
}

// TestOwnerCacheFindsAsTheMap holds that an [ownerCache] finds every ID
// as the team's map does, whatever it remembered before: IDs that pick
// the same slot, that are shorter than three bytes, or that are not on
// the team, looked up in any order.
func TestOwnerCacheFindsAsTheMap(t *testing.T) {
	t.Parallel()
	holdToMap(t, abIDs(), func(tm *Team) func(string) (int32, bool) {
		var oc ownerCache
		return func(id string) (int32, bool) { return oc.find(tm, id) }
	})
}

// abIDs returns the IDs of every length up to four from a two-letter
// alphabet, the empty one first, so that many pick the same slot of a
// cache of IDs.
func abIDs() []string {
	var ids []string
	for n := 0; n <= 4; n++ {
		for b := range 1 << n {
			id := make([]byte, n)
			for k := range id {
				id[k] = "ab"[b>>k&1]
			}
			ids = append(ids, string(id))
		}
	}
	return ids
}

// holdToMap draws a team of some of ids (not the first, the empty one)
// and look-ups of any of them in any order, and holds the finder that
// newFind makes for the team to the team's map.
func holdToMap(t *testing.T, ids []string, newFind func(tm *Team) func(string) (int32, bool)) {
	t.Helper()
	rapid.Check(t, func(rt *rapid.T) {
		onTeam := rapid.SliceOfDistinct(rapid.SampledFrom(ids[1:]), func(s string) string { return s }).Draw(rt, "team")
		ws := make([]Worker, len(onTeam))
		for i, id := range onTeam {
			ws[i] = Worker{ID: id, Capacity: 1}
		}
		tm := &Team{workers: ws}
		tm.indexWorkers()
		find := newFind(tm)
		for _, id := range rapid.SliceOf(rapid.SampledFrom(ids)).Draw(rt, "look-ups") {
			w, ok := find(id)
			want, wantOK := tm.worker(id)
			require.Equal(rt, wantOK, ok, "%q", id)
			if ok {
				require.Equal(rt, want, w, "%q", id)
			}
		}
	})
}

// TestDeclinedListsEachCasesDecliners holds that the decliners a team
// resolves while its cases are scanned in chunks come back for each
// case: on the team, by rank, ascending and once each, whatever the
// chunk, the declines drawn at random on enough cases to be scanned in
// many chunks.
func TestDeclinedListsEachCasesDecliners(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		ids := []string{"w2", "w0", "w1", "w3"} // rank: w0 0, w1 1, w2 2, w3 3
		p := Problem{AsOf: civil.NewDate(2026, 3, 2)}
		for _, id := range ids {
			p.Workers = append(p.Workers, Worker{ID: id, Capacity: 20})
		}
		n := rapid.SampledFrom([]int{1, 100, parallelCases + 1, 3 * parallelCases}).Draw(rt, "cases")
		want := make([][]int32, n)
		for i := range n {
			c := Case{ID: "c" + strconv.Itoa(i), Weight: 1}
			if rapid.IntRange(0, 49).Draw(rt, "declined") == 0 {
				for _, d := range rapid.SliceOfN(rapid.SampledFrom([]string{"w0", "w1", "w2", "w3", "gone"}), 1, 4).Draw(rt, "decliners") {
					c.Declines = append(c.Declines, Decline{Worker: d})
					if d != "gone" {
						want[i] = append(want[i], int32(d[1]-'0'))
					}
				}
				slices.Sort(want[i])
				want[i] = slices.Compact(want[i])
			}
			p.Cases = append(p.Cases, c)
		}
		tm, err := Prepare(p, nil)
		require.NoError(rt, err)
		for i := range n {
			require.Equal(rt, len(want[i]), len(tm.declined(int32(i))), "case %d", i)
			if len(want[i]) > 0 {
				require.Equal(rt, want[i], tm.declined(int32(i)), "case %d", i)
			}
		}
	})
}

// TestCaseLevelsFoundInTheScan holds the shortcut for levels: when no
// worker has levels, the case scan finds cases that have, and the team
// prepared then (expanded and scanned again) is the one prepared with
// the levels expanded first. A worker with a level of an unrelated
// skill, added last, makes Prepare expand them first; the faults (some
// cases have negative weights), the notices and the loads of the other
// workers must not change.
func TestCaseLevelsFoundInTheScan(t *testing.T) {
	t.Parallel()
	skill := rapid.SampledFrom([]string{"court", "debt", "court (level 2)"})
	rapid.Check(t, func(rt *rapid.T) {
		p := Problem{AsOf: civil.NewDate(2026, 3, 2)}
		ids := []string{"", "gone"}
		for i := range rapid.IntRange(1, 4).Draw(rt, "workers") {
			id := "w" + strconv.Itoa(i)
			ids = append(ids, id)
			p.Workers = append(p.Workers, Worker{ID: id, Capacity: 20, Skills: rapid.SliceOfN(skill, 0, 2).Draw(rt, "skills")})
		}
		for i := range rapid.IntRange(1, 8).Draw(rt, "cases") {
			c := Case{ID: "c" + strconv.Itoa(i), Weight: HoursPerWeek(rapid.SampledFrom([]float64{1, 2, -1}).Draw(rt, "weight")),
				Owner:  rapid.SampledFrom(ids).Draw(rt, "owner"),
				Skills: rapid.SliceOfN(skill, 0, 1).Draw(rt, "case skills")}
			if rapid.Bool().Draw(rt, "levels") {
				c.Levels = []Proficiency{{Skill: "court", Level: rapid.IntRange(1, 3).Draw(rt, "level")}}
			}
			p.Cases = append(p.Cases, c)
		}
		q := p
		q.Workers = append(slices.Clone(p.Workers), Worker{ID: "zz", Capacity: 1, Levels: []Proficiency{{Skill: "zzz", Level: 1}}})
		got, gotErr := Prepare(p, nil)
		want, wantErr := Prepare(q, nil)
		if wantErr != nil || gotErr != nil {
			require.Equal(rt, fmt.Sprint(wantErr), fmt.Sprint(gotErr))
			return
		}
		assert.Equal(rt, want.Notices(), got.Notices())
		for _, w := range p.Workers {
			wl, _ := want.Load(w.ID)
			gl, _ := got.Load(w.ID)
			assert.Equal(rt, wl, gl, "worker %s", w.ID)
		}
		assert.Equal(rt, want.cases, got.cases)
	})
}

// TestAppendPctPrintsAsStrconv holds that appendPct's shortcut prints
// every fraction as strconv does with no decimals: ties (k+0.5, after
// the scaling by 100), their neighbours, negative zero, the limits of
// the shortcut and fractions drawn at random.
func TestAppendPctPrintsAsStrconv(t *testing.T) {
	t.Parallel()
	check := func(t require.TestingT, f float64) {
		want := string(strconv.AppendFloat(nil, f*100, 'f', 0, 64)) + "%"
		require.Equal(t, want, string(appendPct(nil, f)), "%v", f)
	}
	for _, f := range []float64{0, math.Copysign(0, -1), -0.001, 1e-300, 0.005, 0.015, 0.025, 0.125, 1, 1.005,
		(1 << 53) / 100, math.Nextafter((1<<53)/100, 0), 1e300, math.Inf(1), math.NaN()} {
		check(t, f)
		check(t, math.Nextafter(f, 2))
		check(t, math.Nextafter(f, -2))
	}
	for k := range 2000 {
		// Whole percentages and exact ties, as fractions.
		check(t, float64(k)/100)
		check(t, (float64(k)+0.5)/100)
	}
	rapid.Check(t, func(rt *rapid.T) {
		check(rt, rapid.Float64Range(0, 100).Draw(rt, "fraction"))
		check(rt, math.Float64frombits(rapid.Uint64().Draw(rt, "bits")))
	})
}
