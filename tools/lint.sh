#!/bin/sh
# Refuses the functions STYLE.md bans: unbounded or ambiguous ones.
bad=$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|atoi|atol|atof|strtok|gets|strncpy)\s*\(' "$@" 2>/dev/null)
if [ -n "$bad" ]; then
    echo "banned functions used:" >&2
    echo "$bad" >&2
    exit 1
fi
exit 0
