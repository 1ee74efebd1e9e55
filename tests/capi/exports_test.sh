#!/bin/bash
# libneurode exports exactly the functions its header declares, and its SONAME is the one CMake
# set (libneurode.so.<ABI version>). Args: LIBRARY SONAME HEADER
set -euo pipefail
library=$1 soname=$2 header=$3
objdump -p "$library" | grep -q "SONAME *$soname\$" || { echo "SONAME is not $soname"; objdump -p "$library" | grep SONAME; exit 1; }
exported=$(nm -D --defined-only "$library" | awk '$2 == "T" {print $3}' | sort)
declared=$(grep -o 'neurode_[a-z0-9_]*(' "$header" | tr -d '(' | sort -u)
if [ "$exported" != "$declared" ]; then
    echo "exported and declared functions differ (< exported, > declared):"
    diff <(echo "$exported") <(echo "$declared") || true
    exit 1
fi
echo "exports ok: $(echo "$exported" | wc -l) functions, SONAME $soname"
