package outbox

import (
	"bytes"
	"context"
	"fmt"

	"github.com/muster-org/muster/internal/failure"
	"github.com/muster-org/muster/internal/mail"
)

// Mailer writes each email to DIR/email/<Message-ID>.eml.
type Mailer struct {
	dir string
}

// NewMailer creates DIR/email if needed.
func NewMailer(dir string) (*Mailer, error) {
	path, err := makeDir(dir, "email")
	if err != nil {
		return nil, err
	}
	return &Mailer{dir: path}, nil
}

// Send writes m as the SMTP pool would send it and returns its Message-ID
// (one is made when m has none). Sending the same Message-ID again replaces
// the file.
func (o *Mailer) Send(ctx context.Context, m mail.Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", failure.New(failure.Transient, "canceled", fmt.Errorf("outbox: %w", err))
	}
	if m.MessageID == "" {
		m.MessageID = randomID() + "@outbox.invalid"
	}
	var buf bytes.Buffer
	if err := mail.WriteMessage(&buf, m); err != nil {
		return "", err
	}
	if err := writeFile(o.dir, fileName(m.MessageID)+".eml", buf.Bytes()); err != nil {
		return "", err
	}
	return m.MessageID, nil
}
