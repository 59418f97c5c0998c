// Package config turns flags and environment variables into one validated
// Config value for `cognate up`. Nothing else in Cognate reads the
// environment: constructors get plain fields from here. Validate reports
// every problem at once, each saying what to set.
package config
