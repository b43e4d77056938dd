// Command musterbench measures the whole pipeline: it seeds N supporters,
// runs `muster serve` and `muster worker` as separate processes against an
// in-process SMTP sink and Twilio stand-in, sends one alert to everyone, and
// prints fan-out rate, delivery rate, enqueue latency, the worker's peak RSS
// and Redis's peak memory. `make bench N=1000000` runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "musterbench:", err)
		os.Exit(1)
	}
}

// options are the benchmark's flags.
type options struct {
	n        int
	channels []string
	redisURL string
	enqueues int
	keep     bool
	sink     string // "go" (in-process go-smtp) or "postfix" (postfix's smtp-sink)
	env      []string
}

func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("musterbench", flag.ContinueOnError)
	fs.IntVar(&o.n, "n", 100_000, "supporters")
	channels := fs.String("channels", "email,sms", "channels of the alert")
	fs.StringVar(&o.redisURL, "redis", "redis://127.0.0.1:6379/15", "Redis database to use (flushed)")
	fs.IntVar(&o.enqueues, "enqueues", 200, "alerts posted to measure enqueue latency")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (database, logs)")
	fs.StringVar(&o.sink, "sink", "go", `SMTP sink: "go" (in-process, counts each recipient) or "postfix" (postfix's smtp-sink, as in listmonk's figures)`)
	extra := fs.String("env", "", "extra MUSTER_* settings for the processes, comma-separated K=V")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.channels = strings.Split(*channels, ",")
	if *extra != "" {
		o.env = strings.Split(*extra, ",")
	}
	return o, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	o, err := parse(args)
	if err != nil {
		return err
	}
	b, err := setup(ctx, o)
	if err != nil {
		return err
	}
	defer b.close()
	res, err := b.measure(ctx)
	if err != nil {
		return err
	}
	res.print(out, o)
	return nil
}

// elapsed is a duration in seconds for rates.
func elapsed(d time.Duration) float64 { return max(d.Seconds(), 1e-9) }
