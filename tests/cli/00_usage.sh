# hvexit with no command or an unknown one: usage, exit 2; --help exit 0.
"$HVEXIT" >/dev/null 2>&1; [ $? -eq 2 ] || { echo "no args: want exit 2"; exit 1; }
"$HVEXIT" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] || { echo "unknown: want exit 2"; exit 1; }
"$HVEXIT" --help | grep -q decode || { echo "--help lists no decode"; exit 1; }
exit 0
