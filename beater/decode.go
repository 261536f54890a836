package beater

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sflowbeat/sflowbeat/beater/pcapfile"
	"github.com/sflowbeat/sflowbeat/config"
	"github.com/sflowbeat/sflowbeat/input/sflow/accounting"
	"github.com/sflowbeat/sflowbeat/input/sflow/worker"
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

// decodeFiles writes the events of every file to out and a summary to
// errOut. Every file is opened before anything is decoded: one that cannot
// be opened is an error, with no summary. An error in the middle of a file
// ends that file; the summary then counts what was decoded.
func decodeFiles(out, errOut io.Writer, files []string, port uint16, opts ecs.Options) error {
	readers, err := openAll(files, port)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	var counts worker.Counts
	wk := worker.New(opts, accounting.New(accounting.Defaults()), &counts) // as an input with the default settings
	events, skipped := 0, 0
	var errs []error
	for i, r := range readers {
		n, err := decodeFile(w, errOut, files[i], r, wk)
		events += n
		skipped += r.Skipped()
		_ = r.Close()
		if err != nil {
			errs = append(errs, err)
		}
	}
	fmt.Fprintf(errOut, "datagrams: %d (invalid: %d), events: %d, samples invalid: %d, samples unknown: %d, "+
		"records invalid: %d, records unknown: %d, frames skipped (not UDP port %d): %d\n",
		counts.Datagrams, counts.InvalidDatagrams, events, counts.Skipped.SamplesMalformed, counts.Skipped.SamplesUnknown,
		counts.Skipped.RecordsMalformed, counts.Skipped.RecordsUnknown, port, skipped)
	return errors.Join(errs...)
}

// openAll opens every capture file ("-" is stdin), or none.
func openAll(files []string, port uint16) ([]*pcapfile.Reader, error) {
	readers := make([]*pcapfile.Reader, 0, len(files))
	for _, f := range files {
		path := f
		if f == "-" {
			path = "/dev/stdin"
		}
		r, err := pcapfile.Open(path, port)
		if err != nil {
			for _, o := range readers {
				_ = o.Close()
			}
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		readers = append(readers, r)
	}
	return readers, nil
}

// decodeFile runs the worker over the datagrams of one capture and writes
// their events; it returns the number of events written.
func decodeFile(w io.Writer, errOut io.Writer, name string, r *pcapfile.Reader, wk *worker.Worker) (int, error) {
	events := 0
	for n := 1; ; n++ {
		d, err := r.Next()
		if errors.Is(err, io.EOF) {
			return events, nil
		}
		if err != nil {
			return events, fmt.Errorf("%s: %w", name, err)
		}
		res := wk.Process(d.Payload, d.Timestamp)
		if res.Err != nil {
			fmt.Fprintf(errOut, "%s: datagram %d from %s: %v\n", name, n, d.Src, res.Err)
			continue
		}
		for _, e := range res.Datagram.Errors {
			fmt.Fprintf(errOut, "%s: datagram %d from %s: %v\n", name, n, d.Src, e)
		}
		for _, e := range res.Events {
			if err := ecs.EncodeJSON(w, e); err != nil {
				return events, err
			}
			events++
		}
	}
}
