// Package tests holds sflowbeat's end-to-end tests: they build the sflowbeat
// binary once, run it with a configuration file, send it real sFlow
// datagrams over loopback UDP and check what reaches an
// Elasticsearch-protocol server started by the test (package esmock).
package tests
