// Package accounting is the stage between decode and map: it counts the
// loss on the way in, applies the sampling rates users correct, compensates
// flow samples for loss, and reconciles flow estimates with the interfaces'
// counters. It reads the typed samples of the decoder and knows nothing of
// Beats: no logging, no goroutines of its own, only counters and results.
//
// One Accounting serves every worker of an input. Account takes a decoded
// datagram and its receive time and fills a Result: whether to process the
// datagram or drop it as a duplicate, and for every sample its verdict, the
// sampling rate to apply, where that rate comes from and the compensation
// factor. Flush (every second or so), Snapshot (every exporter_stats_period)
// and Reconcile (every reconcile_period) are called by a timer. Stats holds
// the counters for the input's monitoring registry.
//
// # Concurrency and memory
//
// The state is split in 64 shards by a hash of the exporter, the
// (agent_address, sub_agent_id) of sample_datagram_v5; a datagram locks its
// shard only, so workers on different exporters do not wait for each
// other, and no lock is shared by all datagrams. The global counters are
// added once per datagram, and only those that moved.
//
// At most MaxExporters exporters and MaxSources data sources are tracked.
// A new one beyond the limit evicts the least recently seen of its shard
// (Flush evicts across shards whatever is still beyond); evictions are
// counted. An evicted exporter or source that comes back starts afresh,
// without loss. State idle for IdleTimeout is dropped. A sequence keeps a
// bitmap of its last ReorderWindow numbers, not a map: with the defaults an
// exporter takes about 1.7 KB and a flow data source about 0.5 KB, so the
// state stays under about 45 MB.
//
// # Loss on the way in
//
// Every exporter numbers its datagrams (sample_datagram_v5 sequence_number)
// and every data source its samples (flow_sample, counters_sample and
// event_discarded_packet sequence_number, one sequence per kind of sample
// and per sflow_data_source). A number that never arrives is missing:
// datagrams_missing and samples_missing. Numbers compare modulo 2^32, so
// the sequences wrap.
//
// A gap is counted only when it is final: when the highest number seen
// has moved ReorderWindow (256) or more past it, or when it has been open
// for ReorderTimeout (2 s) of receive time, judged at the next datagram or
// sample of its sequence and by Flush. Several workers process the
// datagrams of one exporter at once, and LAG and ECMP paths reorder them
// too: a number that fills its gap in time is reordered, not missing
// (datagrams_reordered, samples_reordered). A number that comes after its
// gap was counted is late (counted, and processed); missing stays counted.
// A number received again inside the window is a duplicate: Account says
// Duplicate, for the datagram (same number and same uptime) or the sample,
// and the caller drops it. The samples of a duplicate datagram are not
// accounted.
//
// The numbers before the first one received are not tracked: one that
// arrives later is reordered, and the gap below the first number is not
// counted.
//
// # Restarts
//
// An agent that restarts numbers its datagrams from the start again; that
// is a reset (sequence_resets), not loss: tracking starts again from the
// datagram, and every data source of the exporter starts again at its
// next sample. The uptime of sample_datagram_v5 (milliseconds since boot)
// tells a restart from reordering: a datagram restarts the agent when its
// uptime is before that of the closest lower number seen, or after that of
// the closest higher number, by more than UptimeTolerance (1 s); when it
// repeats a number with another uptime; or when it is ReorderWindow or more
// behind the highest number. In that last case, with an uptime not later
// than the highest's, the datagram may as well be one held up on the way
// (a worker that was descheduled): the next datagram decides. If it
// continues the old sequence, the straggler is counted late; if not, the
// reset is counted and the sequence restarts at the straggler. A real
// restart always takes this path, since an agent has usually sent more than
// ReorderWindow datagrams before it restarts. The samples of the straggler
// are processed at once, but their numbers wait for the decision: after a
// restart they are forgotten (the old numbers of their sources tell
// nothing: a low number would look like a duplicate), and after a
// datagram held up they are placed in their sources then, as out of order.
// A straggler that no datagram follows is never decided. The 32-bit
// uptime wraps after 49.7 days; a step from its last 10 minutes to its
// first 10 minutes is the wrap, not a restart.
//
// A data source's sample numbers that go back by ReorderWindow or more
// restart that source (a reset), unless their datagram came out of order
// (reordered or late): a busy data source moves its numbers many times
// faster than the datagrams (with 7 samples per datagram, a datagram 50
// late carries samples 350 behind), so such samples are late, their
// numbers counted missing when the window passed them. Within the window
// they are taken for reordered or late samples: samples have no uptime to
// tell.
//
// # Exporter health
//
// Snapshot returns, for every exporter active since the previous call,
// what it did over the period: datagrams and samples by kind received,
// the loss counters above, the distinct sampling_rate values of its flow
// samples (the MaxRates first, and a count of the samples with others),
// and, summed over its flow data sources, the growth of flow_sample
// sample_pool (packets that could have been sampled) and of drops (samples
// the agent itself lost for lack of resources). sample_pool and drops are
// 32-bit counters: growth is taken modulo 2^32 between consecutive new
// highest numbers of a source, reordered samples do not count, and a
// source that restarts starts again from its values. Exporters without
// datagrams in the period are not reported.
//
// # Sampling rates
//
// Some devices report sampling_rate 0, or a wrong rate. Rules correct it:
// the first RateRule whose Exporters contain the agent address applies.
// ModeDefault applies its rate when the exporter reports 0, ModeOverride
// always. Every flow sample gets the rate to apply and its RateSource:
// reported, default, override, or missing (rate 0 and no rule: counted in
// samples_no_rate, so that an estimate of 0 bytes never passes silently).
// Drop samples are not sampled: rate 1, RateUnsampled.
//
// # Loss compensation
//
// With LossCompensation, each flow data source measures its effective
// sampling rate: the growth of sample_pool divided by the samples received,
// over its last CompensationWindow (1024) received samples. The pool grows
// by the packets of every sample taken, received or not, so
//
//	factor = effective rate / applied rate
//
// is how many samples were taken per sample received, and scaling
// network.packets and network.bytes by it restores the totals. The factor
// is 1 until the window has been filled once, never below 1, and at most
// MaxFactor (100); capped factors are counted. The window slides by an
// eighth of its length; a new highest number brings the pool growth since
// the previous one, a sample that fills a gap brings none.
//
// What it can see, and what it cannot:
//   - it sees samples lost between the agent and the collector, whole
//     datagrams or single samples, and the samples the agent dropped itself
//     (flow_sample drops): both grow sample_pool without a sample received;
//   - it cannot see packets lost before the agent counted them into
//     sample_pool (a congested ASIC that does not count), nor exporters that
//     send no flow samples (counter-only) or leave sample_pool at 0 (the
//     factor stays 1);
//   - it measures against the applied rate: when a rule's rate differs from
//     the rate the agent samples at, the factor carries their ratio too
//     (above 1 when the rule's rate is lower; below 1, shown as 1, when it
//     is higher);
//   - agents sample at random: the pool growth between samples is about
//     geometric with the rate as mean, so the effective rate of n samples
//     has a relative standard deviation of about 1/sqrt(n) (3% for 1024).
//     Since the factor is never below 1, it is biased upwards by about
//     0.4/sqrt(n) when nothing is lost (1.2% for 1024): a larger window is
//     steadier and slower to follow changes;
//   - a source that restarts (its numbers go back, or the agent restarts)
//     keeps its window, without the growth across the restart; a 32-bit
//     pool that wraps between two received samples more than once, or is
//     reset without the numbers, gives a huge growth: capped.
//
// # Reconciliation with interface counters
//
// Per exporter and interface (ifIndex), the bytes estimated from the flow
// samples whose data source is that interface (sflow_data_source type 0,
// index ifIndex) are compared with the interface's if_counters (enterprise
// 0, format 1, in the counters_sample of the same exporter). A flow sample
// whose input is the interface is ingress sampling, compared with the
// growth of ifInOctets; one whose output is the interface is egress
// sampling, compared with ifOutOctets. The estimate is frame_length x
// applied rate (x the compensation factor when it is on); frame_length is
// that of sampled_header, else the length of sampled_ethernet, sampled_ipv4
// or sampled_ipv6. Flow bytes wait for the next counter sample of the
// interface, so that both numbers cover the same interval between two
// counter samples; an interval whose counter went down (a counter reset),
// or that follows a restart, is skipped, flows and counter. Reconcile
// returns, per interface and direction, the flow bytes, the counter
// octets, their ratio, and the flow and counter samples used, over the
// intervals closed since the previous call. Interfaces without flow
// samples are not reported; samples without a rate or a length add
// nothing, nor do those of a straggler (see Restarts).
package accounting
