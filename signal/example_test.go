package signal_test

import (
	"fmt"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
)

// Signals from two packages merge into one list, most severe first.
func ExampleSort() {
	list := []signal.Signal{
		{Code: "pace.behind", Severity: signal.Warning, Subject: signal.Subject{Kind: signal.Worker, ID: "bob"},
			Value: 0.86, Threshold: 0.9, Message: "bob is behind: 86% of the expected services"},
		{Code: "load.sustained", Severity: signal.Critical, Subject: signal.Subject{Kind: signal.Worker, ID: "ann"},
			Value: 1.18, Threshold: 1.1, Since: civil.NewDate(2026, 2, 9), Message: "ann has been above 110% for 4 weeks"},
		{Code: "load.over", Severity: signal.Info, Subject: signal.Subject{Kind: signal.Worker, ID: "cas"},
			Value: 0.93, Threshold: 0.9, Message: "cas is at 93%, above 90%"},
	}
	signal.Sort(list)
	for _, s := range list {
		fmt.Printf("%-8s %s\n", s.Severity, s.Message)
	}
	// Output:
	// critical ann has been above 110% for 4 weeks
	// warning  bob is behind: 86% of the expected services
	// info     cas is at 93%, above 90%
}
