package balancetest

import (
	"github.com/caseload/caseload/balance"
)

// TB is the subset of testing.TB that [Verify] and [VerifyRanking]
// use. *testing.T, *testing.B and *rapid.T satisfy it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Verify reports through t, one error each, every invariant that pr
// breaks as the proposal for p under opts: it is [CheckProposal] for a
// test. It does not stop the test.
func Verify(t TB, p balance.Problem, opts *balance.RebalanceOptions, pr *balance.Proposal) {
	t.Helper()
	reportTo(t, CheckProposal(p, opts, pr))
}

// VerifyRanking reports through t, one error each, every invariant that
// r breaks as the ranking of c against p under opts: it is
// [CheckRanking] for a test. It does not stop the test.
func VerifyRanking(t TB, p balance.Problem, c balance.Case, opts *balance.Options, r *balance.Ranking) {
	t.Helper()
	reportTo(t, CheckRanking(p, c, opts, r))
}

// reportTo reports each error joined in err.
func reportTo(t TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			t.Errorf("%v", e)
		}
		return
	}
	t.Errorf("%v", err)
}
