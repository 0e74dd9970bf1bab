// Package caseload is the overview of a library for weighted caseload
// balancing. See the packages weight, norm and balance.
package caseload
