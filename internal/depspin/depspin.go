// Package depspin pins the module's dependencies while the packages that use
// them are being written. TEMPORARY: deleted once every import is real.
package depspin

import (
	_ "github.com/emersion/go-sasl"
	_ "github.com/emersion/go-smtp"
	_ "github.com/go-redis/redis_rate/v10"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/hibiken/asynq"
	_ "github.com/nyaruka/phonenumbers"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/twilio/twilio-go"
	_ "github.com/wneessen/go-mail"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/text/language"
	_ "modernc.org/sqlite"
)
