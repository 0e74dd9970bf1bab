package balance

import (
	"context"
	"fmt"
	"sync"
	"testing"
)

// BenchmarkGAP solves Chu and Beasley instances; issue 17 targets
// 40×400 under 1 s on 2 cores. It reports the gap to the bound.
func BenchmarkGAP(b *testing.B) {
	for _, kind := range []byte{'C', 'D', 'E'} {
		for _, sz := range [][2]int{{10, 100}, {40, 400}} {
			var once sync.Once
			var g *gapInstance
			b.Run(fmt.Sprintf("%c-%dx%d", kind, sz[0], sz[1]), func(b *testing.B) {
				once.Do(func() { g = chuBeasley(kind, sz[0], sz[1], 1) })
				b.ReportAllocs()
				var r gapResult
				for b.Loop() {
					r = solveGAP(context.Background(), g, 1)
				}
				b.ReportMetric(100*(r.cost-r.bound)/r.bound, "gap%")
			})
		}
	}
}
