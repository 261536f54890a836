package accounting

import (
	"container/list"
	"time"
)

// exporter returns the state of exporter k, created when new, and marks it
// the most recently seen of its shard.
func (a *Accounting) exporter(sh *shard, k Exporter, now int64) *exporter {
	e := sh.exporters[k]
	if e == nil {
		e = &exporter{key: k, w: newWindow(a.c.window), uptimes: make([]uint32, a.c.window),
			rule: ruleFor(a.rules, k.Agent), lastSeen: now}
		sh.exporters[k] = e
		e.elem = sh.exLRU.PushFront(e)
		if a.stats.Exporters.Add(1) > a.c.maxExp && a.evictExporter(sh, true) {
			a.stats.ExportersEvicted.Add(1)
		}
	}
	touch(&sh.exLRU, e.elem, &e.lastSeen, now)
	return e
}

// source returns the state of the data source k of exporter e, created
// when new, and marks it the most recently seen of its shard.
func (a *Accounting) source(sh *shard, e *exporter, k sourceKey, now int64) *source {
	s := e.sources.get(k)
	if s == nil {
		s = a.newSource(e, k, now)
		e.sources.put(s)
		s.elem = sh.srcLRU.PushFront(s)
		if a.stats.Sources.Add(1) > a.c.maxSrc && a.evictSource(sh, true) {
			a.stats.SourcesEvicted.Add(1)
		}
	}
	touch(&sh.srcLRU, s.elem, &s.lastSeen, now)
	return s
}

// touchEvery is how often, in receive time, an entry moves to the front of
// its LRU list: a busy source does not rewrite the list for every sample,
// and the ages of the entries are known to within touchEvery.
const touchEvery = int64(100 * time.Millisecond)

// touch marks the entry elem, last seen at *seen, as seen at now.
func touch(l *list.List, elem *list.Element, seen *int64, now int64) {
	if now-*seen >= touchEvery {
		l.MoveToFront(elem)
		*seen = now
	}
}

// newSource returns the state of a new data source k of e, seen at now.
func (a *Accounting) newSource(e *exporter, k sourceKey, now int64) *source {
	s := &source{key: k, ex: e, w: newWindow(a.c.window), epoch: e.epoch, lastSeen: now}
	if k.kind == kindFlow && a.c.compWindow > 0 {
		s.comp = newCompensation(a.c.compWindow)
	}
	if k.kind == kindFlow && k.id.Type == 0 {
		s.rec = &ifReconcile{}
	}
	return s
}

// evictExporter forgets the least recently seen exporter of sh, with its
// sources; keepNewest spares the most recently seen (the one being added).
func (a *Accounting) evictExporter(sh *shard, keepNewest bool) bool {
	e, ok := oldest[*exporter](&sh.exLRU, keepNewest)
	if ok {
		a.removeExporter(sh, e)
	}
	return ok
}

// evictSource forgets the least recently seen data source of sh;
// keepNewest spares the most recently seen (the one being added).
func (a *Accounting) evictSource(sh *shard, keepNewest bool) bool {
	s, ok := oldest[*source](&sh.srcLRU, keepNewest)
	if ok {
		a.removeSource(sh, s)
	}
	return ok
}

// oldest returns the least recently seen entry of the LRU list l, unless
// keepNewest and it is the only one.
func oldest[T any](l *list.List, keepNewest bool) (T, bool) {
	b := l.Back()
	if b == nil || keepNewest && b == l.Front() {
		var none T
		return none, false
	}
	return b.Value.(T), true
}

// removeExporter forgets e and its sources.
func (a *Accounting) removeExporter(sh *shard, e *exporter) {
	for s := range e.sources.all() {
		sh.srcLRU.Remove(s.elem)
	}
	a.stats.Sources.Add(-int64(e.sources.n))
	sh.exLRU.Remove(e.elem)
	delete(sh.exporters, e.key)
	a.stats.Exporters.Add(-1)
}

// removeSource forgets s.
func (a *Accounting) removeSource(sh *shard, s *source) {
	sh.srcLRU.Remove(s.elem)
	s.ex.sources.remove(s.key)
	a.stats.Sources.Add(-1)
}

// Flush counts as missing the gaps that have been open for ReorderTimeout
// at now, forgets the exporters and sources idle for IdleTimeout, and
// evicts what is beyond MaxExporters and MaxSources. Call it every second
// or so, so that gaps are counted when no datagram follows them.
func (a *Accounting) Flush(now time.Time) {
	t := now.UnixNano()
	a.eachShard(func(sh *shard) { a.flushShard(sh, t) })
	for a.stats.Exporters.Load() > a.c.maxExp && a.evictOldest(exporterLRU, a.evictExporter) {
		a.stats.ExportersEvicted.Add(1)
	}
	for a.stats.Sources.Load() > a.c.maxSrc && a.evictOldest(sourceLRU, a.evictSource) {
		a.stats.SourcesEvicted.Add(1)
	}
}

// flushShard settles the timed-out gaps of the locked shard, then forgets
// its idle exporters and sources.
func (a *Accounting) flushShard(sh *shard, now int64) {
	for _, e := range sh.exporters {
		before := e.p.Counts
		e.settle(now, &a.c)
		a.stats.add(&before, &e.p.Counts)
	}
	for b := sh.exLRU.Back(); b != nil && now-b.Value.(*exporter).lastSeen >= a.c.idle; b = sh.exLRU.Back() {
		a.removeExporter(sh, b.Value.(*exporter))
	}
	for b := sh.srcLRU.Back(); b != nil && now-b.Value.(*source).lastSeen >= a.c.idle; b = sh.srcLRU.Back() {
		a.removeSource(sh, b.Value.(*source))
	}
}

// lastSeen is the receive time of the last datagram or sample of an LRU
// list entry.
func lastSeen(v any) int64 {
	if e, ok := v.(*exporter); ok {
		return e.lastSeen
	}
	return v.(*source).lastSeen
}

// exporterLRU selects the exporter LRU list of a shard.
func exporterLRU(sh *shard) *list.List { return &sh.exLRU }

// sourceLRU selects the data source LRU list of a shard.
func sourceLRU(sh *shard) *list.List { return &sh.srcLRU }

// evictOldest evicts, with evict, the least recently seen entry of the
// lists that lru selects, across all shards.
func (a *Accounting) evictOldest(lru func(*shard) *list.List, evict func(*shard, bool) bool) bool {
	var oldest *shard
	var at int64
	a.eachShard(func(sh *shard) {
		if b := lru(sh).Back(); b != nil && (oldest == nil || lastSeen(b.Value) < at) {
			oldest, at = sh, lastSeen(b.Value)
		}
	})
	if oldest == nil {
		return false
	}
	oldest.mu.Lock()
	defer oldest.mu.Unlock()
	return evict(oldest, false)
}

// Reconcile returns, for every interface and direction whose flow samples
// or counter samples closed an interval since the last call, the flow
// estimate and the counter octets, ordered by exporter, ifIndex and
// direction; then it starts a new period. Call it every reconcile_period.
func (a *Accounting) Reconcile() []Reconciliation {
	var rows []Reconciliation
	a.eachShard(func(sh *shard) {
		for _, e := range sh.exporters {
			for s := range e.sources.all() {
				if s.rec != nil {
					rows = s.rec.appendPeriod(rows, s)
				}
			}
		}
	})
	sortReconciliations(rows)
	return rows
}

// eachShard calls f with every shard, locked.
func (a *Accounting) eachShard(f func(*shard)) {
	for i := range a.shards {
		sh := &a.shards[i]
		sh.mu.Lock()
		f(sh)
		sh.mu.Unlock()
	}
}
