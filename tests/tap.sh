# TAP helpers for the shell test suites; source it, then
#   check "what the user would notice" 'shell condition'
# and end with tap_plan.
n=0
check() {
	n=$((n + 1))
	if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi
}
tap_plan() {
	echo "1..$n"
}
