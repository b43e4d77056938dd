package bounce

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// The fixtures are stored with LF line ends, as an MTA pipes them; each is
// parsed a second time with CRLF line ends, as SMTP carries them.
func TestParse(t *testing.T) {
	tests := []struct {
		file    string
		want    Report
		wantErr error
	}{
		{file: "postfix-5.1.1.eml", want: Report{
			Kind: Hard,
			Recipients: []Recipient{{
				Address:    "nobody@example.net",
				Action:     "failed",
				Status:     "5.1.1",
				Diagnostic: "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
				Kind:       Hard,
			}},
			MessageID: "muster.a12.d345@example.org",
		}},
		{file: "exim.eml", want: Report{
			Kind: Hard,
			Recipients: []Recipient{{
				Address:    "ghost@example.net",
				Action:     "failed",
				Status:     "5.0.0",
				Diagnostic: "550 5.1.1 <ghost@example.net>: Recipient address rejected: User unknown",
				Kind:       Hard,
			}},
			MessageID: "muster.a12.d346@example.org",
		}},
		{file: "gmail.eml", want: Report{
			Kind: Hard,
			Recipients: []Recipient{{
				Address: "nobody.here@gmail.com",
				Action:  "failed",
				Status:  "5.1.1",
				Diagnostic: "550-5.1.1 The email account that you tried to reach does not exist. Please try " +
					"550-5.1.1 double-checking the recipient's email address for typos or " +
					"550-5.1.1 unnecessary spaces. For more information, go to " +
					"550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a640c23a62f3a-a72aaf1a2b3sor1234567866b.3 - gsmtp",
				Kind: Hard,
			}},
			MessageID: "muster.a7.d901@example.org",
		}},
		{file: "office365-5.2.1.eml", want: Report{
			Kind: Hard,
			Recipients: []Recipient{{
				Address:    "former.member@contoso.example",
				Action:     "failed",
				Status:     "5.2.1",
				Diagnostic: "550 5.2.1 STOREDRV.Deliver: mailbox disabled",
				Kind:       Hard,
			}},
			MessageID: "muster.a12.d347@example.org", // split by a quoted-printable soft line break
		}},
		{file: "delayed-4.4.7.eml", want: Report{
			Kind: Soft,
			Recipients: []Recipient{{
				Address: "slow.server@fabrikam.example",
				Action:  "delayed",
				Status:  "4.4.7",
				Diagnostic: `451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped due to SocketError."` +
					" Attempted failover to alternate host, but that did not succeed.",
				Kind: Soft,
			}},
			MessageID: "muster.a12.d348@example.org", // from In-Reply-To: no original headers
		}},
		{file: "policy-5.7.1.eml", want: Report{
			Kind: Soft,
			Recipients: []Recipient{{
				Address:    "member@strict.example",
				Action:     "failed",
				Status:     "5.7.1",
				Diagnostic: "554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org",
				Kind:       Soft,
			}},
			MessageID: "muster.a12.d349@example.org",
		}},
		{file: "two-recipients.eml", want: Report{
			Kind: Hard,
			Recipients: []Recipient{{
				Address:    "Gone.Away@Example.NET",
				Action:     "failed",
				Status:     "5.1.1",
				Diagnostic: "550 5.1.1 <Gone.Away@Example.NET>... User unknown",
				Kind:       Hard,
			}},
			MessageID: "muster.a13.d500@example.org",
		}},
		{file: "wrapped-base64.eml", want: Report{
			Kind: Hard,
			Recipients: []Recipient{{
				Address:    "jörg@bücher.example.com",
				Action:     "failed",
				Status:     "5.1.10",
				Diagnostic: "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
				Kind:       Hard,
			}},
			MessageID: "muster.a15.d9001@example.org",
		}},
		{file: "yahoo-arf.eml", want: Report{
			Kind:         Complaint,
			Recipients:   []Recipient{{Address: "supporter@yahoo.com", Kind: Complaint}},
			MessageID:    "muster.a12.d350@example.org",
			FeedbackType: "abuse",
		}},
		{file: "rfc5965-arf.eml", want: Report{
			Kind:         Complaint,
			Recipients:   []Recipient{{Address: "reader@isp.example", Kind: Complaint}},
			MessageID:    "muster.a14.d77@example.org",
			FeedbackType: "abuse",
		}},
		{file: "autoreply.eml", wantErr: ErrNotReport},
	}
	for _, tt := range tests {
		lf, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
		for _, v := range []struct {
			name string
			data []byte
		}{{"LF", lf}, {"CRLF", crlf}} {
			t.Run(tt.file+"/"+v.name, func(t *testing.T) {
				got, err := Parse(bytes.NewReader(v.data))
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Parse mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestParseInput(t *testing.T) {
	readErr := errors.New("connection reset")
	tests := []struct {
		name    string
		r       io.Reader
		wantErr error
	}{
		{"empty", strings.NewReader(""), ErrNotReport},
		{"garbage", strings.NewReader("\x00\xff--\r\n:\r\n\r\n--"), ErrNotReport},
		{"exactly MaxSize", io.LimitReader(filler{}, MaxSize), ErrNotReport},
		{"over MaxSize", io.LimitReader(filler{}, MaxSize+1), ErrTooLarge},
		{"read error", iotest.ErrReader(readErr), readErr},
		{"report without boundary", strings.NewReader("Content-Type: multipart/report; report-type=delivery-status\n\nx\n"), ErrNotReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.r)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(Report{}, got); diff != "" {
				t.Errorf("Parse returned a report with its error (-want +got):\n%s", diff)
			}
		})
	}
}

// filler is an endless header line, a message that is too long to matter.
type filler struct{}

// Read implements io.Reader.
func (filler) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = 'x'
	}
	return len(b), nil
}

// TestParseLenient covers damage that real reports show, on a minimal DSN.
func TestParseLenient(t *testing.T) {
	const head = "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n"
	hard := func(addr string) Report {
		return Report{Kind: Hard, Recipients: []Recipient{{Address: addr, Action: "failed", Status: "5.1.1", Kind: Hard}}}
	}
	tests := []struct {
		name string
		msg  string
		want Report
	}{
		{
			name: "no per-message fields, no closing boundary",
			msg:  head + "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n",
			want: hard("a@example.net"),
		},
		{
			name: "extra blank lines and a field without type",
			msg:  head + "Content-Type: message/delivery-status\n\n\n\nReporting-MTA: dns; x\n\n\n\nFinal-Recipient: <a@example.net>\nAction: Failed (bad address)\nStatus: 5.1.1 (user unknown)\n\n--b--\n",
			want: hard("a@example.net"),
		},
		{
			name: "quoted-printable report part",
			msg: head + "Content-Type: message/delivery-status\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"Final-Recipient: rfc822; a=40example.net\nAction: failed\nStatus: 5.1=\n.1\n\n--b--\n",
			want: hard("a@example.net"),
		},
		{
			name: "base64 with blanks in it",
			msg: head + "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n" +
				"RmluYWwtUmVjaXBpZW50OiBhQGV4YW1wbGUubmV0CkFjdGlvbjogZmFpbGVkClN0YXR1czogNS4xLjEK \n\t\n--b--\n",
			want: hard("a@example.net"),
		},
		{
			name: "unusable addresses are left out",
			msg: head + "Content-Type: message/delivery-status\n\n" +
				"Final-Recipient: x400; /C=FR/ADMD=ATLAS/\nAction: failed\nStatus: 5.1.1\n\n" +
				"Final-Recipient: rfc822;\nAction: failed\nStatus: 5.1.1\n\n" +
				"Final-Recipient: rfc822; no address\nAction: failed\nStatus: 5.1.1\n\n--b--\n",
			want: Report{Kind: Soft},
		},
		{
			name: "a forwarded bounce is not a bounce",
			msg: "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n" +
				"Content-Type: multipart/report; report-type=delivery-status; boundary=c\n\n--c\n" +
				"Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n\n--c--\n--b--\n",
			want: Report{},
		},
		{
			name: "feedback report with a stray blank line and a redacted To",
			msg: "Content-Type: multipart/report; report-type=feedback-report; boundary=b\n\n--b\n" +
				"Content-Type: message/feedback-report\n\nVersion: 1\n\nFeedback-Type: fraud\n\n--b\n" +
				"Content-Type: message/rfc822\n\nTo: redacted\nMessage-ID: <muster.a1.d2@example.org>\n\nbody\n--b--\n",
			want: Report{Kind: Complaint, MessageID: "muster.a1.d2@example.org", FeedbackType: "fraud"},
		},
		{
			name: "feedback report that is not a complaint",
			msg: "Content-Type: multipart/report; report-type=feedback-report; boundary=b\n\n--b\n" +
				"Content-Type: message/feedback-report\n\nFeedback-Type: not-spam\nOriginal-Rcpt-To: a@example.net\n\n--b--\n",
			want: Report{Kind: Soft, Recipients: []Recipient{{Address: "a@example.net", Kind: Soft}}, FeedbackType: "not-spam"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(strings.NewReader(tt.msg))
			if tt.want.Kind == "" {
				if !errors.Is(err, ErrNotReport) {
					t.Fatalf("Parse error = %v, want ErrNotReport", err)
				}
			} else if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
