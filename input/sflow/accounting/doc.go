// Package accounting is the stage between decode and map.
package accounting
