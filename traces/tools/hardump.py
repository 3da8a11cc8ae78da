#!/usr/bin/env python3
"""Print a one-line-per-entry view of a HAR (debug aid for the sample traces)."""
import json, sys

def main(path, verbose=False):
    har = json.load(open(path, encoding='utf-8'))
    for i, e in enumerate(har['log']['entries'], 1):
        rq, rs = e['request'], e['response']
        hdr = lambda hs, n: [h['value'] for h in hs if h['name'].lower() == n]
        print(f"#{i:<3} {e['startedDateTime']} {rq['method']:<5} {rs['status']:<4} {rq['url'][:150]}")
        if verbose:
            for c in hdr(rq['headers'], 'cookie'):
                print(f"       Cookie: {c[:160]}")
            for c in hdr(rs['headers'], 'set-cookie'):
                print(f"       Set-Cookie: {c[:160]}")
            for c in hdr(rs['headers'], 'location'):
                print(f"       Location: {c[:160]}")
            sfs = hdr(rq['headers'], 'sec-fetch-site')
            if sfs: print(f"       Sec-Fetch-Site: {sfs[0]}")

if __name__ == '__main__':
    main(sys.argv[-1], '-v' in sys.argv)
