package worker

import (
	"context"
	"fmt"
	"log/slog"
	"os"
)

// asynqLogger lets asynq log through slog.
type asynqLogger struct{ log *slog.Logger }

func (l asynqLogger) Debug(args ...any) { l.log.Debug(fmt.Sprint(args...)) }
func (l asynqLogger) Info(args ...any)  { l.log.Info(fmt.Sprint(args...)) }
func (l asynqLogger) Warn(args ...any)  { l.log.Warn(fmt.Sprint(args...)) }
func (l asynqLogger) Error(args ...any) { l.log.Error(fmt.Sprint(args...)) }

// Fatal logs and exits, as asynq's Logger contract requires.
func (l asynqLogger) Fatal(args ...any) {
	l.log.Log(context.Background(), slog.LevelError+4, fmt.Sprint(args...))
	os.Exit(1)
}
