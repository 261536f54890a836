// Package esencode measures and checks what happens to the mapper's events
// in libbeat's Elasticsearch output: its benchmarks run the output's own
// event encoder (the one the memory queue calls as events enter it) on the
// events of real captures, and its tests check that what it writes is the
// event the mapper made. It is the one package of the mapping stage that
// imports libbeat; it holds only tests.
package esencode
