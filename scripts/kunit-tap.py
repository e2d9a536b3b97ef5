#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# kunit-tap.py KUNIT_PY - copy a guest's TAP from stdin to stdout, with
# each KTAP block of tests/guest-helpers/kunit.sh ("# ktap-begin SUITE",
# "# ktap: LINE"..., "# ktap-end SUITE") replaced by what the kernel's own
# parser (KUNIT_PY: tools/testing/kunit/kunit.py of the kernel source)
# makes of it, as the harness's TAP lines:
#   ok - SUITE: CASE         one per case (a parameterised case: its own
#                            verdict, not ok when any parameter failed)
#   ok - SUITE: kunit.py parse
#                            the suite as a whole: kunit.py parse found it
#                            whole and passing (every case of its plan
#                            reported, no parse error); else not ok, with
#                            kunit.py's report as diagnostics.
import json
import os
import re
import subprocess
import sys
import tempfile


def verdict(status):
	"""The TAP verdict of a kunit.py JSON status (PASS, SKIP, FAIL, ERROR)."""
	if status == 'PASS':
		return 'ok', ''
	if status == 'SKIP':
		return 'ok', ' # SKIP'
	return 'not ok', ''


def group_status(group):
	"""A parameterised case's status from its parameters'."""
	st = [c['status'] for c in group['test_cases']]
	st += [group_status(g) for g in group['sub_groups']]
	if any(s not in ('PASS', 'SKIP') for s in st):
		return 'FAIL'
	if st and all(s == 'SKIP' for s in st):
		return 'SKIP'
	return 'PASS'


def parse_suite(kunit_py, suite, lines, out):
	with tempfile.TemporaryDirectory() as tmp:
		ktap = os.path.join(tmp, 'results.ktap')
		js = os.path.join(tmp, 'results.json')
		with open(ktap, 'w') as f:
			f.write(''.join(l + '\n' for l in lines))
		try:
			p = subprocess.run([sys.executable, kunit_py, 'parse', '--json=' + js, ktap],
					   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
					   universal_newlines=True, check=False)
			report, rc = p.stdout, p.returncode
			with open(js) as f:
				top = json.load(f)
		except (OSError, ValueError) as e:
			out.write('not ok - %s: kunit.py parse: %s\n' % (suite, e))
			return
	cases = []
	for g in top['sub_groups']:
		cases += [(c['name'], c['status']) for c in g['test_cases']]
		cases += [(s['name'], group_status(s)) for s in g['sub_groups']]
	for name, status in cases:
		v, skip = verdict(status)
		out.write('%s - %s: %s%s\n' % (v, suite, name or '(a case of the plan not reported)', skip))
	if rc == 0 and cases:
		out.write('ok - %s: kunit.py parse (%d cases)\n' % (suite, len(cases)))
	elif rc != 0 and cases and all(s == 'SKIP' for _, s in cases):
		out.write('ok - %s: kunit.py parse (%d cases) # SKIP\n' % (suite, len(cases)))
	else:
		out.write('not ok - %s: kunit.py parse (exit %d, %d cases)\n' % (suite, rc, len(cases)))
		for l in report.splitlines()[-30:]:
			l = re.sub(r'^\[[0-9:]+\] ', '', l)
			if not l.startswith('Test results stored in '):
				out.write('#   %s\n' % l)


def main():
	kunit_py = sys.argv[1]
	out = sys.stdout
	suite, block = None, []
	for line in sys.stdin:
		line = line.rstrip('\n')
		if suite is None and line.startswith('# ktap-begin '):
			suite, block = line[len('# ktap-begin '):], []
		elif suite is not None and line == '# ktap-end ' + suite:
			parse_suite(kunit_py, suite, block, out)
			suite = None
		elif suite is not None and line.startswith('# ktap:'):
			line = line[len('# ktap: '):]
			# A parameterised case's own results, nested deeper than
			# the cases: the debugfs log keeps only the last one's
			# line, without its header or plan, which kunit.py takes
			# for a case of that name.  Its case's verdict sums them
			# all up.
			if not line.startswith(' ' * 8):
				block.append(line)
		else:
			out.write(line + '\n')
	if suite is not None:
		out.write('not ok - %s: its KTAP was cut off (no "# ktap-end")\n' % suite)


main()
