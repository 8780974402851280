#!/usr/bin/env bash
# Logs as journald keeps them: one line an event with its level, nothing a
# client sends can forge a line or a terminal colour, and under systemd
# (JOURNAL_STREAM set) the level is journald's "<N>" prefix.
. "$(dirname "$0")/lib/common.sh"
test_setup
"$bin/sceaux-hub" import --db "$(hub_db "$tmp/hub.db")" "$top/assets/sceaux.json" >/dev/null
log=$tmp/hub.log
not_ok_log=$log
hub_start "$tmp/hub.db" "$log" 0 || { not_ok hub_start; test_done; }

# A newline and an escape sequence in the path, as libmicrohttpd decodes them.
curl -s -o /dev/null "$hub_url/v1/x%0Aforged%20line%1B%5B31m"
logged() { grep -q 'x?forged line?\[31m' "$log"; }
check log_request_logged wait_until 5 logged
check log_newline_cannot_forge_a_line bash -c "! grep -q '^forged' '$log'"
check log_no_escape_sequence bash -c "! grep -q \$'\\x1b' '$log'"
check log_lines_have_a_level bash -c "! grep -vE '^[0-9TZ:-]+ hub: (info|error): ' '$log'"
hub_stop

jlog=$tmp/journal.log
JOURNAL_STREAM=8:1234 hub_start "$tmp/hub.db" "$jlog" 0 || true
# hub_start looks for the listening line, which is there with the prefix.
check log_journald_prefix grep -q '^<6>hub: info: listening on' "$jlog"
hub_stop
test_done
