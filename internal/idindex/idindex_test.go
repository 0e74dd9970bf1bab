package idindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// builders are the two kinds of index, tried on every size.
var builders = []struct {
	name string
	new  func(int, func(int32) string) (*Index, []Duplicate)
}{
	{"table", newTable},
	{"sorted", newSorted},
	{"New", New},
}

func TestFind(t *testing.T) {
	t.Parallel()
	// Sizes around the table's growth steps and both sides of
	// smallIndex, where New switches from a table to sorted entries.
	for _, n := range []int{0, 1, 2, 11, 12, 100, smallIndex, smallIndex + 1} {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("id-%d", i)
		}
		key := func(i int32) string { return ids[i] }
		for _, b := range builders {
			t.Run(fmt.Sprintf("%s/%d", b.name, n), func(t *testing.T) {
				t.Parallel()
				x, dups := b.new(n, key)
				if len(dups) != 0 {
					t.Fatalf("distinct IDs gave duplicates %v", dups)
				}
				for i, id := range ids {
					if p, ok := x.Find(id, key); !ok || p != int32(i) {
						t.Fatalf("Find(%q) = %d, %v; want %d, true", id, p, ok, i)
					}
				}
				for _, id := range []string{"", "id--1", fmt.Sprintf("id-%d", n)} {
					if p, ok := x.Find(id, key); ok {
						t.Errorf("Find(%q) = %d, true; want not found", id, p)
					}
				}
			})
		}
	}
}

func TestDuplicates(t *testing.T) {
	t.Parallel()
	// Every third ID repeats the one two places before it, and "x"
	// appears three times: the later positions are reported, each with
	// the first, in position order, and Find returns the first.
	const n = 2*smallIndex + 5
	ids := make([]string, n)
	var want []Duplicate
	for i := range ids {
		ids[i] = fmt.Sprint(i)
		if i%3 == 2 {
			ids[i] = ids[i-2]
			want = append(want, Duplicate{At: int32(i), First: int32(i - 2)})
		}
	}
	for _, i := range []int{7, 400, n - 1} {
		ids[i] = "x"
	}
	want = append(want, Duplicate{At: 400, First: 7}, Duplicate{At: n - 1, First: 7})
	slices.SortFunc(want, func(a, b Duplicate) int { return int(a.At - b.At) })
	key := func(i int32) string { return ids[i] }
	for _, b := range builders[:2] {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			x, dups := b.new(n, key)
			if !slices.Equal(dups, want) {
				t.Errorf("got %d duplicates, want %d; first got %v", len(dups), len(want), dups[:min(len(dups), 5)])
			}
			if p, ok := x.Find("x", key); !ok || p != 7 {
				t.Errorf(`Find("x") = %d, %v; want 7, true`, p, ok)
			}
			if p, ok := x.Find(ids[5], key); !ok || p != 3 {
				t.Errorf("Find(%q) = %d, %v; want 3, true", ids[5], p, ok)
			}
		})
	}
}

func TestRadixSortHigh(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2)) // any seed: the property holds for all
	for _, n := range []int{0, 1, 2, 1000} {
		a := make([]uint64, n)
		for i := range a {
			// Few distinct upper halves, so that stability shows.
			a[i] = uint64(rng.IntN(50))<<32 | uint64(i)
		}
		want := slices.Clone(a)
		slices.SortStableFunc(want, func(x, y uint64) int {
			return int(int64(x>>32) - int64(y>>32))
		})
		radixSortHigh(a)
		if !slices.Equal(a, want) {
			t.Errorf("n=%d: not sorted stably by the upper half", n)
		}
	}
}

// BenchmarkNew indexes 12,000 IDs, a region's cases, each a string of
// its own as decoded data would be.
func BenchmarkNew(b *testing.B) {
	ids := make([]string, 12000)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%06d", i)
	}
	key := func(i int32) string { return ids[i] }
	for b.Loop() {
		New(len(ids), key)
	}
}
