package beater

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/pcapfile"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoded"
	"github.com/sflowbeat/sflowbeat/input/sflow/decoder"
	"github.com/sflowbeat/sflowbeat/processor/ecs"
)

// DecodeCommand returns `sflowbeat decode [FILE.pcap|FILE.pcapng ...]`: it
// prints, one JSON document per line, the events the beat would publish for
// the sFlow datagrams in the capture files (without libbeat's agent and host
// metadata), and a summary on stderr. With no file, or "-", it reads stdin.
func DecodeCommand() *cobra.Command {
	var port uint16
	var opts ecs.Options
	var internal []string
	c := &cobra.Command{
		Use:   "decode [FILE.pcap|FILE.pcapng ...]",
		Short: "Print the events of the sFlow datagrams in capture files as JSON lines",
		Long: "Decode reads pcap or pcapng files, decodes the sFlow datagrams sent to --port\n" +
			"and prints one JSON document per event, exactly the fields sflowbeat publishes\n" +
			"(without agent.* and host.*). A summary of datagrams, samples and errors goes to stderr.",
		RunE: func(cmd *cobra.Command, args []string) error {
			nets, err := config.ParseNetworks(internal)
			if err != nil {
				return fmt.Errorf("--internal-networks: %w", err)
			}
			opts.InternalNetworks = nets
			opts.InterfaceNames = ecs.NewInterfaceNames() // learned from the captures' port names
			if len(args) == 0 {
				args = []string{"-"}
			}
			return decodeFiles(cmd.OutOrStdout(), cmd.ErrOrStderr(), args, port, opts)
		},
		SilenceUsage: true,
	}
	c.Flags().Uint16Var(&port, "port", 6343, "UDP destination port of the sFlow datagrams")
	c.Flags().StringSliceVar(&internal, "internal-networks", nil, "CIDRs or names (private, loopback, link_local, multicast) for source/destination.locality and network.direction, as internal_networks does")
	c.Flags().BoolVar(&opts.PreserveOriginal, "preserve-original-event", false, "put the sampled header, hex-encoded, in event.original (as preserve_original_event does)")
	return c
}

// decodeSummary counts what decodeFiles saw.
type decodeSummary struct {
	datagrams, invalid, events     int
	samplesInvalid, samplesUnknown uint32
	recordsInvalid, recordsUnknown uint32
	skippedFrames                  int
}

// decodeFiles writes the events of every file to out and the summary to
// errOut; it returns an error when a file cannot be read.
func decodeFiles(out, errOut io.Writer, files []string, port uint16, opts ecs.Options) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	var s decodeSummary
	var errs []error
	for _, f := range files {
		if f == "-" {
			f = "/dev/stdin"
		}
		if err := decodeFile(w, errOut, f, port, opts, &s); err != nil {
			errs = append(errs, err)
		}
	}
	fmt.Fprintf(errOut, "datagrams: %d (invalid: %d), events: %d, samples invalid: %d, samples unknown: %d, "+
		"records invalid: %d, records unknown: %d, frames skipped (not UDP port %d): %d\n",
		s.datagrams, s.invalid, s.events, s.samplesInvalid, s.samplesUnknown,
		s.recordsInvalid, s.recordsUnknown, port, s.skippedFrames)
	return errors.Join(errs...)
}

// decodeFile decodes one capture file.
func decodeFile(w io.Writer, errOut io.Writer, path string, port uint16, opts ecs.Options, s *decodeSummary) error {
	r, err := pcapfile.Open(path, port)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	dec := decoder.NewDecoder()
	mapper := ecs.NewMapper(opts)
	var dg decoded.Datagram
	var evs []ecs.Event
	for {
		d, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		s.datagrams++
		if err := dec.Decode(d.Payload, &dg); err != nil {
			s.invalid++
			fmt.Fprintf(errOut, "%s: datagram %d from %s: %v\n", path, s.datagrams, d.Src, err)
			continue
		}
		countStats(s, &dg)
		for _, e := range dg.Errors {
			fmt.Fprintf(errOut, "%s: datagram %d from %s: %v\n", path, s.datagrams, d.Src, e)
		}
		evs = mapper.Map(&dg, d.Timestamp, evs[:0])
		for _, e := range evs {
			if err := ecs.EncodeJSON(w, e); err != nil {
				return err
			}
			s.events++
		}
	}
	s.skippedFrames += r.Skipped()
	return nil
}

// countStats adds the decode statistics of dg to s.
func countStats(s *decodeSummary, dg *decoded.Datagram) {
	s.samplesInvalid += dg.Stats.SamplesMalformed
	s.samplesUnknown += dg.Stats.SamplesUnknown
	s.recordsInvalid += dg.Stats.RecordsMalformed
	s.recordsUnknown += dg.Stats.RecordsUnknown
}
